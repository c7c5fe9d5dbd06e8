/**
 * Wall-clock time in an IANA zone, as milliseconds of a UTC Date that shows the zone's
 * local fields (so Date.UTC arithmetic walks days and hours as the zone's calendar does),
 * and back to an instant.
 */
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone: zone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' });
    formatters.set(zone, f);
  }
  return f;
}

const isUtc = (zone: string | undefined): boolean => zone === undefined || zone === '' || zone === 'UTC' || zone === 'Etc/UTC';

/** The zone's local time of an instant, as wall-clock milliseconds. */
export function toWall(instant: number, zone: string | undefined): number {
  if (isUtc(zone)) return instant;
  const parts: Record<string, number> = {};
  for (const p of formatter(zone!).formatToParts(new Date(instant))) if (p.type !== 'literal') parts[p.type] = Number(p.value);
  const ms = ((instant % 1000) + 1000) % 1000;
  return Date.UTC(parts.year ?? 1970, (parts.month ?? 1) - 1, parts.day ?? 1, parts.hour ?? 0, parts.minute ?? 0, parts.second ?? 0, ms);
}

/** The instant a wall-clock time names in the zone (the earlier one when it names two). */
export function fromWall(wall: number, zone: string | undefined): number {
  if (isUtc(zone)) return wall;
  const first = wall - (toWall(wall, zone) - wall);
  const second = wall - (toWall(first, zone) - first);
  return Math.min(first, second);
}

/** RFC 3339 with the zone's offset (`Z` for UTC), as Go formats a time in a location. */
export function formatInZone(instant: number, zone: string | undefined): string {
  const wall = toWall(instant, zone);
  const offsetMin = Math.round((wall - instant) / 60_000);
  const base = new Date(wall).toISOString().replace(/\.\d{3}Z$/, '');
  if (offsetMin === 0) return `${base}Z`;
  const sign = offsetMin > 0 ? '+' : '-';
  const abs = Math.abs(offsetMin);
  return `${base}${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}
