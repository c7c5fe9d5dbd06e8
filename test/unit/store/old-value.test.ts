import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { b, s, take, withStore } from './helpers.js';

const oldValues = (dbPath: string): (string | null)[] => {
  const db = new Database(dbPath, { readonly: true });
  try {
    return db
      .prepare<[], { old_value: Buffer | null }>('SELECT old_value FROM kv ORDER BY id')
      .all()
      .map((r) => (r.old_value === null ? null : r.old_value.toString()));
  } finally {
    db.close();
  }
};

describe('sqlite store: the replaced value is stored once', () => {
  it('serves prevKv, live and replayed, before and after compaction, from the replaced row', async () => {
    await withStore(async ({ store, dbPath }) => {
      const v1 = await store.create('/k', b('one'));
      const v2 = await store.update('/k', b('two'), v1.modRevision);
      await store.update('/k', b('three'), v2.modRevision);
      await store.delete('/k');
      expect(oldValues(dbPath)).toEqual([null, null, null, null]);
      const replay = async (after: number): Promise<unknown[]> =>
        (await take(store.watch('/k', { afterRevision: after }), 4 - after)).map((e) => [e.type, e.revision, s(e.kv.value), e.prevKv && s(e.prevKv.value), e.prevKv?.modRevision]);
      const all = [
        ['put', 2, 'two', 'one', 1],
        ['put', 3, 'three', 'two', 2],
        ['delete', 4, 'three', 'three', 3],
      ];
      expect(await replay(1)).toEqual(all);
      // Compaction at 2 deletes revision 1; what can still be replayed is unchanged.
      await store.compact(2);
      expect(await replay(2)).toEqual(all.slice(1));
      await store.compact(3);
      expect(await replay(3)).toEqual(all.slice(2));
    });
  });

  it('reads the replaced value of a live update only where a watch reads prevKv', async () => {
    await withStore(async ({ store }) => {
      const seen = async (watch: Parameters<typeof take>[0], n: number): Promise<unknown[]> =>
        (await take(watch, n)).map((e) => [e.kv.key, s(e.kv.value), e.prevKv && [s(e.prevKv.value), e.prevKv.modRevision, e.prevKv.version]]);
      const start = await store.currentRevision();
      // Pulled from before the writes, so that every event reaches them live.
      const lean = seen(store.watch('/a/', { afterRevision: start, prevKv: false }), 4);
      const one = seen(store.watch('/a/x', { afterRevision: start }), 2);
      const other = seen(store.watch('/b/', { afterRevision: start }), 2);
      const x = await store.create('/a/x', b('x1'));
      const y = await store.create('/a/y', b('y1'));
      const z = await store.create('/b/z', b('z1'));
      await store.update('/a/x', b('x2'), x.modRevision);
      await store.update('/a/y', b('y2'), y.modRevision);
      await store.update('/b/z', b('z2'), z.modRevision);
      expect(await one).toEqual([
        ['/a/x', 'x1', undefined],
        ['/a/x', 'x2', ['x1', x.modRevision, 1]],
      ]);
      expect(await other).toEqual([
        ['/b/z', 'z1', undefined],
        ['/b/z', 'z2', ['z1', z.modRevision, 1]],
      ]);
      // No watch that reads prevKv covers /a/y: its update comes without it. (/a/x's is the
      // event the watch on /a/x got, prevKv and all.)
      const leanEvents = await lean;
      expect(leanEvents[3]).toEqual(['/a/y', 'y2', undefined]);
      expect(leanEvents.map((e) => (e as unknown[]).slice(0, 2))).toEqual([
        ['/a/x', 'x1'],
        ['/a/y', 'y1'],
        ['/a/x', 'x2'],
        ['/a/y', 'y2'],
      ]);
    });
  });

  it('still reads the replaced value a row of an older layout carries', async () => {
    await withStore(async ({ store, dbPath }) => {
      const v1 = await store.create('/k', b('one'));
      await store.update('/k', b('two'), v1.modRevision);
      const db = new Database(dbPath);
      try {
        db.prepare("UPDATE kv SET old_value = CAST('kept' AS BLOB) WHERE id = 2").run();
      } finally {
        db.close();
      }
      const [e] = await take(store.watch('/k', { afterRevision: 1 }), 1);
      expect(e?.prevKv && s(e.prevKv.value)).toBe('kept');
    });
  });
});

describe('sqlite store: compare-and-swap without a uniqueness index', () => {
  const indexes = (dbPath: string): string[] => {
    const db = new Database(dbPath, { readonly: true });
    try {
      return db.prepare<[], string>("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'kv' ORDER BY name").pluck().all();
    } finally {
      db.close();
    }
  };

  it('drops the (name, prev_revision) index an older layout had, and still refuses a stale write', async () => {
    await withStore(async ({ dbPath, reopen }) => {
      const db = new Database(dbPath);
      try {
        db.exec('CREATE UNIQUE INDEX kv_name_prev_revision ON kv (name, prev_revision)');
      } finally {
        db.close();
      }
      expect(indexes(dbPath)).toContain('kv_name_prev_revision');
      const store = await reopen();
      expect(indexes(dbPath)).not.toContain('kv_name_prev_revision');
      const v1 = await store.create('/k', b('one'));
      await store.update('/k', b('two'), v1.modRevision);
      await expect(store.update('/k', b('late'), v1.modRevision)).rejects.toMatchObject({ kind: 'Conflict' });
      expect(s((await store.get('/k'))!.value)).toBe('two');
    });
  });
});
