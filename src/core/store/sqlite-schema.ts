/**
 * The SQLite layout of the store, in the style of kine: one table of revisions.
 *
 * - `kv`: one row per write; the row id IS the store revision (AUTOINCREMENT, so a
 *   revision is never reused even after compaction deletes the newest rows). A create
 *   has `created = 1`, a delete is a tombstone row with `deleted = 1`. `prev_revision`
 *   points at the row this write replaced (0 for a first create). Compare-and-swap needs
 *   no index of its own: a write reads the key's newest row and inserts inside one
 *   IMMEDIATE transaction, which holds the database's write lock, so no other write (of
 *   this connection or any other) can come between the check and the insert. An older
 *   version kept a UNIQUE (name, prev_revision) index for that; it cost a fifth of every
 *   insert and is dropped when such a database is opened.
 *   `old_value` is no longer written (NULL; a replay reads the replaced value from the
 *   replaced row, which outlives every event that needs it: see sqlite-statements.ts);
 *   rows an older version wrote still carry it, and it is still read first. `version` is etcd's per-key write count (kine derives it;
 *   storing it keeps reads a single row lookup); a tombstone keeps the version the key
 *   had when it was deleted.
 *   The (name, id, deleted) index answers "the newest row of a key at revision R" and,
 *   being covering, lets a count walk the index alone.
 * - `meta`: the compaction revision.
 * - `leases`: granted leases and when they expire, in clock milliseconds.
 *
 * Durability. The database runs in WAL mode. With `synchronous = NORMAL` (the default
 * here) a commit appends its frames to the WAL with write(2) but does not fsync: once the
 * write returns the frames are in the OS page cache, so a killed process — even
 * SIGKILL — loses nothing it acknowledged; only an OS crash or power loss can drop the
 * last commits (never corrupt the file: the WAL is checksummed and fsynced at
 * checkpoints). `durability: 'full'` sets `synchronous = FULL`, an fsync of the WAL on
 * every commit, for a machine whose power cannot be trusted; it costs a disk flush per
 * write.
 */
import Database from 'better-sqlite3';

export type Durability = 'normal' | 'full';

export type Db = Database.Database;

const schema = `
CREATE TABLE IF NOT EXISTS kv (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  name TEXT NOT NULL,
  created INTEGER NOT NULL,
  deleted INTEGER NOT NULL,
  create_revision INTEGER NOT NULL,
  prev_revision INTEGER NOT NULL,
  lease INTEGER NOT NULL,
  version INTEGER NOT NULL,
  value BLOB NOT NULL,
  old_value BLOB
);
DROP INDEX IF EXISTS kv_name_prev_revision;
CREATE INDEX IF NOT EXISTS kv_name_id_deleted ON kv (name, id, deleted);
CREATE INDEX IF NOT EXISTS kv_lease ON kv (lease) WHERE lease <> 0;
CREATE TABLE IF NOT EXISTS meta (
  name TEXT PRIMARY KEY,
  value INTEGER NOT NULL
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS leases (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  ttl_seconds INTEGER NOT NULL,
  expires_at INTEGER NOT NULL
);
`;

export function openDatabase(path: string, durability: Durability): Db {
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma(`synchronous = ${durability === 'full' ? 'FULL' : 'NORMAL'}`);
  // Another connection holding the write lock makes us wait rather than fail at once.
  db.pragma('busy_timeout = 5000');
  // A cluster of 100k+ pods has an index far larger than SQLite's default 2 MiB page
  // cache; 64 MiB keeps the hot part of it (the newest keys) in memory.
  db.pragma('cache_size = -65536');
  // A checkpoint (WAL pages copied into the database, both files fsynced) runs inside the
  // commit that crosses the threshold. SQLite's default, every 1000 pages (4 MiB), put an
  // fsync every few dozen commits on the write path of a busy cluster; at 16384 pages
  // they are rare, and hot pages rewritten many times between them are copied once.
  db.pragma('wal_autocheckpoint = 16384');
  // …and the WAL file is cut back to this size after each, so it does not stay large.
  db.pragma('journal_size_limit = 67108864');
  db.exec(schema);
  return db;
}

/** A row of `kv` as better-sqlite3 returns it. */
export interface RevisionRow {
  id: number;
  name: string;
  created: number;
  deleted: number;
  create_revision: number;
  prev_revision: number;
  lease: number;
  version: number;
  value: Uint8Array;
  old_value: Uint8Array | null;
}

/** The newest row of a key as an update reads it: everything but the value. */
export type HeadRow = Pick<RevisionRow, 'id' | 'deleted' | 'create_revision' | 'lease' | 'version'>;

/** A row joined with the lease of the row it replaced (for a watch event's prevKv). */
export interface HistoryRow extends RevisionRow {
  prev_lease: number | null;
}

export interface LeaseRow {
  id: number;
  ttl_seconds: number;
  expires_at: number;
}

