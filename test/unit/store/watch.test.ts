import { describe, expect, it } from 'vitest';
import { KosError } from '../../../src/core/errors.js';
import type { Store, WatchEvent } from '../../../src/core/store/types.js';
import { b, batchOf, putMany, rejection, s, take, withStore } from './helpers.js';

const kindOf = (e: unknown): string => (e instanceof KosError ? e.kind : String(e));
const revisions = (events: WatchEvent[]): number[] => events.map((e) => e.revision);
const range = (from: number, to: number): number[] => Array.from({ length: to - from + 1 }, (_, i) => from + i);

/** A mix of creates, updates and deletes on a few keys; returns nothing, writes `n` revisions. */
async function churn(store: Store, prefix: string, n: number, pause = false): Promise<void> {
  for (let i = 0; i < n; i++) {
    const key = `${prefix}${i % 7}`;
    const cur = await store.get(key);
    if (!cur) await store.create(key, b(`c${i}`));
    else if (i % 3 === 0) await store.delete(key, { expectedModRevision: cur.modRevision });
    else await store.update(key, b(`u${i}`), cur.modRevision);
    // Let the watcher run between writes, so replay and live really interleave.
    if (pause && i % 5 === 0) await new Promise<void>((r) => setImmediate(r));
  }
}

/** Check a stream of events against a model of the keys, event by event. */
function checkConsistent(events: WatchEvent[], before: Map<string, string>): void {
  const model = new Map(before);
  for (const e of events) {
    const prev = model.get(e.kv.key);
    if (e.type === 'put') {
      expect(e.kv.modRevision).toBe(e.revision);
      if (prev === undefined) expect(e.prevKv).toBeUndefined();
      else expect(e.prevKv && s(e.prevKv.value)).toBe(prev);
      model.set(e.kv.key, s(e.kv.value));
    } else {
      expect(prev).toBeDefined();
      expect(s(e.kv.value)).toBe(prev);
      expect(e.prevKv && s(e.prevKv.value)).toBe(prev);
      model.delete(e.kv.key);
    }
  }
}

async function snapshot(store: Store, prefix: string, revision: number): Promise<Map<string, string>> {
  const r = await store.range(prefix, { revision });
  return new Map(r.kvs.map((kv) => [kv.key, s(kv.value)]));
}

