import { describe, expect, it } from 'vitest';
import { KosError } from '../../../src/core/errors.js';
import { TypedStore, createJson, getJson, guaranteedUpdateJson, listJson, updateJson } from '../../../src/core/store/typed.js';
import { rejection, withStore } from './helpers.js';

interface Counter {
  name: string;
  n: number;
}

const kindOf = (e: unknown): string => (e instanceof KosError ? e.kind : String(e));

describe('typed store', () => {
  it('round-trips JSON objects with their revisions', async () => {
    await withStore(async ({ store }) => {
      const created = await createJson<Counter>(store, '/t/a', { name: 'a', n: 1 });
      expect(created).toEqual({ key: '/t/a', object: { name: 'a', n: 1 }, modRevision: 1, createRevision: 1 });
      const updated = await updateJson<Counter>(store, '/t/a', { name: 'a', n: 2 }, created.modRevision);
      expect(updated.modRevision).toBe(2);
      expect((await getJson<Counter>(store, '/t/a'))?.object.n).toBe(2);
      expect(await getJson<Counter>(store, '/t/none')).toBeUndefined();
    });
  });

  it('guaranteedUpdate retries lost races until every increment lands', async () => {
    await withStore(async ({ store }) => {
      const typed = new TypedStore<Counter>(store);
      await typed.create('/t/counter', { name: 'c', n: 0 });
      let calls = 0;
      // Interleaved read-modify-write loops: each await lets another one sneak in.
      await Promise.all(
        Array.from({ length: 20 }, () =>
          typed.guaranteedUpdate(
            '/t/counter',
            async (cur) => {
              calls++;
              await new Promise<void>((r) => setImmediate(r));
              return { ...cur, n: cur.n + 1 };
            },
            100,
          ),
        ),
      );
      expect((await typed.get('/t/counter'))?.object.n).toBe(20);
      expect(calls).toBeGreaterThan(20);
      // No change: no write.
      const before = await store.currentRevision();
      const same = await typed.guaranteedUpdate('/t/counter', () => undefined);
      expect(same.object.n).toBe(20);
      expect(await store.currentRevision()).toBe(before);
    });
  });

  it('guaranteedUpdate gives up with Conflict and fails NotFound on a missing key', async () => {
    await withStore(async ({ store }) => {
      await createJson<Counter>(store, '/t/busy', { name: 'b', n: 0 });
      const err = await rejection(
        guaranteedUpdateJson<Counter>(
          store,
          '/t/busy',
          async (cur) => {
            // Someone else always writes in between.
            const kv = await store.get('/t/busy');
            if (kv) await store.update('/t/busy', kv.value, kv.modRevision);
            return { ...cur, n: cur.n + 1 };
          },
          3,
        ),
      );
      expect(kindOf(err)).toBe('Conflict');
      expect(kindOf(await rejection(guaranteedUpdateJson<Counter>(store, '/t/none', (c) => c)))).toBe('NotFound');
    });
  });

  it('listJson pages through everything at one revision', async () => {
    await withStore(async ({ store }) => {
      for (let i = 0; i < 23; i++) await createJson<Counter>(store, `/list/${String(i).padStart(2, '0')}`, { name: `c${i}`, n: i });
      await createJson<Counter>(store, '/listx', { name: 'outside', n: -1 });
      const { items, revision } = await listJson<Counter>(store, '/list/', 5);
      expect(items.map((i) => i.object.n)).toEqual(Array.from({ length: 23 }, (_, i) => i));
      expect(revision).toBe(24);
    });
  });
});
