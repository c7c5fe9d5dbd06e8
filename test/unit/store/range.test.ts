import { describe, expect, it } from 'vitest';
import { KosError } from '../../../src/core/errors.js';
import type { KeyValue } from '../../../src/core/store/types.js';
import { b, putMany, rejection, s, withStore } from './helpers.js';

const kindOf = (e: unknown): string => (e instanceof KosError ? e.kind : String(e));

describe('sqlite store: range', () => {
  it('returns exactly the keys under a prefix, in key order, with a count', async () => {
    await withStore(async ({ store }) => {
      // Neighbours that a naive prefix bound gets wrong: '/a0' and '/ab' sort right after
      // '/a/', and a character above U+FFFF sorts after '/a/\uffff' in UTF-8.
      for (const k of ['/a0', '/a/', '/a/x', '/a/\u{1F600}', '/a/\uffff', '/ab', '/', '/a']) await store.create(k, b(k));
      const r = await store.range('/a/');
      expect(r.kvs.map((kv) => kv.key)).toEqual(['/a/', '/a/x', '/a/\uffff', '/a/\u{1F600}']);
      expect(r.count).toBe(4);
      expect(r.revision).toBe(8);
      expect(r.continue).toBeUndefined();
      const all = await store.range('');
      expect(all.count).toBe(8);
      expect(all.kvs.map((kv) => kv.key)).toEqual(['/', '/a', '/a/', '/a/x', '/a/\uffff', '/a/\u{1F600}', '/a0', '/ab']);
      const counted = await store.range('/a/', { countOnly: true });
      expect(counted).toMatchObject({ kvs: [], count: 4, revision: 8 });
    });
  });

  it('pages with continue: every key exactly once, at one revision, while writes go on', async () => {
    await withStore(async ({ store }) => {
      await putMany(store, '/p/', 230);
      await store.create('/q/outside', b('x'));
      const seen: KeyValue[] = [];
      let page = await store.range('/p/', { limit: 40 });
      const revision = page.revision;
      expect(page.count).toBe(230);
      let pages = 1;
      for (;;) {
        seen.push(...page.kvs);
        expect(page.revision).toBe(revision);
        expect(page.kvs.length).toBeLessThanOrEqual(40);
        if (!page.continue) break;
        // Writes between pages: new keys before and after the cursor, updates, deletes.
        const n = pages;
        await store.create(`/p/00000-new-${n}`, b('early'));
        await store.create(`/p/zzzz-new-${n}`, b('late'));
        const victim = `/p/${String(229 - n).padStart(5, '0')}`;
        await store.delete(victim);
        const upd = await store.get(`/p/${String(200 - n).padStart(5, '0')}`);
        if (upd) await store.update(upd.key, b('changed'), upd.modRevision);
        page = await store.range('/p/', { limit: 40, continue: page.continue });
        pages++;
      }
      expect(pages).toBe(6);
      const keys = seen.map((kv) => kv.key);
      expect(new Set(keys).size).toBe(keys.length);
      expect(keys).toEqual(Array.from({ length: 230 }, (_, i) => `/p/${String(i).padStart(5, '0')}`));
      expect(seen.every((kv, i) => s(kv.value) === `v${i}` && kv.modRevision <= revision)).toBe(true);
      // And the present has moved on.
      const now = await store.range('/p/');
      expect(now.revision).toBeGreaterThan(revision);
      expect(now.count).toBe(230 + 2 * 5 - 5);
    });
  });

  it('reads at a past revision', async () => {
    await withStore(async ({ store }) => {
      const a = await store.create('/r/a', b('a1')); // 1
      await store.create('/r/b', b('b1')); // 2
      await store.update('/r/a', b('a2'), a.modRevision); // 3
      await store.delete('/r/b'); // 4
      await store.create('/r/c', b('c1')); // 5
      const at = async (rev: number): Promise<string[]> =>
        (await store.range('/r/', { revision: rev })).kvs.map((kv) => `${kv.key}=${s(kv.value)}@${kv.modRevision}`);
      expect(await at(1)).toEqual(['/r/a=a1@1']);
      expect(await at(2)).toEqual(['/r/a=a1@1', '/r/b=b1@2']);
      expect(await at(3)).toEqual(['/r/a=a2@3', '/r/b=b1@2']);
      expect(await at(4)).toEqual(['/r/a=a2@3']);
      expect(await at(5)).toEqual(['/r/a=a2@3', '/r/c=c1@5']);
      expect((await store.get('/r/b', { revision: 3 }))?.version).toBe(1);
      expect(await store.get('/r/b', { revision: 4 })).toBeUndefined();
      expect(s((await store.get('/r/a', { revision: 2 }))?.value ?? b(''))).toBe('a1');
      expect((await store.range('/r/', { revision: 3, countOnly: true })).count).toBe(2);
      expect(kindOf(await rejection(store.get('/r/a', { revision: 6 })))).toBe('BadRequest');
    });
  });

  it('pages a past revision too, and rejects a foreign or broken token', async () => {
    await withStore(async ({ store }) => {
      await putMany(store, '/t/', 10);
      const rev = await store.currentRevision();
      await putMany(store, '/t/x', 10);
      const p1 = await store.range('/t/', { limit: 4, revision: rev });
      expect(p1.count).toBe(10);
      const p2 = await store.range('/t/', { limit: 4, continue: p1.continue });
      const p3 = await store.range('/t/', { limit: 4, continue: p2.continue });
      expect([...p1.kvs, ...p2.kvs, ...p3.kvs].map((kv) => kv.key)).toHaveLength(10);
      expect(p3.continue).toBeUndefined();
      // etcd's count: the keys from this page on.
      expect(p2.count).toBe(6);
      expect(kindOf(await rejection(store.range('/other/', { limit: 4, continue: p1.continue })))).toBe('BadRequest');
      expect(kindOf(await rejection(store.range('/t/', { continue: 'not-a-token' })))).toBe('BadRequest');
      expect(kindOf(await rejection(store.range('/t/', { limit: -1 })))).toBe('BadRequest');
    });
  });
});