describe('sqlite store: watch', () => {
  it('from revision N delivers every later event in order, no gap, no duplicate, while writes race the replay', async () => {
    await withStore(async ({ store }) => {
      // More history than one replay page, so the switch to live happens mid-stream.
      await churn(store, '/w/', 1_300);
      await store.create('/elsewhere', b('x'));
      const n = 150;
      const end = (await store.currentRevision()) + 400;
      const expected = range(n + 1, end).filter((r) => r !== 1_301); // 1301 is '/elsewhere'
      const watch = store.watch('/w/', { afterRevision: n });
      // A consumer that yields between batches, so the writer below keeps writing while
      // the watch is still replaying, and while it switches to live.
      const consume = (async (): Promise<WatchEvent[]> => {
        const out: WatchEvent[] = [];
        for await (const batch of watch) {
          out.push(...batch);
          if (out.length >= expected.length) break;
          await new Promise<void>((r) => setImmediate(r));
        }
        return out;
      })();
      await churn(store, '/w/', 400, true);
      // A lost event would leave the consumer waiting: end it so the test fails fast.
      const guard = setTimeout(() => watch.close(), 5_000);
      const events = await consume;
      clearTimeout(guard);
      expect(revisions(events)).toEqual(expected);
      checkConsistent(events, await snapshot(store, '/w/', n));
    });
  });

  it('delivers live events in batches as they are written, and close ends the iterator', async () => {
    await withStore(async ({ store }) => {
      const watch = store.watch('/live/', { afterRevision: await store.currentRevision() });
      const it = watch[Symbol.asyncIterator]();
      const pending = it.next();
      const kv = await store.create('/live/a', b('1'));
      const first = await pending;
      expect(batchOf(first)).toEqual([{ type: 'put', kv, revision: kv.modRevision }]);
      await store.create('/other/b', b('ignored'));
      const upd = await store.update('/live/a', b('2'), kv.modRevision);
      const second = await it.next();
      expect(batchOf(second)).toEqual([{ type: 'put', kv: upd, prevKv: kv, revision: upd.modRevision }]);
      const waiting = it.next();
      watch.close();
      expect(await waiting).toEqual({ done: true, value: undefined });
      expect(await it.next()).toEqual({ done: true, value: undefined });
    });
  });

  it('resumes after a restart from the history in the table, then goes live', async () => {
    await withStore(async ({ store, reopen }) => {
      await churn(store, '/r/', 120);
      const before = await snapshot(store, '/r/', 30);
      const end1 = await store.currentRevision();
      const again = await reopen();
      const watch = again.watch('/r/', { afterRevision: 30 });
      const replayed = await take(watch, end1 - 30);
      expect(revisions(replayed)).toEqual(range(31, end1));
      await churn(again, '/r/', 40);
      const live = await take(watch, 40);
      const all = [...replayed, ...live];
      expect(revisions(all)).toEqual(range(31, end1 + 40));
      checkConsistent(all, before);
      // The deleted key's event carries its last value, versions follow etcd.
      const del = all.find((e) => e.type === 'delete');
      expect(del?.kv.version).toBe(0);
      expect(del?.prevKv?.version).toBeGreaterThan(0);
      watch.close();
    });
  });

  it('cuts off a watcher that falls behind with WatchTooSlow, and others carry on', async () => {
    await withStore(async ({ store }) => {
      const start = await store.currentRevision();
      const slow = store.watch('/s/', { afterRevision: start, maxBuffered: 50 });
      const fast = store.watch('/s/', { afterRevision: start });
      const slowIt = slow[Symbol.asyncIterator]();
      // Both go live (replay finds nothing), then only `fast` is read.
      const slowFirst = slowIt.next();
      const fastSeen = take(fast, 200);
      await putMany(store, '/s/', 200);
      expect((await fastSeen).length).toBe(200);
      expect(batchOf(await slowFirst)).toHaveLength(1);
      // 199 more events arrived while nobody read `slow`: more than 50 buffered.
      expect(kindOf(await rejection(slowIt.next()))).toBe('WatchTooSlow');
      expect(await slowIt.next()).toEqual({ done: true, value: undefined });
      fast.close();
    });
  });

  it('refuses to replay from below the compaction point', async () => {
    await withStore(async ({ store }) => {
      await churn(store, '/c/', 50);
      await store.compact(40);
      const watch = store.watch('/c/', { afterRevision: 39 });
      expect(kindOf(await rejection(watch[Symbol.asyncIterator]().next()))).toBe('Compacted');
      const ok = store.watch('/c/', { afterRevision: 40 });
      expect(revisions(await take(ok, 10))).toEqual(range(41, 50));
      ok.close();
    });
  });

  it('a watch that is replaying when compaction passes it fails with Compacted', async () => {
    await withStore(async ({ store }) => {
      await churn(store, '/cc/', 1_300);
      const watch = store.watch('/cc/', { afterRevision: 0 });
      const it = watch[Symbol.asyncIterator]();
      const page = batchOf(await it.next());
      expect(page.map((e) => e.revision)).toEqual(range(1, 1_000));
      await store.compact(1_200);
      expect(kindOf(await rejection(it.next()))).toBe('Compacted');
    });
  });

  it('ends every watch when the store closes', async () => {
    await withStore(async ({ store }) => {
      const watch = store.watch('/', { afterRevision: 0 });
      const it = watch[Symbol.asyncIterator]();
      const pending = it.next();
      await store.close();
      expect(await pending).toEqual({ done: true, value: undefined });
    });
  });
});
