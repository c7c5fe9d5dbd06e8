/**
 * When a CronJob fires: the next activation after an instant, and the decision upstream's
 * controller makes each sync — the most recent activation not yet acted on (between the
 * last schedule, or creation, and now; no earlier than startingDeadlineSeconds ago), how
 * many were missed, and when the next one falls.
 */
import type { CronExpression, CronFields } from './cron-expression.js';
import { fromWall, toWall } from './zoned-time.js';

const minute = 60_000;

function dayMatches(e: CronFields, d: Date): boolean {
  const dom = e.daysOfMonth.has(d.getUTCDate());
  const dow = e.daysOfWeek.has(d.getUTCDay());
  return e.dayStar ? dom && dow : dom || dow;
}

/** The first activation strictly after `after`, or undefined if none within five years. */
export function nextActivation(e: CronExpression, after: number, zone: string | undefined): number | undefined {
  if (e.kind === 'every') return Math.floor(after / 1000) * 1000 + e.intervalMs;
  let wall = Math.floor(toWall(after, zone) / minute) * minute + minute;
  const lastYear = new Date(wall).getUTCFullYear() + 5;
  for (;;) {
    const d = new Date(wall);
    const y = d.getUTCFullYear();
    if (y > lastYear) return undefined;
    const mo = d.getUTCMonth();
    if (!e.months.has(mo + 1)) {
      wall = Date.UTC(y, mo + 1, 1);
      continue;
    }
    if (!dayMatches(e, d)) {
      wall = Date.UTC(y, mo, d.getUTCDate() + 1);
      continue;
    }
    if (!e.hours.has(d.getUTCHours())) {
      wall = Date.UTC(y, mo, d.getUTCDate(), d.getUTCHours() + 1);
      continue;
    }
    if (!e.minutes.has(d.getUTCMinutes())) {
      wall += minute;
      continue;
    }
    const instant = fromWall(wall, zone);
    // A wall time skipped by a DST jump does not exist; one before `after` (a repeated hour) was had.
    if (instant > after && toWall(instant, zone) === wall) return instant;
    wall += minute;
  }
}

export interface ScheduleDecision {
  /** The activation to act on now, if any. */
  scheduled?: number;
  /** More than 100 activations were missed (upstream warns with TooManyMissedTimes). */
  tooManyMissed: boolean;
  /** The next activation after now. */
  next?: number;
}

const maxMissed = 100;

export function mostRecentActivation(e: CronExpression, opts: { earliest: number; now: number; startingDeadlineSeconds?: number; zone?: string }): ScheduleDecision {
  const { now, zone } = opts;
  let earliest = opts.earliest;
  if (opts.startingDeadlineSeconds !== undefined) earliest = Math.max(earliest, now - opts.startingDeadlineSeconds * 1000);
  const next = nextActivation(e, now, zone);
  const out: ScheduleDecision = { tooManyMissed: false, ...(next !== undefined ? { next } : {}) };
  if (earliest > now) return out;
  let t = nextActivation(e, earliest, zone);
  let last: number | undefined;
  let count = 0;
  while (t !== undefined && t <= now && count <= maxMissed) {
    last = t;
    count++;
    t = nextActivation(e, t, zone);
  }
  if (t === undefined || t > now) {
    if (last !== undefined) out.scheduled = last;
    return out;
  }
  // More than 100 behind: find the latest activation in a window just before now instead.
  out.tooManyMissed = true;
  for (const window of [3_600_000, 86_400_000, 32 * 86_400_000, 367 * 86_400_000, 5 * 367 * 86_400_000]) {
    let s = nextActivation(e, Math.max(earliest, now - window), zone);
    let latest: number | undefined;
    for (let i = 0; s !== undefined && s <= now && i < 10_000; i++) {
      latest = s;
      s = nextActivation(e, s, zone);
    }
    if (latest !== undefined) {
      out.scheduled = latest;
      return out;
    }
  }
  return out;
}
