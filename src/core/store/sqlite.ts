/**
 * The embedded store: etcd semantics on one SQLite revision table (layout and the
 * durability choice in sqlite-schema.ts). better-sqlite3 is synchronous, so every read
 * runs to completion in one turn of the event loop.
 *
 * Writes are group-committed (group-commit.ts): the creates, updates and deletes asked for
 * in one turn of the event loop run, in the order they were asked, inside one IMMEDIATE
 * transaction, and their watch events are published together right after its commit.
 * Each write still makes its own checks against the state left by the ones before it, so
 * compare-and-swap, revisions and watch order are exactly those of running them one by
 * one; a commit costs the same whether it carries one row or a thousand, which is what a
 * busy cluster gains. A read of a key with a write pending, and every other call, first
 * commits what is pending, so a caller never reads around a write it already asked for.
 *
 * One process owns a data directory: watches only see writes made through this handle.
 * Several handles on one file still keep compare-and-swap correct (the unique index), so
 * a stray second writer can conflict but never corrupt.
 */
import type { Clock } from '../clock.js';
import { KosError, badRequest, conflict, notFound } from '../errors.js';
import { decodeContinue, encodeContinue } from './continue-token.js';
import { keyAfter, prefixUpperBound } from './key-range.js';
import { LeaseTimers } from './lease-timers.js';
import { rowToEvent, rowToKv } from './sqlite-rows.js';
import { isUniqueViolation, openDatabase, type Db, type Durability, type RevisionRow } from './sqlite-schema.js';
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
import { GroupCommit } from './group-commit.js';

export interface SqliteStoreOptions {
  /** Database file; its directory must exist. */
  path: string;
  clock: Clock;
  /** 'normal' (default) survives a killed process, 'full' also a power cut. */
  durability?: Durability;
}

export function openSqliteStore(opts: SqliteStoreOptions): Store {
  return new SqliteStore(opts);
}

const compactKey = 'compact_revision';
/** How long to wait before trying again to expire a lease whose revoke failed. */
const leaseRetryMs = 1_000;

class SqliteStore implements Store {
  private readonly db: Db;
  private readonly sql: Statements;
  private readonly clock: Clock;
  private readonly hub: WatchHub;
  private readonly leaseTimers: LeaseTimers;
  private readonly tx: <R>(fn: () => R) => R;
  private readonly writes: GroupCommit;
  private compacted: number;
  private closed = false;

  constructor(opts: SqliteStoreOptions) {
    this.clock = opts.clock;
    this.db = openDatabase(opts.path, opts.durability ?? 'normal');
    this.sql = prepareStatements(this.db);
    // IMMEDIATE takes the write lock up front, so the reads a write depends on (the
    // key's newest row, the next revision) cannot go stale before the insert.
    const immediate = this.db.transaction((fn: () => unknown) => fn());
    this.tx = <R>(fn: () => R): R => immediate.immediate(fn) as R;
    this.compacted = this.sql.metaGet(compactKey) ?? 0;
    const history: HistorySource = {
      readHistory: (prefix, after, limit) => this.readHistory(prefix, after, limit),
      compactedRevision: () => this.compacted,
      currentRevision: () => this.sql.currentRevision(),
    };
    this.hub = new WatchHub(history);
    this.writes = new GroupCommit(this.tx, (events) => this.hub.publish(events));
    this.leaseTimers = new LeaseTimers(this.clock, (id) => this.leaseDue(id));
    this.resumeLeases();
  }

  // ---- reads

  async get(key: string, opts: { revision?: number } = {}): Promise<KeyValue | undefined> {
    this.assertOpen();
    checkKey(key);
    this.writes.flushFor(key);
    // The common read, at the head, needs no revision bound.
    const row = opts.revision ? this.sql.latestAt(key, this.readRevision(opts.revision)) : this.sql.latest(key);
    return row && !row.deleted ? rowToKv(row) : undefined;
  }

  async range(prefix: string, opts: RangeOptions = {}): Promise<RangeResult> {
    this.assertOpen();
    this.writes.flush();
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
    this.writes.flush();
    return this.sql.currentRevision();
  }

