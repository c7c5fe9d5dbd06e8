/**
 * An in-memory Store for tests: the full contract (revisions, paged ranges at a past
 * revision, watches that replay from afterRevision, compaction, leases on the injected
 * clock) with none of SQLite's weight, plus a few fault-injection switches a real store
 * cannot offer on demand: pause watch delivery, cut every watch with an error.
 */
import type { Clock, TimerHandle } from '../../../src/core/clock.js';
import { KosError, badRequest, conflict, notFound } from '../../../src/core/errors.js';
import type {
  DeleteOptions,
  KeyValue,
  Lease,
  PutOptions,
  RangeOptions,
  RangeResult,
  Store,
  Watch,
  WatchEvent,
  WatchOptions,
} from '../../../src/core/store/types.js';
import { watchIterator } from '../../../src/core/store/watch-iterator.js';

interface LeaseState {
  ttlSeconds: number;
  timer: TimerHandle;
  keys: Set<string>;
}

interface ContinueToken {
  revision: number;
  after: string;
}

export class MemoryStore implements Store {
  private revision = 0;
  private compacted = 0;
  private readonly live = new Map<string, KeyValue>();
  /** Every event after the compaction point, in revision order. */
  private history: WatchEvent[] = [];
  private readonly leases = new Map<number, LeaseState>();
  private nextLeaseId = 1;
  private readonly watches = new Set<MemoryWatch>();
  private closed = false;
  private paused = false;

  constructor(private readonly clock: Clock) {}

  // ---- fault injection

  /** Stop handing events to watchers (they queue up), as a stalled connection would. */
  pauseWatches(): void {
    this.paused = true;
    for (const w of this.watches) w.pause();
  }

  /** End every open watch with this error; events not yet delivered are lost. */
  failWatches(kind: 'Compacted' | 'WatchTooSlow'): void {
    this.paused = false;
    for (const w of [...this.watches]) w.fail(new KosError(kind, `watch cut off (${kind})`));
  }

  openWatches(): number {
    return this.watches.size;
  }

  // ---- reads

  async get(key: string, opts: { revision?: number } = {}): Promise<KeyValue | undefined> {
    this.assertOpen();
    if (opts.revision === undefined) return this.live.get(key);
    return this.stateAt(this.checkRevision(opts.revision)).get(key);
  }

  async range(prefix: string, opts: RangeOptions = {}): Promise<RangeResult> {
    this.assertOpen();
    let revision = opts.revision ?? this.revision;
    let after: string | undefined;
    if (opts.continue !== undefined) {
      const token = decodeToken(opts.continue);
      revision = token.revision;
      after = token.after;
    }
    const state = revision === this.revision ? this.live : this.stateAt(this.checkRevision(revision));
    const all = [...state.values()].filter((kv) => kv.key.startsWith(prefix)).sort((a, b) => cmp(a.key, b.key));
    const rest = after === undefined ? all : all.filter((kv) => kv.key > after);
    const limit = opts.limit ?? 0;
    const page = limit > 0 ? rest.slice(0, limit) : rest;
    const result: RangeResult = { kvs: opts.countOnly ? [] : page, revision, count: all.length };
    const last = page.at(-1);
    if (limit > 0 && rest.length > limit && last) result.continue = encodeToken({ revision, after: last.key });
    return result;
  }

  async currentRevision(): Promise<number> {
    return this.revision;
  }

  async compactedRevision(): Promise<number> {
    return this.compacted;
  }

  // ---- writes

  async create(key: string, value: Uint8Array, opts: PutOptions = {}): Promise<KeyValue> {
    this.assertOpen();
    if (this.live.has(key)) throw new KosError('AlreadyExists', `${key} already exists`);
    this.checkLease(opts.lease);
    const rev = this.revision + 1;
    const kv: KeyValue = { key, value: value.slice(), createRevision: rev, modRevision: rev, version: 1, lease: opts.lease ?? 0 };
    this.commit([{ type: 'put', kv, revision: rev }]);
    return kv;
  }

