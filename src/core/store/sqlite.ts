/**
 * The embedded store: etcd semantics on one SQLite revision table (layout and the
 * durability choice in sqlite-schema.ts).
 *
 * Writes are group-committed (group-commit.ts) by a writer (sqlite-writer.ts) that runs
 * either inline on this connection or on a worker thread with a connection of its own
 * (writer-link.ts); either way a write is acknowledged, and its watch event published,
 * only once its group has committed. Reads run here, synchronously, on this connection:
 * in WAL mode they see every committed group and never wait for the writer. A read of a
 * key first waits for that key's pending writes, and every other call for all writes
 * asked for before it, so a caller never reads around a write it already asked for.
 *
 * One process owns a data directory: watches only see writes made through this handle.
 * Several handles on one file still keep compare-and-swap correct (the unique index), so
 * a stray second writer can conflict but never corrupt.
 */
import type { Clock } from '../clock.js';
import { KosError, badRequest, isKosError, notFound } from '../errors.js';
import { decodeContinue, encodeContinue } from './continue-token.js';
import { keyAfter, prefixUpperBound } from './key-range.js';
import { LeaseTimers } from './lease-timers.js';
import { bytes, replacedKv, rowToEvent, rowToKv, type CommittedEvent } from './sqlite-rows.js';
import { openDatabase, type Db, type Durability } from './sqlite-schema.js';
import { prepareStatements, type Span, type Statements } from './sqlite-statements.js';
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
} from './types.js';
import { WatchHub, type HistorySource } from './watch-hub.js';
import { GroupCommit, type WriteOutcome } from './group-commit.js';
import type { WriteOp } from './sqlite-writer.js';
import { inlineWriter, threadWriter, type WriterLink } from './writer-link.js';
import { LatestCache } from './latest-cache.js';

export interface SqliteStoreOptions {
  /** Database file; its directory must exist. */
  path: string;
  clock: Clock;
  /** 'normal' (default) survives a killed process, 'full' also a power cut. */
  durability?: Durability;
  /** Where writes run: 'inline' (default) on this connection, 'thread' on a worker thread. */
  writer?: 'inline' | 'thread';
}

export function openSqliteStore(opts: SqliteStoreOptions): Store {
  return new SqliteStore(opts);
}

const compactKey = 'compact_revision';
/** Values kept for reads at the head (latest-cache.ts). */
const latestCacheBytes = 128 * 2 ** 20;
/** How long to wait before trying again to expire a lease whose revoke failed. */
const leaseRetryMs = 1_000;

class SqliteStore implements Store {
  private readonly db: Db;
  private readonly sql: Statements;
  private readonly clock: Clock;
  private readonly hub: WatchHub;
  private readonly leaseTimers: LeaseTimers;
  private readonly link: WriterLink;
  private readonly writes: GroupCommit;
  private readonly latest = new LatestCache(latestCacheBytes);
  private compacted: number;
  private closed = false;

  constructor(opts: SqliteStoreOptions) {
    this.clock = opts.clock;
    const durability = opts.durability ?? 'normal';
    this.db = openDatabase(opts.path, durability);
    this.sql = prepareStatements(this.db);
    this.link = opts.writer === 'thread' ? threadWriter({ path: opts.path, durability }) : inlineWriter(this.db);
    this.compacted = this.sql.metaGet(compactKey) ?? 0;
    const history: HistorySource = {
      readHistory: (prefix, after, limit) => this.readHistory(prefix, after, limit),
      compactedRevision: () => this.compacted,
      currentRevision: () => this.sql.currentRevision(),
    };
    this.hub = new WatchHub(history);
    this.writes = new GroupCommit(this.link, () => this.clock.now(), (events) => {
      this.readReplaced(events);
      this.latest.apply(events);
      this.hub.publish(events);
    });
    this.leaseTimers = new LeaseTimers(this.clock, (id) => this.leaseDue(id));
    this.resumeLeases();
  }

  // ---- reads

  async get(key: string, opts: { revision?: number } = {}): Promise<KeyValue | undefined> {
    this.assertOpen();
    checkKey(key);
    const pending = this.writes.settledFor(key);
    if (pending) await pending;
    if (!opts.revision) {
      const cached = this.latest.get(key);
      if (cached !== undefined) return cached ?? undefined;
    }
    // The common read, at the head, needs no revision bound.
    const row = opts.revision ? this.sql.latestAt(key, this.readRevision(opts.revision)) : this.sql.latest(key);
    return row && !row.deleted ? rowToKv(row) : undefined;
  }

