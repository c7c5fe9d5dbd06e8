/**
 * Image locations (Glance's show_multiple_locations): where an image's data lives. An
 * upload records the file store's location; an owner may add http(s) locations to a
 * queued image (which makes it active, as a registered remote image), with optional
 * validation_data giving checksums that must agree with what the image already has.
 * A replace may only change metadata of the same URLs; the last location stays.
 */
import { KosError } from '../../core/errors.js';
import type { PatchStep } from './json-patch.js';
import type { Image, ImageLocation } from './model.js';

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

const ALLOWED_SCHEMES = ['http:', 'https:'];

function checkLocation(value: unknown): { location: ImageLocation; validation?: Record<string, unknown> } {
  if (!isObject(value) || typeof value.url !== 'string') throw new KosError('BadRequest', 'Invalid location: a location needs a url.');
  let scheme: string;
  try {
    scheme = new URL(value.url).protocol;
  } catch {
    throw new KosError('BadRequest', `Invalid location: ${value.url}`);
  }
  if (!ALLOWED_SCHEMES.includes(scheme)) throw new KosError('BadRequest', `Invalid location: ${value.url}`);
  const metadata = value.metadata === undefined ? {} : value.metadata;
  if (!isObject(metadata)) throw new KosError('BadRequest', 'Invalid location: metadata must be an object.');
  const location: ImageLocation = { url: value.url, metadata };
  return isObject(value.validation_data) ? { location, validation: value.validation_data } : { location };
}

/** Adopt validation data: it fills empty hashes and must agree with present ones (409). */
function validate(image: Image, data: Record<string, unknown>): void {
  const pairs = [['checksum', data.checksum], ['os_hash_algo', data.os_hash_algo], ['os_hash_value', data.os_hash_value]] as const;
  for (const [key, value] of pairs) {
    if (value === undefined) continue;
    if (typeof value !== 'string') throw new KosError('BadRequest', `Invalid validation_data: ${key} must be a string.`);
    if (key === 'os_hash_algo' && value !== 'sha512') throw new KosError('Conflict', `os_hash_algo must be sha512, not ${value}.`);
    const current = image[key];
    if (current !== null && current !== value) {
      throw new KosError('Conflict', `Image ${key} ${current} does not match the location's validation data ${value}.`);
    }
  }
  for (const [key, value] of pairs) if (typeof value === 'string') image[key] = value;
}

export function applyLocationStep(image: Image, step: PatchStep): void {
  const locations = image.locations ?? [];
  if (step.op === 'replace') {
    if (step.index !== undefined) throw new KosError('BadRequest', 'Locations can only be replaced as a whole.');
    if (!Array.isArray(step.value)) throw new KosError('BadRequest', 'Invalid locations: expected a list.');
    const next = step.value.map((v) => checkLocation(v).location);
    const urls = (ls: ImageLocation[]) => ls.map((l) => l.url).sort().join('\n');
    if (locations.length > 0 && next.length > 0 && urls(locations) !== urls(next)) {
      throw new KosError('BadRequest', 'Cannot replace locations from a non-empty list to a non-empty list with different URLs.');
    }
    image.locations = next;
    return;
  }
  if (step.op === 'remove') {
    const at = Number(step.index);
    if (step.index === undefined || !Number.isInteger(at) || at < 0 || at >= locations.length) {
      throw new KosError('BadRequest', `Invalid location index: ${String(step.index)}`);
    }
    if (locations.length === 1) throw new KosError('Forbidden', 'Cannot remove last location in the image.');
    locations.splice(at, 1);
    image.locations = locations;
    return;
  }
  if (image.status !== 'queued' && image.status !== 'active') {
    throw new KosError('Conflict', `It's not allowed to add locations if image status is ${image.status}.`);
  }
  const { location, validation } = checkLocation(step.value);
  if (locations.some((l) => l.url === location.url)) throw new KosError('BadRequest', `Duplicate location: ${location.url}`);
  if (validation) validate(image, validation);
  const at = step.index === undefined || step.index === '-' ? locations.length : Number(step.index);
  if (!Number.isInteger(at) || at < 0 || at > locations.length) throw new KosError('BadRequest', `Invalid location index: ${String(step.index)}`);
  locations.splice(at, 0, location);
  image.locations = locations;
  if (image.status === 'queued') image.status = 'active';
}