  async compactedRevision(): Promise<number> {
    this.assertOpen();
    this.writes.flush();
    return this.compacted;
  }

  // ---- writes

  async create(key: string, value: Uint8Array, opts: PutOptions = {}): Promise<KeyValue> {
    this.assertOpen();
    checkKey(key);
    const lease = opts.lease ?? 0;
    const data = copyOf(value);
    const event = await this.writes.submit(key, () => {
      const prev = this.sql.latest(key);
      if (prev && !prev.deleted) throw new KosError('AlreadyExists', `key ${key} already exists`);
      this.checkLease(lease);
      const id = this.sql.currentRevision() + 1;
      return this.insert(
        { id, name: key, created: 1, deleted: 0, create_revision: id, prev_revision: prev?.id ?? 0, lease, version: 1, value: data, old_value: null },
        0,
        () => new KosError('AlreadyExists', `key ${key} already exists`),
      );
    });
    return event.kv;
  }

  async update(key: string, value: Uint8Array, expectedModRevision: number, opts: PutOptions = {}): Promise<KeyValue> {
    this.assertOpen();
    checkKey(key);
    const lease = opts.lease ?? 0;
    const data = copyOf(value);
    const event = await this.writes.submit(key, () => {
      const prev = this.current(key, expectedModRevision);
      this.checkLease(lease);
      const id = this.sql.currentRevision() + 1;
      return this.insert(
        {
          id,
          name: key,
          created: 0,
          deleted: 0,
          create_revision: prev.create_revision,
          prev_revision: prev.id,
          lease,
          version: prev.version + 1,
          value: data,
          old_value: prev.value,
        },
        prev.lease,
        () => conflict(`key ${key} was modified concurrently`),
      );
    });
    return event.kv;
  }

  async delete(key: string, opts: DeleteOptions = {}): Promise<KeyValue> {
    this.assertOpen();
    checkKey(key);
    const event = await this.writes.submit(key, () => {
      const prev = this.current(key, opts.expectedModRevision);
      return this.tombstone(prev);
    });
    // The caller gets the key as it was just before the delete.
    return event.prevKv ?? event.kv;
  }

  async compact(revision: number): Promise<void> {
    this.assertOpen();
    if (!Number.isSafeInteger(revision) || revision < 0) throw badRequest(`invalid revision ${revision}`);
    this.writes.flush();
    const current = this.sql.currentRevision();
    if (revision > current) throw badRequest(`cannot compact at ${revision}, beyond the current revision ${current}`);
    if (revision <= this.compacted) return;
    this.tx(() => {
      this.sql.compact(this.compacted, revision);
      this.sql.metaSet(compactKey, revision);
    });
    this.compacted = revision;
  }

  // ---- leases

  async grantLease(ttlSeconds: number): Promise<Lease> {
    this.assertOpen();
    if (!Number.isSafeInteger(ttlSeconds) || ttlSeconds <= 0) throw badRequest(`invalid lease TTL ${ttlSeconds}`);
    this.writes.flush();
    const expiresAt = this.clock.now() + ttlSeconds * 1000;
    const id = this.sql.leaseInsert(ttlSeconds, expiresAt);
    this.leaseTimers.schedule(id, expiresAt);
    return { id, ttlSeconds };
  }

  async keepAlive(leaseId: number): Promise<Lease> {
    this.assertOpen();
    this.writes.flush();
    const lease = this.sql.leaseGet(leaseId);
    if (!lease) throw notFound(`lease ${leaseId} not found`);
    if (lease.expires_at <= this.clock.now()) {
      // Expired but its timer has not run yet: expire it now, as the timer would.
      this.expireLease(leaseId);
      throw notFound(`lease ${leaseId} has expired`);
    }
    const expiresAt = this.clock.now() + lease.ttl_seconds * 1000;
    this.sql.leaseTouch(leaseId, expiresAt);
    this.leaseTimers.schedule(leaseId, expiresAt);
    return { id: leaseId, ttlSeconds: lease.ttl_seconds };
  }

