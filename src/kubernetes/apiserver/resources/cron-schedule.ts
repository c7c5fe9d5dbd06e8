/**
 * CronJob schedules as the real server accepts them (robfig/cron's standard parser): five
 * fields (minute hour day-of-month month day-of-week) of `*`, `?`, numbers, names,
 * ranges, steps and lists, or a descriptor such as `@hourly` or `@every 1h30m`. Returns
 * why a schedule is rejected, or undefined. Time zones belong in spec.timeZone.
 */
interface FieldRange {
  min: number;
  max: number;
  names?: readonly string[];
}

const fields: readonly FieldRange[] = [
  { min: 0, max: 59 },
  { min: 0, max: 23 },
  { min: 1, max: 31 },
  { min: 1, max: 12, names: ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'] },
  { min: 0, max: 6, names: ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] },
];

const descriptors = new Set(['@yearly', '@annually', '@monthly', '@weekly', '@daily', '@midnight', '@hourly']);

function valueOf(token: string, r: FieldRange): number | string {
  const named = r.names?.indexOf(token.toLowerCase()) ?? -1;
  if (named >= 0) return named + r.min;
  if (!/^\d+$/.test(token)) return `failed to parse int from ${token}: strconv.Atoi: parsing "${token}": invalid syntax`;
  return Number(token);
}

function rangeProblem(expr: string, r: FieldRange): string | undefined {
  const [rangePart = '', stepPart, extra] = expr.split('/');
  if (extra !== undefined) return `too many slashes: ${expr}`;
  let start = r.min;
  let end = r.max;
  if (rangePart !== '*' && rangePart !== '?') {
    const [lo = '', hi, more] = rangePart.split('-');
    if (more !== undefined) return `too many hyphens: ${expr}`;
    const a = valueOf(lo, r);
    if (typeof a === 'string') return a;
    start = a;
    end = a;
    if (hi !== undefined) {
      const b = valueOf(hi, r);
      if (typeof b === 'string') return b;
      end = b;
    }
  }
  if (stepPart !== undefined) {
    const step = valueOf(stepPart, { min: 0, max: 0 });
    if (typeof step === 'string') return step;
    if (step === 0) return `step of range should be a positive number: ${expr}`;
  }
  if (start < r.min) return `beginning of range (${start}) below minimum (${r.min}): ${expr}`;
  if (end > r.max) return `end of range (${end}) above maximum (${r.max}): ${expr}`;
  if (start > end) return `beginning of range (${start}) beyond end of range (${end}): ${expr}`;
  return undefined;
}

export function cronScheduleProblem(schedule: string): string | undefined {
  const s = schedule.trim();
  if (s === '') return 'empty spec string';
  if (s.startsWith('@')) {
    if (descriptors.has(s)) return undefined;
    if (s.startsWith('@every ')) return /^(\d+(\.\d+)?(ns|us|µs|ms|s|m|h))+$/.test(s.slice(7).trim()) ? undefined : `failed to parse duration ${s}`;
    return `unrecognized descriptor: ${s}`;
  }
  const parts = s.split(/\s+/);
  if (parts.length !== fields.length) return `expected exactly 5 fields, found ${parts.length}: [${parts.join(' ')}]`;
  for (let i = 0; i < parts.length; i++) {
    for (const expr of parts[i]!.split(',')) {
      const p = rangeProblem(expr, fields[i]!);
      if (p) return p;
    }
  }
  return undefined;
}

/** A schedule that names its own zone, which the server refuses in favour of spec.timeZone. */
export const namesTimeZone = (schedule: string): boolean => /^\s*(CRON_)?TZ=/.test(schedule);

/** An IANA zone name the runtime knows, as the server checks spec.timeZone. */
export function isKnownTimeZone(zone: string): boolean {
  if (zone === '' || zone.toLowerCase() === 'local') return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}
