/**
 * Which image attributes a caller may set and how each is checked — the one table both
 * create and PATCH read. Anything not named here is an additional property (a string).
 */
import { KosError } from '../../core/errors.js';
import { CONTAINER_FORMATS, DISK_FORMATS, VISIBILITIES, type Image } from './model.js';

/** Set by Glance only: 403 "Attribute 'x' is read-only." */
export const READ_ONLY = new Set([
  'id', 'status', 'checksum', 'os_hash_algo', 'os_hash_value', 'size', 'virtual_size',
  'created_at', 'updated_at', 'self', 'file', 'schema', 'direct_url', 'stores',
]);

/** Never settable: 403 "Attribute 'x' is reserved." (os_glance_* as well). */
export const RESERVED = new Set(['location', 'deleted', 'deleted_at']);

export const isReserved = (key: string): boolean => RESERVED.has(key) || key.startsWith('os_glance');

const UUID = /^[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}$/;

const invalid = (key: string, value: unknown, why: string): KosError =>
  new KosError('BadRequest', `Provided object does not match schema 'image': ${JSON.stringify(value)} ${why}\n\nFailed validating '${key}'`);

type Settable = Pick<Image, 'name' | 'visibility' | 'protected' | 'os_hidden' | 'container_format' | 'disk_format' | 'min_disk' | 'min_ram' | 'owner'>;
export type CoreKey = keyof Settable;

const checkers: { [K in CoreKey]: (v: unknown) => Settable[K] } = {
  name: (v) => {
    if (v !== null && (typeof v !== 'string' || v.length > 255)) throw invalid('name', v, 'is not a string of at most 255 characters');
    return v;
  },
  visibility: (v) => {
    if (typeof v !== 'string' || !(VISIBILITIES as readonly string[]).includes(v)) {
      throw new KosError('BadRequest', `Invalid visibility value: ${String(v)}`);
    }
    return v as Image['visibility'];
  },
  protected: (v) => {
    if (typeof v !== 'boolean') throw invalid('protected', v, "is not of type 'boolean'");
    return v;
  },
  os_hidden: (v) => {
    if (typeof v !== 'boolean') throw invalid('os_hidden', v, "is not of type 'boolean'");
    return v;
  },
  container_format: (v) => {
    if (v !== null && (typeof v !== 'string' || !(CONTAINER_FORMATS as readonly string[]).includes(v))) {
      throw new KosError('BadRequest', `Invalid container format '${String(v)}' for image.`);
    }
    return v;
  },
  disk_format: (v) => {
    if (v !== null && (typeof v !== 'string' || !(DISK_FORMATS as readonly string[]).includes(v))) {
      throw new KosError('BadRequest', `Invalid disk format '${String(v)}' for image.`);
    }
    return v;
  },
  min_disk: (v) => {
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) throw invalid('min_disk', v, 'is not a non-negative integer');
    return v;
  },
  min_ram: (v) => {
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) throw invalid('min_ram', v, 'is not a non-negative integer');
    return v;
  },
  owner: (v) => {
    if (v !== null && (typeof v !== 'string' || v.length > 255)) throw invalid('owner', v, 'is not a string of at most 255 characters');
    return v;
  },
};

export const isCoreKey = (key: string): key is CoreKey => key in checkers;

/** Check and set one core attribute on a draft image. */
export function setCore(image: Image, key: CoreKey, value: unknown): void {
  (image as unknown as Record<string, unknown>)[key] = checkers[key](value);
}

/** Check an additional property's value (strings; kernel_id/ramdisk_id are UUIDs or null). */
export function checkProperty(key: string, value: unknown): string | null {
  if (key.length > 255) throw invalid(key, key, 'is too long for a property name');
  if (key === 'kernel_id' || key === 'ramdisk_id') {
    if (value === null) return null;
    if (typeof value !== 'string' || !UUID.test(value)) throw invalid(key, value, 'does not match a UUID');
    return value;
  }
  if (typeof value !== 'string') throw invalid(key, value, "is not of type 'string'");
  if (value.length > 65535) throw invalid(key, value, 'is too long');
  return value;
}

export function checkTags(value: unknown): string[] {
  if (!Array.isArray(value)) throw invalid('tags', value, "is not of type 'array'");
  const tags: string[] = [];
  for (const t of value) {
    if (typeof t !== 'string' || t.length > 255) throw invalid('tags', t, 'is not a tag (a string of at most 255 characters)');
    if (!tags.includes(t)) tags.push(t);
  }
  return tags;
}

export function checkTag(tag: string): string {
  if (tag.length === 0 || tag.length > 255) throw new KosError('BadRequest', `Invalid tag: ${tag}`);
  return tag;
}

export { UUID };