  async range(prefix: string, opts: RangeOptions = {}): Promise<RangeResult> {
    this.assertOpen();
    await this.writes.settled();
    const limit = opts.limit ?? 0;
    if (!Number.isSafeInteger(limit) || limit < 0) throw badRequest(`invalid limit ${limit}`);
    const end = prefixUpperBound(prefix);
    let span: Span;
    let rev: number;
    let count: number;
    if (opts.continue) {
      const token = decodeContinue(opts.continue, prefix);
      if (opts.revision && opts.revision !== token.revision) throw badRequest('a continued range is read at its token revision');
      rev = this.readRevision(token.revision);
      span = { start: token.start, end };
      count = token.remaining;
    } else {
      rev = this.readRevision(opts.revision);
      span = { start: prefix, end };
      count = this.sql.span(span).count(span, rev);
    }
    // count is etcd's: the keys in the requested range, i.e. this page and all later ones.
    if (opts.countOnly) return { kvs: [], revision: rev, count };
    // One row more than asked tells whether another page follows. -1 is SQLite's "no limit".
    const rows = this.sql.span(span).page(span, rev, limit > 0 ? limit + 1 : -1);
    const more = limit > 0 && rows.length > limit;
    const kvs = (more ? rows.slice(0, limit) : rows).map(rowToKv);
    const last = kvs[kvs.length - 1];
    const result: RangeResult = { kvs, revision: rev, count };
    if (more && last) {
      result.continue = encodeContinue({ prefix, start: keyAfter(last.key), revision: rev, remaining: count - kvs.length });
    }
    return result;
  }

  async currentRevision(): Promise<number> {
    this.assertOpen();
    await this.writes.settled();
    return this.sql.currentRevision();
  }

  async compactedRevision(): Promise<number> {
    this.assertOpen();
    await this.writes.settled();
    return this.compacted;
  }

  // ---- writes

  async create(key: string, value: Uint8Array, opts: PutOptions = {}): Promise<KeyValue> {
    this.assertOpen();
    checkKey(key);
    return this.put(key, { op: 'create', key, value: copyOf(value), lease: opts.lease ?? 0 });
  }

  async update(key: string, value: Uint8Array, expectedModRevision: number, opts: PutOptions = {}): Promise<KeyValue> {
    this.assertOpen();
    checkKey(key);
    return this.put(key, { op: 'update', key, value: copyOf(value), expected: expectedModRevision, lease: opts.lease ?? 0 });
  }

  async delete(key: string, opts: DeleteOptions = {}): Promise<KeyValue> {
    this.assertOpen();
    checkKey(key);
    const event = await this.write(key, { op: 'delete', key, ...(opts.expectedModRevision !== undefined ? { expected: opts.expectedModRevision } : {}) });
    // The caller gets the key as it was just before the delete.
    return event.prevKv ?? event.kv;
  }

  async compact(revision: number): Promise<void> {
    this.assertOpen();
    if (!Number.isSafeInteger(revision) || revision < 0) throw badRequest(`invalid revision ${revision}`);
    await this.writes.settled();
    const current = this.sql.currentRevision();
    if (revision > current) throw badRequest(`cannot compact at ${revision}, beyond the current revision ${current}`);
    if (revision <= this.compacted) return;
    await this.submit(undefined, { op: 'compact', from: this.compacted, revision });
    this.compacted = Math.max(this.compacted, revision);
  }

  // ---- leases

  async grantLease(ttlSeconds: number): Promise<Lease> {
    this.assertOpen();
    if (!Number.isSafeInteger(ttlSeconds) || ttlSeconds <= 0) throw badRequest(`invalid lease TTL ${ttlSeconds}`);
    const { lease } = await this.submit(undefined, { op: 'grantLease', ttlSeconds });
    if (!lease) throw new Error('lease grant lost its lease');
    this.leaseTimers.schedule(lease.id, lease.expiresAt);
    return { id: lease.id, ttlSeconds: lease.ttlSeconds };
  }

  async keepAlive(leaseId: number): Promise<Lease> {
    this.assertOpen();
    const outcome = await this.submit(undefined, { op: 'keepAlive', id: leaseId });
    if (outcome.expired || !outcome.lease) {
      this.leaseTimers.cancel(leaseId);
      throw notFound(`lease ${leaseId} has expired`);
    }
    this.leaseTimers.schedule(leaseId, outcome.lease.expiresAt);
    return { id: leaseId, ttlSeconds: outcome.lease.ttlSeconds };
  }

  async revokeLease(leaseId: number): Promise<void> {
    this.assertOpen();
    await this.submit(undefined, { op: 'expireLease', id: leaseId, due: false });
    this.leaseTimers.cancel(leaseId);
  }

  // ---- watch

