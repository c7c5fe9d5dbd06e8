/**
 * How rows of the revision table read as the contract's KeyValues and watch events. The
 * same function turns a freshly written row (live) and a row read back (replay) into an
 * event, so a watcher sees identical events either way.
 */
import type { RevisionRow } from './sqlite-schema.js';
import type { KeyValue, WatchEvent } from './types.js';

const empty = new Uint8Array(0);

/** better-sqlite3 hands out Buffers; callers get plain Uint8Array views of the same bytes. */
export function bytes(b: Uint8Array | null): Uint8Array {
  if (b === null) return empty;
  return Object.getPrototypeOf(b) === Uint8Array.prototype ? b : new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
}

/** The key as written by a live (not tombstone) row. */
export function rowToKv(row: RevisionRow): KeyValue {
  return {
    key: row.name,
    value: bytes(row.value),
    createRevision: row.create_revision,
    modRevision: row.id,
    version: row.version,
    lease: row.lease,
  };
}

/**
 * The watch event a row stands for. `prevLease` is the lease of the replaced row (read
 * with a join on replay); the replaced value itself is the row's own old_value.
 */
export function rowToEvent(row: RevisionRow, prevLease: number): WatchEvent {
  if (row.deleted) {
    const last = bytes(row.old_value);
    return {
      type: 'delete',
      // etcd's shape for a deleted key: version 0 at the delete's revision; the value is
      // the last one the key had, which is what deletion handlers want to see.
      kv: { key: row.name, value: last, createRevision: row.create_revision, modRevision: row.id, version: 0, lease: 0 },
      prevKv: prevOf(row, last, row.version, prevLease),
      revision: row.id,
    };
  }
  const kv = rowToKv(row);
  if (row.created) return { type: 'put', kv, revision: row.id };
  return { type: 'put', kv, prevKv: prevOf(row, bytes(row.old_value), row.version - 1, prevLease), revision: row.id };
}

/**
 * A committed event as the writer hands it over. An update's event names the row it
 * replaced (`replaced`) instead of carrying its value in prevKv: the writer does not read
 * the replaced bytes, which almost no watcher looks at. The store reads them back for the
 * watchers that ask for prevKv, before any watcher sees the event (SqliteStore).
 */
export type CommittedEvent = WatchEvent & { replaced?: { modRevision: number; lease: number } };

/** An update's event, its replaced row named but not read (see CommittedEvent). */
export function updateEvent(row: RevisionRow, replaced: { modRevision: number; lease: number }): CommittedEvent {
  return { type: 'put', kv: rowToKv(row), revision: row.id, replaced };
}

/** The prevKv of an update's event, from the replaced row's value and lease. */
export function replacedKv(kv: KeyValue, modRevision: number, value: Uint8Array, lease: number): KeyValue {
  return { key: kv.key, value, createRevision: kv.createRevision, modRevision, version: kv.version - 1, lease };
}

function prevOf(row: RevisionRow, value: Uint8Array, version: number, lease: number): KeyValue {
  return { key: row.name, value, createRevision: row.create_revision, modRevision: row.prev_revision, version, lease };
}