  async update(key: string, value: Uint8Array, expectedModRevision: number, opts: PutOptions = {}): Promise<KeyValue> {
    this.assertOpen();
    const prev = this.live.get(key);
    if (!prev) throw notFound(`${key} not found`);
    if (prev.modRevision !== expectedModRevision) throw conflict(`${key} changed (now at ${prev.modRevision})`);
    this.checkLease(opts.lease);
    const rev = this.revision + 1;
    const kv: KeyValue = { ...prev, value: value.slice(), modRevision: rev, version: prev.version + 1, lease: opts.lease ?? 0 };
    this.commit([{ type: 'put', kv, prevKv: prev, revision: rev }]);
    return kv;
  }

  async delete(key: string, opts: DeleteOptions = {}): Promise<KeyValue> {
    this.assertOpen();
    const prev = this.live.get(key);
    if (!prev) throw notFound(`${key} not found`);
    if (opts.expectedModRevision !== undefined && prev.modRevision !== opts.expectedModRevision) {
      throw conflict(`${key} changed (now at ${prev.modRevision})`);
    }
    this.commit([{ type: 'delete', kv: prev, prevKv: prev, revision: this.revision + 1 }]);
    return prev;
  }

  // ---- watch

  watch(prefix: string, opts: WatchOptions): Watch {
    this.assertOpen();
    const w = new MemoryWatch(prefix, opts.maxBuffered ?? 10_000, (x) => this.watches.delete(x));
    if (opts.afterRevision < this.compacted) {
      w.fail(new KosError('Compacted', `revision ${opts.afterRevision} is compacted (at ${this.compacted})`));
      return w;
    }
    this.watches.add(w);
    if (this.paused) w.pause();
    for (const ev of this.history) {
      if (ev.revision > opts.afterRevision) w.push([ev]);
    }
    return w;
  }

  // ---- leases

  async grantLease(ttlSeconds: number): Promise<Lease> {
    this.assertOpen();
    if (!Number.isSafeInteger(ttlSeconds) || ttlSeconds <= 0) throw badRequest(`invalid TTL ${ttlSeconds}`);
    const id = this.nextLeaseId++;
    this.leases.set(id, { ttlSeconds, timer: this.expiryTimer(id, ttlSeconds), keys: new Set() });
    return { id, ttlSeconds };
  }

  async keepAlive(leaseId: number): Promise<Lease> {
    this.assertOpen();
    const lease = this.leases.get(leaseId);
    if (!lease) throw notFound(`lease ${leaseId} not found`);
    lease.timer.cancel();
    lease.timer = this.expiryTimer(leaseId, lease.ttlSeconds);
    return { id: leaseId, ttlSeconds: lease.ttlSeconds };
  }

  async revokeLease(leaseId: number): Promise<void> {
    this.assertOpen();
    if (!this.leases.has(leaseId)) throw notFound(`lease ${leaseId} not found`);
    this.expire(leaseId);
  }

  // ---- maintenance

