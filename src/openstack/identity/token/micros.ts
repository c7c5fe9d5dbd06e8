/**
 * Token times in microseconds, as Keystone shows them (`2026-01-01T00:00:00.123456Z`).
 *
 * The injected clock ticks in milliseconds, so two tokens issued in the same millisecond
 * would tie — and so would a revocation event and a token issued right after it, which
 * would then be revoked by an event that predates it. A monotonic stamp source orders
 * every issue and every revocation of this process exactly: each stamp is the clock's
 * time in µs, or one more than the previous stamp when the clock has not moved.
 */
import type { Clock } from '../../../core/clock.js';

export class MicroStamps {
  private last = 0;

  constructor(private readonly clock: Clock) {}

  /** A fresh stamp, strictly greater than every earlier one. */
  next(): number {
    this.last = Math.max(this.clock.now() * 1000, this.last + 1);
    return this.last;
  }

  /** The present in µs, without taking a stamp. */
  now(): number {
    return Math.max(this.clock.now() * 1000, this.last);
  }
}

/** `2026-01-01T00:00:00.123456Z` */
export function isoFromMicros(us: number): string {
  const ms = Math.floor(us / 1000);
  const frac = String(us - ms * 1000).padStart(3, '0');
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, `.$1${frac}Z`);
}

const isoPattern = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:?\d{2})?$/;

/** Parse an ISO 8601 time (Z, an offset, or none meaning UTC) to µs; undefined if it is not one. */
export function microsFromIso(text: string): number | undefined {
  const m = isoPattern.exec(text.trim());
  if (!m) return undefined;
  const zone = !m[3] || m[3] === 'Z' ? 'Z' : m[3];
  const ms = Date.parse(`${m[1]}${zone}`);
  if (Number.isNaN(ms)) return undefined;
  const frac = (m[2] ?? '').padEnd(6, '0').slice(0, 6);
  return ms * 1000 + Number(frac);
}