  async revokeLease(leaseId: number): Promise<void> {
    this.assertOpen();
    this.writes.flush();
    if (!this.sql.leaseGet(leaseId)) throw notFound(`lease ${leaseId} not found`);
    this.expireLease(leaseId);
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
    this.writes.flush();
    this.closed = true;
    this.leaseTimers.cancelAll();
    this.hub.closeAll();
    this.db.close();
  }

  // ---- internals

  /** The rows after `after` under the prefix, as events: a watch's replay. */
  private readHistory(prefix: string, after: number, limit: number): WatchEvent[] {
    const span: Span = { start: prefix, end: prefixUpperBound(prefix) };
    return this.sql
      .span(span)
      .history(span, after, limit)
      .map((row) => rowToEvent(row, row.prev_lease ?? 0));
  }

  /** The key's newest row if it exists and (when asked) has the expected revision. */
  private current(key: string, expectedModRevision: number | undefined): RevisionRow {
    const row = this.sql.latest(key);
    if (!row || row.deleted) throw notFound(`key ${key} not found`);
    if (expectedModRevision !== undefined && row.id !== expectedModRevision) {
      throw conflict(`key ${key} is at revision ${row.id}, not ${expectedModRevision}`);
    }
    return row;
  }

  /** Write the tombstone of a live row (inside a transaction); returns its event. */
  private tombstone(prev: RevisionRow): WatchEvent {
    const id = this.sql.currentRevision() + 1;
    return this.insert(
      {
        id,
        name: prev.name,
        created: 0,
        deleted: 1,
        create_revision: prev.create_revision,
        prev_revision: prev.id,
        lease: 0,
        version: prev.version,
        value: new Uint8Array(0),
        old_value: prev.value,
      },
      prev.lease,
      () => conflict(`key ${prev.name} was modified concurrently`),
    );
  }

  /**
   * Insert a row; the unique (name, prev_revision) index turns a lost race into `raced`.
   * row.old_value (the replaced value) goes into the event but not into the table: the
   * replaced row still holds it for as long as a replay can need it, so a write stores
   * its value once rather than twice.
   */
  private insert(row: RevisionRow, prevLease: number, raced: () => KosError): WatchEvent {
    const replaced = row.old_value;
    row.old_value = null;
    try {
      this.sql.insert(row);
    } catch (e) {
      if (isUniqueViolation(e)) throw raced();
      throw e;
    }
    row.old_value = replaced;
    return rowToEvent(row, prevLease);
  }

  private checkLease(lease: number): void {
    if (lease === 0) return;
    const row = this.sql.leaseGet(lease);
    if (!row || row.expires_at <= this.clock.now()) throw notFound(`lease ${lease} not found`);
  }

  /** Delete every key of a lease (each at its own revision) and the lease, in one transaction. */
  private expireLease(leaseId: number): void {
    // Writes asked for before the expiry (perhaps attaching keys to this lease) go first.
    this.writes.flush();
    this.leaseTimers.cancel(leaseId);
    const events = this.tx(() => {
      const out = this.sql.liveWithLease(leaseId).map((row) => this.tombstone(row));
      this.sql.leaseDelete(leaseId);
      return out;
    });
    this.hub.publish(events);
  }

  private leaseDue(leaseId: number): void {
    if (this.closed) return;
    try {
      const lease = this.sql.leaseGet(leaseId);
      if (!lease) return;
      if (lease.expires_at > this.clock.now()) this.leaseTimers.schedule(leaseId, lease.expires_at);
      else this.expireLease(leaseId);
    } catch {
      // Most likely the database is busy with another connection's write: try again
      // shortly rather than leave the lease's keys alive forever.
      this.leaseTimers.schedule(leaseId, this.clock.now() + leaseRetryMs);
    }
  }

  /** After a restart: expire what ran out while we were down, re-arm the rest. */
  private resumeLeases(): void {
    const now = this.clock.now();
    for (const lease of this.sql.leaseAll()) {
      if (lease.expires_at <= now) this.expireLease(lease.id);
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
