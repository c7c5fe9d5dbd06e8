/**
 * Every SQL statement of the SQLite store, prepared once per connection. Reads of a key
 * at a revision are "the newest row of that name with id <= revision" — one seek on the
 * (name, id, deleted) index; a range walks the index in name order so LIMIT stops it early.
 */
import type { Db, HeadRow, HistoryRow, LeaseRow, RevisionRow } from './sqlite-schema.js';

const keyCols = 'k.id, k.name, k.created, k.deleted, k.create_revision, k.prev_revision, k.lease, k.version, k.value';
/** Reads of current values never need the replaced value: leave that blob on disk. */
const cols = `${keyCols}, NULL AS old_value`;
/**
 * A watch replay does: it is the event's prevKv, read from the replaced row (`p`,
 * joined). That row outlives every event that needs it: compaction at R deletes only rows
 * replaced at or below R, and events at or below R are no longer replayed. old_value is
 * NULL in rows written now and kept for rows an older version wrote.
 */
const historyCols = `${keyCols}, COALESCE(k.old_value, p.value) AS old_value`;

/** A key range: from `start` (inclusive) to `end` (exclusive; absent means no end). */
export interface Span {
  start: string;
  end?: string;
}

interface SpanParams {
  start: string;
  end?: string;
}

/** Statements whose SQL depends on whether the span has an end (see prepareSpan). */
export interface SpanStatements {
  page(span: Span, rev: number, limit: number): RevisionRow[];
  count(span: Span, rev: number): number;
  history(span: Span, after: number, limit: number): HistoryRow[];
}

function prepareSpan(db: Db, bounded: boolean): SpanStatements {
  // A separate statement per shape keeps both bounds usable by the index; an
  // `(@end IS NULL OR name < @end)` would leave the upper bound unindexed.
  const inSpan = (t: string): string => (bounded ? `${t}.name >= @start AND ${t}.name < @end` : `${t}.name >= @start`);
  const newestAtRev = 'k.id = (SELECT MAX(n.id) FROM kv AS n WHERE n.name = k.name AND n.id <= @rev)';
  // INDEXED BY holds the planner to the (name, id, deleted) index whatever its statistics
  // say: any other plan reads every superseded row from the table just to drop it.
  const page = db.prepare<SpanParams & { rev: number; limit: number }, RevisionRow>(
    `SELECT ${cols} FROM kv AS k INDEXED BY kv_name_id_deleted
     WHERE ${inSpan('k')} AND k.id <= @rev AND k.deleted = 0 AND ${newestAtRev}
     ORDER BY k.name LIMIT @limit`,
  );
  // With a single MAX() SQLite takes the bare `deleted` from the row holding the max:
  // one pass over the covering index, no table lookups.
  const count = db
    .prepare<SpanParams & { rev: number }, number>(
      `SELECT COUNT(*) FROM (
         SELECT MAX(k.id), k.deleted FROM kv AS k WHERE ${inSpan('k')} AND k.id <= @rev GROUP BY k.name
       ) WHERE deleted = 0`,
    )
    .pluck();
  // Replay walks revisions in order from `after` (the unary + keeps the planner off the
  // name index): watches mostly start near the head, where few rows follow.
  const history = db.prepare<SpanParams & { after: number; limit: number }, HistoryRow>(
    `SELECT ${historyCols}, p.lease AS prev_lease FROM kv AS k
     LEFT JOIN kv AS p ON p.id = k.prev_revision
     WHERE k.id > @after AND ${inSpan('+k')}
     ORDER BY k.id LIMIT @limit`,
  );
  const params = (span: Span): SpanParams => (bounded ? { start: span.start, end: span.end } : { start: span.start });
  return {
    page: (span, rev, limit) => page.all({ ...params(span), rev, limit }),
    count: (span, rev) => count.get({ ...params(span), rev }) ?? 0,
    history: (span, after, limit) => history.all({ ...params(span), after, limit }),
  };
}

