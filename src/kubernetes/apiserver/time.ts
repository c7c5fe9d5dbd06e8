/** Kubernetes timestamps: RFC 3339 in UTC with whole seconds, e.g. `2026-01-01T00:00:00Z`. */
export function rfc3339(ms: number): string {
  // Status writes stamp the same second over and over: format each second once.
  const second = Math.floor(ms / 1000);
  if (second !== lastSecond) {
    lastText = new Date(second * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
    lastSecond = second;
  }
  return lastText;
}
let lastSecond = NaN;
let lastText = '';

/** Milliseconds of an RFC 3339 timestamp, or undefined if it is not one. */
export const parseTimestamp = (s: unknown): number | undefined => {
  if (typeof s !== 'string') return undefined;
  const ms = Date.parse(s);
  return Number.isNaN(ms) ? undefined : ms;
};

/**
 * A short human duration as kubectl shows ages: `45s`, `3m20s`, `12m`, `5h10m`, `3d4h`,
 * `120d`, `3y20d`. Precision drops as the duration grows, like the real server's columns.
 */
export function humanDuration(ms: number): string {
  const seconds = Math.floor(ms / 1000);
  if (seconds < -1) return '<invalid>';
  if (seconds < 0) return '0s';
  if (seconds < 120) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 10) {
    const s = seconds % 60;
    return s === 0 ? `${minutes}m` : `${minutes}m${s}s`;
  }
  if (minutes < 180) return `${minutes}m`;
  const hours = Math.floor(minutes / 60);
  if (hours < 8) {
    const m = minutes % 60;
    return m === 0 ? `${hours}h` : `${hours}h${m}m`;
  }
  if (hours < 48) return `${hours}h`;
  const days = Math.floor(hours / 24);
  if (hours < 24 * 8) {
    const h = hours % 24;
    return h === 0 ? `${days}d` : `${days}d${h}h`;
  }
  if (days < 365 * 2) return `${days}d`;
  const years = Math.floor(days / 365);
  if (years < 8) {
    const d = days % 365;
    return d === 0 ? `${years}y` : `${years}y${d}d`;
  }
  return `${years}y`;
}

/** AGE of an object: time since creation, or `<unknown>` without a timestamp. */
export function ageOf(creationTimestamp: unknown, now: number): string {
  const created = parseTimestamp(creationTimestamp);
  return created === undefined ? '<unknown>' : humanDuration(now - created);
}
