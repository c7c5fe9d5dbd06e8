import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { KosError } from '../../../src/core/errors.js';
import { b, rejection, s, take, withStore } from './helpers.js';

const kindOf = (e: unknown): string => (e instanceof KosError ? e.kind : String(e));

describe('sqlite store: compaction', () => {
  it('makes reads below the compaction point fail and keeps the current data', async () => {
    await withStore(async ({ store, reopen }) => {
      let a = await store.create('/c/a', b('a1')); // 1
      for (let i = 2; i <= 5; i++) a = await store.update('/c/a', b(`a${i}`), a.modRevision); // 2..5
      await store.create('/c/gone', b('g')); // 6
      await store.delete('/c/gone'); // 7
      const keep = await store.create('/c/keep', b('k')); // 8
      await store.update('/c/a', b('a6'), a.modRevision); // 9
      await store.compact(8);

      expect(await store.compactedRevision()).toBe(8);
      expect(kindOf(await rejection(store.get('/c/a', { revision: 7 })))).toBe('Compacted');
      expect(kindOf(await rejection(store.range('/c/', { revision: 3 })))).toBe('Compacted');
      // The compaction revision itself is still readable, and so is everything after.
      const at8 = await store.range('/c/', { revision: 8 });
      expect(at8.kvs.map((kv) => `${kv.key}=${s(kv.value)}`)).toEqual(['/c/a=a5', '/c/keep=k']);
      const now = await store.range('/c/');
      expect(now.kvs.map((kv) => `${kv.key}=${s(kv.value)}@${kv.version}`)).toEqual(['/c/a=a6@6', '/c/keep=k@1']);
      expect((await store.get('/c/keep'))?.modRevision).toBe(keep.modRevision);

      // History after the point replays with prevKv, and writes go on as before.
      const events = await take(store.watch('/c/', { afterRevision: 8 }), 1);
      expect(events[0]?.prevKv && s(events[0].prevKv.value)).toBe('a5');
      const again = await store.create('/c/gone', b('back'));
      expect(again.version).toBe(1);
      await store.update('/c/keep', b('k2'), keep.modRevision);

      // Compacting again below the point changes nothing; beyond the head is refused.
      await store.compact(3);
      expect(await store.compactedRevision()).toBe(8);
      expect(kindOf(await rejection(store.compact(1_000)))).toBe('BadRequest');

      // The point survives a restart.
      const reopened = await reopen();
      expect(await reopened.compactedRevision()).toBe(8);
      expect(kindOf(await rejection(reopened.get('/c/a', { revision: 2 })))).toBe('Compacted');
      expect(s((await reopened.get('/c/keep'))?.value ?? b(''))).toBe('k2');
    });
  });

  it('compacting at the head keeps every live key and the revision counter', async () => {
    await withStore(async ({ store }) => {
      const x = await store.create('/h/x', b('1'));
      await store.update('/h/x', b('2'), x.modRevision);
      await store.create('/h/y', b('y'));
      await store.delete('/h/y'); // the newest row is a tombstone
      const head = await store.currentRevision();
      await store.compact(head);
      expect(await store.currentRevision()).toBe(head);
      expect((await store.range('/h/')).kvs.map((kv) => kv.key)).toEqual(['/h/x']);
      const y = await store.create('/h/y', b('again'));
      expect(y.modRevision).toBe(head + 1);
    });
  });
});

describe('sqlite store: compaction in steps', () => {
  it('changes nothing visible at or above the point and keeps only the rows still needed', async () => {
    await withStore(async ({ store, dbPath }) => {
      // A seeded random history of creates, updates and deletes on a few keys.
      let seed = 42;
      const rand = (n: number): number => {
        seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
        return seed % n;
      };
      for (let i = 0; i < 300; i++) {
        const key = `/x/${rand(12)}`;
        const cur = await store.get(key);
        if (!cur) await store.create(key, b(`c${i}`));
        else if (rand(4) === 0) await store.delete(key);
        else await store.update(key, b(`u${i}`), cur.modRevision);
      }
      const head = await store.currentRevision();
      const view = async (rev: number): Promise<string> =>
        JSON.stringify((await store.range('/x/', { revision: rev })).kvs.map((kv) => [kv.key, s(kv.value), kv.version, kv.createRevision]));
      const replay = async (after: number): Promise<string> =>
        JSON.stringify(
          (await take(store.watch('/x/', { afterRevision: after }), head - after)).map((e) => [
            e.type,
            e.revision,
            s(e.kv.value),
            e.prevKv && s(e.prevKv.value),
            e.prevKv?.modRevision,
            e.prevKv?.version,
          ]),
        );
      const point = 200;
      const before = { views: await Promise.all([point, 250, head].map(view)), events: await replay(point) };

      for (const step of [50, 120, point]) await store.compact(step);

      expect(await Promise.all([point, 250, head].map(view))).toEqual(before.views);
      expect(await replay(point)).toEqual(before.events);
      // White-box: the table holds the rows after the point plus the live value at it.
      const db = new Database(dbPath, { readonly: true });
      try {
        const rows = db.prepare<[], { n: number }>('SELECT COUNT(*) AS n FROM kv').get()?.n;
        const liveAtPoint = (await store.range('/x/', { revision: point, countOnly: true })).count;
        expect(rows).toBe(head - point + liveAtPoint);
      } finally {
        db.close();
      }
    });
  });
});
