/**
 * Cron schedules as sets, for computing when they fire (resources/cron-schedule.ts says
 * whether a schedule is valid; this reads a valid one). robfig/cron's standard-parser
 * semantics, which the CronJob controller uses: five fields; `N/step` means N to the
 * maximum; day-of-month and day-of-week are OR-ed when both are restricted and AND-ed
 * when either is `*` or `?`; descriptors; `@every <duration>` fires at fixed intervals.
 */

export interface CronFields {
  kind: 'fields';
  minutes: Set<number>;
  hours: Set<number>;
  daysOfMonth: Set<number>;
  months: Set<number>;
  daysOfWeek: Set<number>;
  /** Day-of-month or day-of-week was `*`/`?` (so the two are AND-ed). */
  dayStar: boolean;
}

export interface CronEvery {
  kind: 'every';
  intervalMs: number;
}

export type CronExpression = CronFields | CronEvery;

interface Bounds {
  min: number;
  max: number;
  names?: readonly string[];
}

const bounds: readonly Bounds[] = [
  { min: 0, max: 59 },
  { min: 0, max: 23 },
  { min: 1, max: 31 },
  { min: 1, max: 12, names: ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'] },
  { min: 0, max: 6, names: ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] },
];

const descriptors: Record<string, string> = {
  '@yearly': '0 0 1 1 *',
  '@annually': '0 0 1 1 *',
  '@monthly': '0 0 1 * *',
  '@weekly': '0 0 * * 0',
  '@daily': '0 0 * * *',
  '@midnight': '0 0 * * *',
  '@hourly': '0 * * * *',
};

const durationUnits: Record<string, number> = { ns: 1e-6, us: 1e-3, µs: 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** A Go duration (`1h30m`, `90s`) in milliseconds. */
export function parseGoDuration(text: string): number | undefined {
  const re = /(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/gy;
  let total = 0;
  let matched = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    total += Number(m[1]) * (durationUnits[m[2] ?? ''] ?? 0);
    matched = re.lastIndex;
  }
  return matched === text.length && text.length > 0 ? total : undefined;
}

function value(token: string, b: Bounds): number {
  const named = b.names?.indexOf(token.toLowerCase()) ?? -1;
  if (named >= 0) return named + b.min;
  if (!/^\d+$/.test(token)) throw new Error(`bad cron value ${token}`);
  return Number(token);
}

/** One field's values, and whether it was a bare `*` or `?`. */
function parseField(text: string, b: Bounds): { values: Set<number>; star: boolean } {
  const values = new Set<number>();
  let star = false;
  for (const expr of text.split(',')) {
    const [range = '', stepText] = expr.split('/');
    const step = stepText === undefined ? 1 : value(stepText, { min: 0, max: 0 });
    let lo = b.min;
    let hi = b.max;
    if (range === '*' || range === '?') {
      if (step <= 1) star = true;
    } else {
      const [a = '', z] = range.split('-');
      lo = value(a, b);
      hi = z !== undefined ? value(z, b) : stepText !== undefined ? b.max : lo;
    }
    if (step < 1) throw new Error(`bad cron step in ${expr}`);
    for (let v = lo; v <= hi; v += step) values.add(v);
  }
  return { values, star };
}

export function parseCron(schedule: string): CronExpression {
  let s = schedule.trim();
  if (s.startsWith('@every ')) {
    const ms = parseGoDuration(s.slice(7).trim());
    if (ms === undefined) throw new Error(`bad duration in ${schedule}`);
    // robfig rounds intervals below a second up to one.
    return { kind: 'every', intervalMs: Math.max(1000, Math.floor(ms / 1000) * 1000) };
  }
  s = descriptors[s] ?? s;
  const parts = s.split(/\s+/);
  if (parts.length !== 5) throw new Error(`expected 5 fields in ${schedule}`);
  const [mi, h, dom, mo, dow] = parts.map((p, i) => parseField(p, bounds[i]!));
  return {
    kind: 'fields',
    minutes: mi!.values,
    hours: h!.values,
    daysOfMonth: dom!.values,
    months: mo!.values,
    daysOfWeek: dow!.values,
    dayStar: dom!.star || dow!.star,
  };
}
