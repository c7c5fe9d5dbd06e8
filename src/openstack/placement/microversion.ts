/**
 * Placement's microversions, 1.0 to 1.39 as Zed's placement offers: the
 * `OpenStack-API-Version: placement 1.x` header (or `latest`) chooses one, the answer
 * names it back. A malformed value is a 400, one out of range a 406.
 */
import { KosError } from '../../core/errors.js';

export const MIN_VERSION = { major: 1, minor: 0 };
export const MAX_VERSION = { major: 1, minor: 39 };
export const minString = `${MIN_VERSION.major}.${MIN_VERSION.minor}`;
export const maxString = `${MAX_VERSION.major}.${MAX_VERSION.minor}`;

/** The minor version the request asks for (major is always 1). */
export function negotiate(header: string | string[] | undefined): number {
  const values = (Array.isArray(header) ? header.join(',') : (header ?? '')).split(',');
  let asked: string | undefined;
  for (const v of values) {
    const [service, version] = v.trim().split(/\s+/);
    if (service?.toLowerCase() === 'placement' && version !== undefined) asked = version;
  }
  if (asked === undefined) return MIN_VERSION.minor;
  if (asked === 'latest') return MAX_VERSION.minor;
  const m = /^(\d+)\.(\d+)$/.exec(asked);
  if (!m) throw new KosError('BadRequest', `invalid version string: ${asked}`);
  const [major, minor] = [Number(m[1]), Number(m[2])];
  if (major !== 1 || minor > MAX_VERSION.minor) {
    throw new KosError('NotImplemented', `Unacceptable version header: ${asked}`, { httpStatus: 406, placementCode: 'placement.undefined_code' });
  }
  return minor;
}
