/**
 * Every write of the SQLite store: the checks a write makes against the newest rows, its
 * insert, and the watch events it produces, for a whole group of writes in one IMMEDIATE
 * transaction. It runs wherever the writing connection lives — inline on the store's own
 * connection, or on a worker thread of its own (writer-link.ts) — and so takes only plain
 * data in and gives plain data back: the time of the group comes with it (the store's
 * clock may be a virtual one), and a refusal comes back as its error kind and message.
 *
 * Each write checks and inserts against the state the writes before it in the group
 * left, so its outcome — its revision, a Conflict or an AlreadyExists — is what it would
 * have been had each been committed alone in that order. A refused write inserted
 * nothing (the checks come first; a unique-index violation undoes only its own
 * statement), so the others in the group are unaffected. Anything else (the disk, the
 * database) rolls the group back, and its writes are then retried one per transaction so
 * that one bad write cannot fail the rest.
 */
import { KosError, conflict, isKosError, notFound, type ErrorKind } from '../errors.js';
import { rowToEvent, updateEvent, type CommittedEvent } from './sqlite-rows.js';
import { openDatabase, type Db, type Durability, type RevisionRow } from './sqlite-schema.js';
import { prepareStatements, type Statements } from './sqlite-statements.js';
import type { WatchEvent } from './types.js';

export type WriteOp =
  | { op: 'create'; key: string; value: Uint8Array; lease: number }
  | { op: 'update'; key: string; value: Uint8Array; expected: number; lease: number }
  | { op: 'delete'; key: string; expected?: number }
  | { op: 'grantLease'; ttlSeconds: number }
  | { op: 'keepAlive'; id: number }
  /** `due`: the lease's timer fired (expire only if it really ran out); otherwise a revoke. */
  | { op: 'expireLease'; id: number; due: boolean }
  | { op: 'compact'; from: number; revision: number };

export interface WriteBatch {
  /** The store clock's time for the whole group, in milliseconds. */
  now: number;
  ops: WriteOp[];
}

/** A refusal as plain data; `kind` is absent for an error that is not a KosError. */
export interface WireError {
  kind?: ErrorKind;
  message: string;
}

export type WriteResult =
  | {
      ok: true;
      /** The watch events of the write, in revision order (a lease expiry has several). */
      events: CommittedEvent[];
      /** grantLease and keepAlive: the lease and when it now expires. */
      lease?: { id: number; ttlSeconds: number; expiresAt: number };
      /** expireLease with due: the lease still runs until then (its timer fired early). */
      rearmAt?: number;
      /** keepAlive: the lease had run out; it was expired now instead of extended. */
      expired?: boolean;
    }
  | { ok: false; error: WireError };

export function toWireError(error: unknown): WireError {
  if (isKosError(error)) return { kind: error.kind, message: error.message };
  return { message: error instanceof Error ? error.message : String(error) };
}

export function fromWireError(error: WireError): Error {
  return error.kind ? new KosError(error.kind, error.message) : new Error(error.message);
}

/** Runs fn in one write transaction; throws (after rolling back) if fn or the commit does. */
export type Transaction = <R>(fn: () => R) => R;

/**
 * Run a group of writes in one transaction; a write that throws a KosError is refused
 * alone. If the transaction itself fails, each write is retried in a transaction of its
 * own, so only the write at fault fails.
 */
export function commitGroup<R>(transaction: Transaction, writes: readonly (() => R)[]): ({ ok: true; value: R } | { ok: false; error: unknown })[] {
  const refusable = (write: () => R): { ok: true; value: R } | { ok: false; error: unknown } => {
    try {
      return { ok: true, value: write() };
    } catch (error) {
      if (isKosError(error)) return { ok: false, error };
      throw error;
    }
  };
  try {
    return transaction(() => writes.map(refusable));
  } catch (error) {
    if (writes.length === 1) return [{ ok: false, error }];
  }
  return writes.map((write) => {
    try {
      return transaction(() => refusable(write));
    } catch (error) {
      return { ok: false, error };
    }
  });
}

/** `row` if it is a live row at the expected revision (when one is asked for). */
function checkCurrent<R extends { id: number; deleted: number }>(key: string, row: R | undefined, expectedModRevision: number | undefined): R {
  if (!row || row.deleted) throw notFound(`key ${key} not found`);
  if (expectedModRevision !== undefined && row.id !== expectedModRevision) {
    throw conflict(`key ${key} is at revision ${row.id}, not ${expectedModRevision}`);
  }
  return row;
}

export class SqliteWriter {
  private readonly sql: Statements;
  private readonly tx: Transaction;

  constructor(private readonly db: Db) {
    this.sql = prepareStatements(db);
    // IMMEDIATE takes the write lock up front, so the reads a write depends on (the
    // key's newest row, the next revision) cannot go stale before the insert.
    const immediate = db.transaction((fn: () => unknown) => fn());
    this.tx = <R>(fn: () => R): R => immediate.immediate(fn) as R;
  }

