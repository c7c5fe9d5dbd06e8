/**
 * Group commit for a synchronous backend: writes asked for in the same turn of the event
 * loop are queued and committed together, in the order they were asked, in one
 * transaction; their events are then published as one batch, in revision order.
 *
 * Each queued write is a function that checks and inserts against the state the writes
 * before it left (inside the shared transaction), so the outcome of every write — its
 * revision, a Conflict or an AlreadyExists — is what it would have been had each been
 * committed alone in that order. A write refused with a KosError inserted nothing (the
 * checks come first; a unique-index violation undoes only its own statement), so the
 * others in the group are unaffected. Anything else (the disk, the database) rolls the
 * group back, and its writes are then retried one per transaction so that one bad write
 * cannot fail the rest.
 */
import { isKosError } from '../errors.js';
import type { WatchEvent } from './types.js';

/** Runs inside the group's transaction: its checks, its insert, its event. */
export type QueuedWrite = () => WatchEvent;

interface Pending {
  key: string;
  write: QueuedWrite;
  resolve: (event: WatchEvent) => void;
  reject: (error: unknown) => void;
}

type Outcome = { ok: true; event: WatchEvent } | { ok: false; error: unknown };

export class GroupCommit {
  private queue: Pending[] = [];
  /** Keys with a queued write → how many, so a read of such a key can commit first. */
  private readonly queuedKeys = new Map<string, number>();
  private scheduled = false;
  private groups = 0;
  private committed = 0;

  constructor(
    /** Runs fn in one write transaction; throws (after rolling back) if fn or the commit does. */
    private readonly transaction: <R>(fn: () => R) => R,
    /** Hands committed events to watchers. */
    private readonly publish: (events: readonly WatchEvent[]) => void,
  ) {}

  /** Queue a write of `key`; it settles once its group has committed. */
  submit(key: string, write: QueuedWrite): Promise<WatchEvent> {
    return new Promise<WatchEvent>((resolve, reject) => {
      this.queue.push({ key, write, resolve, reject });
      this.queuedKeys.set(key, (this.queuedKeys.get(key) ?? 0) + 1);
      if (!this.scheduled) {
        this.scheduled = true;
        // setImmediate runs after the I/O callbacks and microtasks of this turn: every
        // write they ask for joins the group.
        setImmediate(() => this.flush());
      }
    });
  }

  /** Commit now if a write of `key` is queued (read-your-writes for that key). */
  flushFor(key: string): void {
    if (this.queuedKeys.has(key)) this.flush();
  }

  /** Commit everything queued now. */
  flush(): void {
    this.scheduled = false;
    const group = this.queue;
    if (group.length === 0) return;
    this.queue = [];
    this.queuedKeys.clear();
    let outcomes: Outcome[];
    try {
      outcomes = this.transaction(() => group.map((p) => runRefusable(p.write)));
    } catch (error) {
      if (group.length === 1) {
        group[0]?.reject(error);
        return;
      }
      this.commitOneByOne(group);
      return;
    }
    this.groups++;
    this.committed += group.length;
    const events: WatchEvent[] = [];
    for (const o of outcomes) if (o.ok) events.push(o.event);
    this.publish(events);
    group.forEach((p, i) => settle(p, outcomes[i]));
  }

  /** Groups committed and writes in them (for tests and metrics). */
  stats(): { groups: number; writes: number } {
    return { groups: this.groups, writes: this.committed };
  }

  private commitOneByOne(group: Pending[]): void {
    for (const p of group) {
      let event: WatchEvent;
      try {
        event = this.transaction(p.write);
      } catch (error) {
        p.reject(error);
        continue;
      }
      this.groups++;
      this.committed++;
      this.publish([event]);
      p.resolve(event);
    }
  }
}

/** A refusal (KosError) is this write's outcome; anything else aborts the group. */
function runRefusable(write: QueuedWrite): Outcome {
  try {
    return { ok: true, event: write() };
  } catch (error) {
    if (isKosError(error)) return { ok: false, error };
    throw error;
  }
}

function settle(p: Pending, outcome: Outcome | undefined): void {
  if (!outcome) p.reject(new Error('group commit lost a write outcome'));
  else if (outcome.ok) p.resolve(outcome.event);
  else p.reject(outcome.error);
}
