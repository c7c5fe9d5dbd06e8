/**
 * Nova's microversions, 2.1 to 2.93 (Zed): `OpenStack-API-Version: compute 2.x` or the
 * legacy `X-OpenStack-Nova-API-Version: 2.x`, `latest` for the newest. A malformed value
 * is a 400; one outside the range a 406, as nova.api.openstack.wsgi answers.
 */
import { KosError } from '../../core/errors.js';

export const MIN_MINOR = 1;
export const MAX_MINOR = 93;
export const MIN_VERSION = `2.${MIN_MINOR}`;
export const MAX_VERSION = `2.${MAX_MINOR}`;

/** The minor version asked for by a request's headers (major is always 2). */
export function negotiate(headers: Record<string, string | string[] | undefined>): number {
  const asked = fromNew(headers['openstack-api-version']) ?? one(headers['x-openstack-nova-api-version'])?.trim();
  if (asked === undefined || asked === '') return MIN_MINOR;
  if (asked.toLowerCase() === 'latest') return MAX_MINOR;
  const m = /^(\d+)\.(\d+)$/.exec(asked);
  if (!m) throw new KosError('BadRequest', `API Version String ${asked} is of invalid format. Must be of format MajorNum.MinorNum.`);
  const major = Number(m[1]);
  const minor = Number(m[2]);
  if (major !== 2 || minor < MIN_MINOR || minor > MAX_MINOR) {
    throw new KosError('NotImplemented', `Version ${asked} is not supported by the API. Minimum is ${MIN_VERSION} and maximum is ${MAX_VERSION}.`, { httpStatus: 406 });
  }
  return minor;
}

function one(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v;
}

function fromNew(header: string | string[] | undefined): string | undefined {
  const values = (Array.isArray(header) ? header.join(',') : (header ?? '')).split(',');
  for (const v of values) {
    const [service, version] = v.trim().split(/\s+/);
    if (service?.toLowerCase() === 'compute' && version !== undefined) return version;
  }
  return undefined;
}
