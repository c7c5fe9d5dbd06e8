/**
 * Expiry times of trusts and application credentials. Clients send ISO 8601 with up to
 * microseconds and read the same microseconds back, so they are kept as text
 * (`2026-01-01T01:00:00.123456Z`, always UTC) rather than as JavaScript's milliseconds.
 */
import { KosError } from '../../../core/errors.js';

const SUFFIX = 'The server could not comply with the request since it is either malformed or otherwise incorrect. The client is assumed to be in error.';

const pattern =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?)?(Z|[+-]\d{2}:?\d{2})?$/;

/** Parse an ISO 8601 time into Keystone's stored form, or undefined if it is not one. */
export function parseIsoTime(text: string): string | undefined {
  const m = pattern.exec(text.trim());
  if (!m) return undefined;
  const [, y, mo, d, h = '00', mi = '00', s = '00', frac = '', zone = 'Z'] = m;
  const micro = frac.padEnd(6, '0').slice(0, 6);
  let ms = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s), Number(micro.slice(0, 3)));
  const check = new Date(ms);
  if (Number.isNaN(ms) || check.getUTCDate() !== Number(d) || check.getUTCMonth() !== Number(mo) - 1) return undefined;
  if (zone !== 'Z') {
    const sign = zone.startsWith('-') ? -1 : 1;
    const digits = zone.slice(1).replace(':', '');
    ms -= sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2))) * 60_000;
  }
  return `${new Date(ms).toISOString().slice(0, 23)}${micro.slice(3)}Z`;
}

/** Milliseconds since the epoch of a stored expiry. */
export const expiryMs = (stored: string): number => Date.parse(stored);

/** Keystone's parse_expiration_date: well-formed and not in the past (400 otherwise). */
export function parseExpiration(text: string, nowMs: number): string {
  const parsed = parseIsoTime(text);
  if (parsed === undefined) throw new KosError('BadRequest', `Timestamp not in expected format. ${SUFFIX}`);
  if (expiryMs(parsed) < nowMs) throw new KosError('BadRequest', `The 'expires_at' must not be before now. ${SUFFIX}`);
  return parsed;
}

/** As application credentials show it: microseconds, no zone designator. */
export const withoutZone = (stored: string | null): string | null => (stored === null ? null : stored.replace(/Z$/, ''));