  watch(prefix: string, opts: WatchOptions): Watch {
    this.assertOpen();
    if (!Number.isSafeInteger(opts.afterRevision) || opts.afterRevision < 0) {
      throw badRequest(`invalid afterRevision ${opts.afterRevision}`);
    }
    return this.hub.open(prefix, opts);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    // Writes already asked for are committed, as they would have been one by one.
    this.closed = true;
    this.leaseTimers.cancelAll();
    await this.writes.settled();
    await this.link.close();
    this.hub.closeAll();
    this.db.close();
  }

  // ---- internals

  private submit(key: string | undefined, op: WriteOp): Promise<WriteOutcome> {
    return this.writes.submit(key, op);
  }

  private async put(key: string, op: WriteOp): Promise<KeyValue> {
    return (await this.write(key, op)).kv;
  }

  /** A write of one key, its event. */
  private async write(key: string, op: WriteOp): Promise<WatchEvent> {
    try {
      return this.only(await this.submit(key, op));
    } catch (e) {
      // Perhaps another handle wrote the key: read it from the table next time.
      if (isKosError(e) && (e.kind === 'Conflict' || e.kind === 'AlreadyExists' || e.kind === 'NotFound')) this.latest.forget(key);
      throw e;
    }
  }

  private only(outcome: WriteOutcome): WatchEvent {
    const event = outcome.events[0];
    if (!event) throw new Error('a write lost its event');
    return event;
  }

  /**
   * Gives the updates among `events` their prevKv where a watch that reads prevKv will
   * receive them: the writer names the replaced row but does not read it (CommittedEvent).
   * Compaction waits for every write before it to be published, so the row is there.
   */
  private readReplaced(events: CommittedEvent[]): void {
    let prefixes: string[] | undefined;
    for (const ev of events) {
      const replaced = ev.replaced;
      if (!replaced) continue;
      // The last property the event got: deleting it leaves the object's shape as it was.
      delete ev.replaced;
      prefixes ??= this.hub.prevKvPrefixes();
      if (!prefixes.some((p) => ev.kv.key.startsWith(p))) continue;
      const row = this.sql.valueAt(replaced.modRevision);
      if (row) ev.prevKv = replacedKv(ev.kv, replaced.modRevision, bytes(row.value), row.lease);
    }
  }

  /** The rows after `after` under the prefix, as events: a watch's replay. */
  private readHistory(prefix: string, after: number, limit: number): WatchEvent[] {
    const span: Span = { start: prefix, end: prefixUpperBound(prefix) };
    return this.sql
      .span(span)
      .history(span, after, limit)
      .map((row) => rowToEvent(row, row.prev_lease ?? 0));
  }

  private leaseDue(leaseId: number): void {
    if (this.closed) return;
    this.submit(undefined, { op: 'expireLease', id: leaseId, due: true }).then(
      (outcome) => {
        if (outcome.rearmAt !== undefined && !this.closed) this.leaseTimers.schedule(leaseId, outcome.rearmAt);
      },
      () => {
        // Most likely the database is busy with another connection's write: try again
        // shortly rather than leave the lease's keys alive forever.
        if (!this.closed) this.leaseTimers.schedule(leaseId, this.clock.now() + leaseRetryMs);
      },
    );
  }

  /** After a restart: expire what ran out while we were down, re-arm the rest. */
  private resumeLeases(): void {
    const now = this.clock.now();
    for (const lease of this.sql.leaseAll()) {
      // An expiry asked for now is queued ahead of every later call's reads and writes.
      if (lease.expires_at <= now) this.leaseDue(lease.id);
      else this.leaseTimers.schedule(lease.id, lease.expires_at);
    }
  }

  /** The revision a read is served at: the given one, or the current one for 0/absent. */
  private readRevision(requested: number | undefined): number {
    const current = this.sql.currentRevision();
    if (requested === undefined || requested === 0) return current;
    if (!Number.isSafeInteger(requested) || requested < 0) throw badRequest(`invalid revision ${requested}`);
    if (requested > current) throw badRequest(`revision ${requested} is in the future (current ${current})`);
    if (requested < this.compacted) {
      throw new KosError('Compacted', `revision ${requested} is compacted (compacted at ${this.compacted})`);
    }
    return requested;
  }

  private assertOpen(): void {
    if (this.closed) throw new KosError('Unavailable', 'store is closed');
  }
}

function checkKey(key: string): void {
  if (typeof key !== 'string' || key.length === 0) throw badRequest('key must be a non-empty string');
}

/** Own the bytes: a caller reusing its buffer must not change what the store returns. */
function copyOf(value: Uint8Array): Uint8Array {
  if (!(value instanceof Uint8Array)) throw badRequest('value must be a Uint8Array');
  return new Uint8Array(value);
}
