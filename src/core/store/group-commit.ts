/**
 * Group commit: writes asked for while the writer is busy (or in the same turn of the
 * event loop) are queued and sent to the writer together, in the order they were asked;
 * their events are published as one batch, in revision order, once the group has
 * committed. The event loop goes on with other work while a group commits, and what is
 * asked for meanwhile forms the next group, so a busy store commits larger groups rather
 * than more. The writer applies groups in the order sent, so several could be in flight
 * with the same outcomes; at the scale benchmark two or three were no faster than one
 * (smaller groups, and informers coalesced less), so one it is.
 *
 * Reads wait for what they must not read around: a read of a key waits for that key's
 * queued writes, every other call for all writes asked for before it.
 */
import type { CommittedEvent } from './sqlite-rows.js';
import { fromWireError, type WriteOp, type WriteResult } from './sqlite-writer.js';
import type { WriterLink } from './writer-link.js';

export type WriteOutcome = WriteResult & { ok: true };

/** Groups sent to the writer and not yet answered, at most. */
const maxInFlight = 1;

interface Pending {
  key: string | undefined;
  op: WriteOp;
  resolve: (result: WriteOutcome) => void;
  reject: (error: unknown) => void;
}

export class GroupCommit {
  private queue: Pending[] = [];
  /** Keys with a queued or in-flight write → the settling of the latest one. */
  private readonly byKey = new Map<string, Promise<unknown>>();
  /** Settles after the latest write asked for. */
  private tail: Promise<unknown> = Promise.resolve();
  /** Settles after the latest write that deletes keys it does not name. */
  private barrier: Promise<unknown> | undefined;
  private inFlight = 0;
  private scheduled = false;

  constructor(
    private readonly link: WriterLink,
    /** The store clock's time, sent with each group. */
    private readonly now: () => number,
    /** Hands committed events to watchers. */
    private readonly publish: (events: CommittedEvent[]) => void,
  ) {}

  /** Queue a write (of `key`, when it writes one); it settles once its group has committed. */
  submit(key: string | undefined, op: WriteOp): Promise<WriteOutcome> {
    const done = new Promise<WriteOutcome>((resolve, reject) => {
      this.queue.push({ key, op, resolve, reject });
    });
    const settled = done.then(
      () => undefined,
      () => undefined,
    );
    this.tail = settled;
    if (op.op === 'expireLease') {
      this.barrier = settled;
      void settled.then(() => {
        if (this.barrier === settled) this.barrier = undefined;
      });
    }
    if (key !== undefined) {
      this.byKey.set(key, settled);
      void settled.then(() => {
        if (this.byKey.get(key) === settled) this.byKey.delete(key);
      });
    }
    this.schedule();
    return done;
  }

  /**
   * Resolves once the writes of `key` asked for so far have settled, and any write that
   * may delete keys it does not name (a lease expiry).
   */
  settledFor(key: string): Promise<unknown> | undefined {
    const own = this.byKey.get(key);
    const barrier = this.barrier;
    if (!barrier) return own;
    return own ? Promise.all([own, barrier]) : barrier;
  }

  /** Resolves once every write asked for so far has settled. */
  settled(): Promise<unknown> {
    return this.tail;
  }

  private schedule(): void {
    if (this.scheduled || this.inFlight >= maxInFlight) return;
    this.scheduled = true;
    // setImmediate runs after the I/O callbacks and microtasks of this turn: every
    // write they ask for joins the group.
    setImmediate(() => {
      this.scheduled = false;
      void this.flush();
    });
  }

  private async flush(): Promise<void> {
    const group = this.queue;
    if (group.length === 0 || this.inFlight >= maxInFlight) return;
    this.queue = [];
    this.inFlight++;
    try {
      let results: WriteResult[];
      try {
        results = await this.link.apply({ now: this.now(), ops: group.map((p) => p.op) });
      } catch (error) {
        for (const p of group) p.reject(error);
        return;
      }
      const events: CommittedEvent[] = [];
      for (const r of results) if (r.ok) for (const e of r.events) events.push(e);
      if (events.length > 0) this.publish(events);
      group.forEach((p, i) => {
        const r = results[i];
        if (!r) p.reject(new Error('group commit lost a write outcome'));
        else if (r.ok) p.resolve(r);
        else p.reject(fromWireError(r.error));
      });
    } finally {
      this.inFlight--;
      if (this.queue.length > 0) this.schedule();
    }
  }
}