  static open(path: string, durability: Durability): SqliteWriter {
    return new SqliteWriter(openDatabase(path, durability));
  }

  apply(batch: WriteBatch): WriteResult[] {
    const outcomes = commitGroup(
      this.tx,
      batch.ops.map((op) => () => this.run(op, batch.now)),
    );
    return outcomes.map((o) => (o.ok ? o.value : { ok: false, error: toWireError(o.error) }));
  }

  close(): void {
    this.db.close();
  }

  private run(op: WriteOp, now: number): WriteResult & { ok: true } {
    switch (op.op) {
      case 'create':
        return { ok: true, events: [this.create(op.key, op.value, op.lease, now)] };
      case 'update':
        return { ok: true, events: [this.update(op.key, op.value, op.expected, op.lease, now)] };
      case 'delete':
        return { ok: true, events: [this.tombstone(this.current(op.key, op.expected))] };
      case 'grantLease': {
        const expiresAt = now + op.ttlSeconds * 1000;
        return { ok: true, events: [], lease: { id: this.sql.leaseInsert(op.ttlSeconds, expiresAt), ttlSeconds: op.ttlSeconds, expiresAt } };
      }
      case 'keepAlive': {
        const lease = this.sql.leaseGet(op.id);
        if (!lease) throw notFound(`lease ${op.id} not found`);
        // Expired but its timer has not run yet: expire it now, as the timer would.
        if (lease.expires_at <= now) return { ok: true, events: this.expireLease(op.id), expired: true };
        const expiresAt = now + lease.ttl_seconds * 1000;
        this.sql.leaseTouch(op.id, expiresAt);
        return { ok: true, events: [], lease: { id: op.id, ttlSeconds: lease.ttl_seconds, expiresAt } };
      }
      case 'expireLease': {
        const lease = this.sql.leaseGet(op.id);
        if (!lease) {
          if (op.due) return { ok: true, events: [] };
          throw notFound(`lease ${op.id} not found`);
        }
        if (op.due && lease.expires_at > now) return { ok: true, events: [], rearmAt: lease.expires_at };
        return { ok: true, events: this.expireLease(op.id) };
      }
      case 'compact':
        this.sql.compact(op.from, op.revision);
        this.sql.metaSet('compact_revision', op.revision);
        return { ok: true, events: [] };
    }
  }

  private create(key: string, value: Uint8Array, lease: number, now: number): WatchEvent {
    const prev = this.sql.latest(key);
    if (prev && !prev.deleted) throw new KosError('AlreadyExists', `key ${key} already exists`);
    this.checkLease(lease, now);
    const id = this.sql.currentRevision() + 1;
    return this.insert(
      { id, name: key, created: 1, deleted: 0, create_revision: id, prev_revision: prev?.id ?? 0, lease, version: 1, value, old_value: null },
      0,
    );
  }

  private update(key: string, value: Uint8Array, expected: number, lease: number, now: number): CommittedEvent {
    const prev = checkCurrent(key, this.sql.head(key), expected);
    this.checkLease(lease, now);
    const id = this.sql.currentRevision() + 1;
    const row: RevisionRow = {
      id,
      name: key,
      created: 0,
      deleted: 0,
      create_revision: prev.create_revision,
      prev_revision: prev.id,
      lease,
      version: prev.version + 1,
      value,
      old_value: null,
    };
    this.sql.insert(row);
    return updateEvent(row, { modRevision: prev.id, lease: prev.lease });
  }

  /** The key's newest row, value and all, if it exists and (when asked) has the expected revision. */
  private current(key: string, expectedModRevision: number | undefined): RevisionRow {
    return checkCurrent(key, this.sql.latest(key), expectedModRevision);
  }

  /** Write the tombstone of a live row; returns its event. */
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
    );
  }

  /**
   * Insert a row. row.old_value (the replaced value) goes into the event but not into the
   * table: the replaced row still holds it for as long as a replay can need it, so a
   * write stores its value once rather than twice.
   */
  private insert(row: RevisionRow, prevLease: number): WatchEvent {
    const replaced = row.old_value;
    row.old_value = null;
    this.sql.insert(row);
    row.old_value = replaced;
    return rowToEvent(row, prevLease);
  }

  private checkLease(lease: number, now: number): void {
    if (lease === 0) return;
    const row = this.sql.leaseGet(lease);
    if (!row || row.expires_at <= now) throw notFound(`lease ${lease} not found`);
  }

  /** Delete every key of a lease (each at its own revision) and the lease. */
  private expireLease(leaseId: number): WatchEvent[] {
    const events = this.sql.liveWithLease(leaseId).map((row) => this.tombstone(row));
    this.sql.leaseDelete(leaseId);
    return events;
  }
}