export function prepareStatements(db: Db) {
  const bounded = prepareSpan(db, true);
  const unbounded = prepareSpan(db, false);
  const latest = db.prepare<[string], RevisionRow>(`SELECT ${cols} FROM kv AS k WHERE k.name = ? ORDER BY k.id DESC LIMIT 1`);
  // What an update checks and carries over from the row it replaces: not its value.
  const head = db.prepare<[string], HeadRow>(
    `SELECT k.id, k.deleted, k.create_revision, k.lease, k.version FROM kv AS k WHERE k.name = ? ORDER BY k.id DESC LIMIT 1`,
  );
  const valueAt = db.prepare<[number], { value: Uint8Array; lease: number }>(`SELECT value, lease FROM kv WHERE id = ?`);
  const latestAt = db.prepare<[string, number], RevisionRow>(
    `SELECT ${cols} FROM kv AS k WHERE k.name = ? AND k.id <= ? ORDER BY k.id DESC LIMIT 1`,
  );
  const insert = db.prepare<RevisionRow>(
    `INSERT INTO kv (id, name, created, deleted, create_revision, prev_revision, lease, version, value, old_value)
     VALUES (@id, @name, @created, @deleted, @create_revision, @prev_revision, @lease, @version, @value, @old_value)`,
  );
  // AUTOINCREMENT's high-water mark: the latest revision, even if compaction removed it.
  const sequence = db.prepare<[], number>(`SELECT seq FROM sqlite_sequence WHERE name = 'kv'`).pluck();
  const liveWithLease = db.prepare<[number], RevisionRow>(
    `SELECT ${cols} FROM kv AS k
     WHERE k.lease = ? AND k.lease <> 0 AND k.deleted = 0 AND k.id = (SELECT MAX(n.id) FROM kv AS n WHERE n.name = k.name)
     ORDER BY k.name`,
  );
  // Compaction from `from` (the previous point) to `rev` forgets what no read at or above
  // rev can see: every row replaced by a write in (from, rev] — rows replaced earlier went
  // at the earlier compaction — and the tombstones written in (from, rev], since an absent
  // key needs no row. Both walk only the new stretch of revisions.
  const compactReplaced = db.prepare<{ from: number; rev: number }>(
    `DELETE FROM kv WHERE id IN (SELECT prev_revision FROM kv WHERE id > @from AND id <= @rev AND prev_revision <> 0)`,
  );
  const compactTombstones = db.prepare<{ from: number; rev: number }>(
    `DELETE FROM kv WHERE id > @from AND id <= @rev AND deleted = 1`,
  );
  const metaGet = db.prepare<[string], number>('SELECT value FROM meta WHERE name = ?').pluck();
  const metaSet = db.prepare<[string, number]>(
    'INSERT INTO meta (name, value) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value',
  );
  const leaseGet = db.prepare<[number], LeaseRow>('SELECT id, ttl_seconds, expires_at FROM leases WHERE id = ?');
  const leaseAll = db.prepare<[], LeaseRow>('SELECT id, ttl_seconds, expires_at FROM leases ORDER BY id');
  const leaseInsert = db.prepare<[number, number]>('INSERT INTO leases (ttl_seconds, expires_at) VALUES (?, ?)');
  const leaseTouch = db.prepare<[number, number]>('UPDATE leases SET expires_at = ? WHERE id = ?');
  const leaseDelete = db.prepare<[number]>('DELETE FROM leases WHERE id = ?');

  return {
    span: (span: Span): SpanStatements => (span.end === undefined ? unbounded : bounded),
    latest: (name: string): RevisionRow | undefined => latest.get(name),
    head: (name: string): HeadRow | undefined => head.get(name),
    /** The value and lease of the row written at `rev`, if compaction has not removed it. */
    valueAt: (rev: number): { value: Uint8Array; lease: number } | undefined => valueAt.get(rev),
    latestAt: (name: string, rev: number): RevisionRow | undefined => latestAt.get(name, rev),
    insert: (row: RevisionRow): void => {
      insert.run(row);
    },
    currentRevision: (): number => sequence.get() ?? 0,
    liveWithLease: (lease: number): RevisionRow[] => liveWithLease.all(lease),
    compact: (from: number, rev: number): void => {
      compactReplaced.run({ from, rev });
      compactTombstones.run({ from, rev });
    },
    metaGet: (name: string): number | undefined => metaGet.get(name),
    metaSet: (name: string, value: number): void => {
      metaSet.run(name, value);
    },
    leaseGet: (id: number): LeaseRow | undefined => leaseGet.get(id),
    leaseAll: (): LeaseRow[] => leaseAll.all(),
    leaseInsert: (ttlSeconds: number, expiresAt: number): number => Number(leaseInsert.run(ttlSeconds, expiresAt).lastInsertRowid),
    leaseTouch: (id: number, expiresAt: number): void => {
      leaseTouch.run(expiresAt, id);
    },
    leaseDelete: (id: number): void => {
      leaseDelete.run(id);
    },
  };
}

export type Statements = ReturnType<typeof prepareStatements>;