  async compact(revision: number): Promise<void> {
    this.assertOpen();
    if (revision > this.revision) throw badRequest(`cannot compact the future (${revision} > ${this.revision})`);
    if (revision <= this.compacted) return;
    this.compacted = revision;
    this.history = this.history.filter((ev) => ev.revision > revision);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const l of this.leases.values()) l.timer.cancel();
    for (const w of [...this.watches]) w.close();
  }

  // ---- internals

  /** Apply events of one revision: live state, lease bookkeeping, history, watchers. */
  private commit(events: WatchEvent[]): void {
    const first = events[0];
    if (!first) return;
    this.revision = first.revision;
    for (const ev of events) {
      const prevLease = this.live.get(ev.kv.key)?.lease ?? 0;
      if (prevLease) this.leases.get(prevLease)?.keys.delete(ev.kv.key);
      if (ev.type === 'put') {
        this.live.set(ev.kv.key, ev.kv);
        if (ev.kv.lease) this.leases.get(ev.kv.lease)?.keys.add(ev.kv.key);
      } else {
        this.live.delete(ev.kv.key);
      }
      this.history.push(ev);
    }
    for (const w of this.watches) w.push(events);
  }

  private expiryTimer(id: number, ttlSeconds: number): TimerHandle {
    return this.clock.setTimer(ttlSeconds * 1000, () => {
      if (!this.closed) this.expire(id);
    });
  }

  /** Drop a lease and delete its keys in one revision, as etcd does. */
  private expire(id: number): void {
    const lease = this.leases.get(id);
    if (!lease) return;
    lease.timer.cancel();
    this.leases.delete(id);
    const rev = this.revision + 1;
    const events: WatchEvent[] = [];
    for (const key of [...lease.keys].sort()) {
      const kv = this.live.get(key);
      if (kv) events.push({ type: 'delete', kv, prevKv: kv, revision: rev });
    }
    this.commit(events);
  }

  private checkLease(lease: number | undefined): void {
    if (lease && !this.leases.has(lease)) throw notFound(`lease ${lease} not found`);
  }

  private checkRevision(revision: number): number {
    if (revision < this.compacted) throw new KosError('Compacted', `revision ${revision} is compacted (at ${this.compacted})`);
    if (revision > this.revision) throw badRequest(`revision ${revision} is in the future`);
    return revision;
  }

  /** The keys as of a past revision: undo, newest first, every event after it. */
  private stateAt(revision: number): Map<string, KeyValue> {
    const state = new Map(this.live);
    for (let i = this.history.length - 1; i >= 0; i--) {
      const ev = this.history[i];
      if (!ev || ev.revision <= revision) break;
      if (ev.prevKv) state.set(ev.kv.key, ev.prevKv);
      else state.delete(ev.kv.key);
    }
    return state;
  }

  private assertOpen(): void {
    if (this.closed) throw new KosError('Unavailable', 'store is closed');
  }
}

/** One watch: a queue of batches filtered by prefix, ended by close() or an error. */
class MemoryWatch implements Watch {
  private readonly queue: WatchEvent[][] = [];
  private buffered = 0;
  private error: KosError | undefined;
  private done = false;
  private paused = false;
  private waiter: (() => void) | undefined;

  constructor(
    private readonly prefix: string,
    private readonly maxBuffered: number,
    private readonly onEnd: (w: MemoryWatch) => void,
  ) {}

  push(events: WatchEvent[]): void {
    if (this.done) return;
    const mine = events.filter((ev) => ev.kv.key.startsWith(this.prefix));
    if (mine.length === 0) return;
    this.queue.push(mine);
    this.buffered += mine.length;
    if (this.buffered > this.maxBuffered) {
      this.fail(new KosError('WatchTooSlow', `watcher fell more than ${this.maxBuffered} events behind`));
      return;
    }
    this.wake();
  }

  pause(): void {
    this.paused = true;
  }

  fail(error: KosError): void {
    if (this.done) return;
    this.queue.length = 0;
    this.error = error;
    this.end();
  }

  close(): void {
    if (this.done) return;
    this.end();
  }

  [Symbol.asyncIterator](): AsyncIterator<WatchEvent[]> {
    return watchIterator(() => this.next(), () => this.close());
  }

  private async next(): Promise<IteratorResult<WatchEvent[]>> {
    for (;;) {
      if (!this.paused) {
        const batch = this.queue.shift();
        if (batch) {
          this.buffered -= batch.length;
          return { done: false, value: batch };
        }
      }
      if (this.error) {
        const err = this.error;
        this.error = undefined;
        throw err;
      }
      if (this.done) return { done: true, value: undefined };
      await new Promise<void>((resolve) => {
        this.waiter = resolve;
      });
    }
  }

  private end(): void {
    this.done = true;
    this.onEnd(this);
    this.wake();
  }

  private wake(): void {
    const w = this.waiter;
    this.waiter = undefined;
    w?.();
  }
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function encodeToken(t: ContinueToken): string {
  return Buffer.from(JSON.stringify(t)).toString('base64url');
}

function decodeToken(s: string): ContinueToken {
  try {
    const t = JSON.parse(Buffer.from(s, 'base64url').toString()) as Partial<ContinueToken>;
    if (typeof t.revision === 'number' && typeof t.after === 'string') return { revision: t.revision, after: t.after };
  } catch {
    // fall through to the error below
  }
  throw badRequest('invalid continue token');
}
