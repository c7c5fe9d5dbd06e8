import { describe, expect, it } from 'vitest';
import { SystemClock } from '../../../src/core/clock.js';
import { KosError } from '../../../src/core/errors.js';
import { openSqliteStore } from '../../../src/core/store/sqlite.js';
import { b, rejection, s, withStore } from './helpers.js';

const kindOf = (e: unknown): string => (e instanceof KosError ? e.kind : String(e));

describe('sqlite store: create, update, delete', () => {
  it('counts revisions store-wide and versions per key, like etcd', async () => {
    await withStore(async ({ store }) => {
      expect(await store.currentRevision()).toBe(0);
      const a1 = await store.create('/a', b('1'));
      expect(a1).toMatchObject({ key: '/a', createRevision: 1, modRevision: 1, version: 1, lease: 0 });
      const c = await store.create('/c', b('x'));
      expect(c.modRevision).toBe(2);
      const a2 = await store.update('/a', b('2'), a1.modRevision);
      expect(a2).toMatchObject({ createRevision: 1, modRevision: 3, version: 2 });
      const got = await store.get('/a');
      expect(got && s(got.value)).toBe('2');
      expect(got?.version).toBe(2);

      const gone = await store.delete('/a');
      expect(s(gone.value)).toBe('2');
      expect(gone.modRevision).toBe(3);
      expect(await store.get('/a')).toBeUndefined();
      expect(await store.currentRevision()).toBe(4);

      // A re-created key starts a new life: new createRevision, version 1.
      const again = await store.create('/a', b('new'));
      expect(again).toMatchObject({ createRevision: 5, modRevision: 5, version: 1 });
    });
  });

  it('refuses what etcd refuses', async () => {
    await withStore(async ({ store }) => {
      const a = await store.create('/a', b('1'));
      expect(kindOf(await rejection(store.create('/a', b('2'))))).toBe('AlreadyExists');
      expect(kindOf(await rejection(store.update('/missing', b('2'), 1)))).toBe('NotFound');
      expect(kindOf(await rejection(store.update('/a', b('2'), a.modRevision + 7)))).toBe('Conflict');
      expect(kindOf(await rejection(store.delete('/missing')))).toBe('NotFound');
      expect(kindOf(await rejection(store.delete('/a', { expectedModRevision: 99 })))).toBe('Conflict');
      expect(kindOf(await rejection(store.create('', b('2'))))).toBe('BadRequest');
      expect(kindOf(await rejection(store.create('/l', b('2'), { lease: 12345 })))).toBe('NotFound');
      // Nothing above moved the revision.
      expect(await store.currentRevision()).toBe(1);
      await store.delete('/a', { expectedModRevision: a.modRevision });
      expect(await store.get('/a')).toBeUndefined();
    });
  });

  it('of two concurrent conflicting updates exactly one wins', async () => {
    await withStore(async ({ store }) => {
      const base = await store.create('/race', b('0'));
      const results = await Promise.allSettled(
        Array.from({ length: 8 }, (_, i) => store.update('/race', b(`writer-${i}`), base.modRevision)),
      );
      const won = results.filter((r) => r.status === 'fulfilled');
      const lost = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
      expect(won).toHaveLength(1);
      expect(lost).toHaveLength(7);
      for (const r of lost) expect(kindOf(r.reason)).toBe('Conflict');
      const winner = won[0];
      const now = await store.get('/race');
      expect(winner?.status === 'fulfilled' && now && s(now.value) === s(winner.value.value)).toBe(true);
      expect(now?.version).toBe(2);
    });
  });

  it('keeps compare-and-swap across two handles on one database file', async () => {
    await withStore(async ({ store, dbPath }) => {
      const other = openSqliteStore({ path: dbPath, clock: new SystemClock() });
      try {
        const base = await store.create('/shared', b('0'));
        const seen = await other.get('/shared');
        expect(seen?.modRevision).toBe(base.modRevision);
        await store.update('/shared', b('mine'), base.modRevision);
        expect(kindOf(await rejection(other.update('/shared', b('theirs'), base.modRevision)))).toBe('Conflict');
        expect(kindOf(await rejection(other.create('/shared', b('theirs'))))).toBe('AlreadyExists');
        const final = await other.get('/shared');
        expect(final && s(final.value)).toBe('mine');
        // Revisions stay one sequence whichever handle writes.
        const next = await other.create('/other', b('1'));
        expect(next.modRevision).toBe(3);
        expect(await store.currentRevision()).toBe(3);
      } finally {
        await other.close();
      }
    });
  });

  it('owns its bytes: a caller reusing its buffer changes nothing stored', async () => {
    await withStore(async ({ store }) => {
      const buf = b('abc');
      const kv = await store.create('/k', buf);
      buf[0] = 0x7a;
      expect(s(kv.value)).toBe('abc');
      const got = await store.get('/k');
      expect(got?.value).toEqual(new Uint8Array([0x61, 0x62, 0x63]));
      expect(Object.getPrototypeOf(got?.value)).toBe(Uint8Array.prototype);
    });
  });

  it('stores empty values and survives a restart', async () => {
    await withStore(async ({ store, reopen }) => {
      await store.create('/empty', new Uint8Array(0));
      const k = await store.create('/k', b('v1'));
      await store.update('/k', b('v2'), k.modRevision);
      const again = await reopen();
      expect((await again.get('/empty'))?.value.length).toBe(0);
      expect(await again.get('/k')).toMatchObject({ version: 2, modRevision: 3, createRevision: 2 });
      expect(await again.currentRevision()).toBe(3);
      expect((await again.create('/after', b('x'))).modRevision).toBe(4);
    });
  });

  it('fails every call once closed', async () => {
    await withStore(async ({ store }) => {
      await store.close();
      expect(kindOf(await rejection(store.get('/a')))).toBe('Unavailable');
      expect(() => store.watch('/', { afterRevision: 0 })).toThrow(KosError);
    });
  });
});
