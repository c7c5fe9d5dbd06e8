import { describe, expect, it } from 'vitest';
import { KosError } from '../../../src/core/errors.js';
import { commitGroup } from '../../../src/core/store/sqlite-writer.js';
import type { WatchEvent } from '../../../src/core/store/types.js';
import { b, s, storeMode, withStore } from './helpers.js';

const kindOf = (e: unknown): string => (e instanceof KosError ? e.kind : String(e));
const settled = <T>(p: Promise<T>): Promise<{ ok: true; value: T } | { ok: false; error: unknown }> =>
  p.then(
    (value) => ({ ok: true as const, value }),
    (error: unknown) => ({ ok: false as const, error }),
  );

describe('sqlite store: group commit', () => {
  it('gives writes asked for in one turn consecutive revisions, in the order asked, with one watch batch', async () => {
    await withStore(async ({ store }) => {
      const watch = store.watch('/g/', { afterRevision: 0 });
      const batches: WatchEvent[][] = [];
      const consumer = (async () => {
        for await (const batch of watch) {
          batches.push(batch);
          if (batches.flat().length >= 5) break;
        }
      })();
      // Let the watch go live before the writes (it replays nothing).
      await new Promise((r) => setImmediate(r));
      const writes = ['/g/a', '/g/b', '/g/c', '/g/d', '/g/e'].map((k) => store.create(k, b(k)));
      const kvs = await Promise.all(writes);
      expect(kvs.map((kv) => kv.modRevision)).toEqual([1, 2, 3, 4, 5]);
      await consumer;
      expect(batches).toHaveLength(1);
      expect(batches[0]!.map((e) => [e.kv.key, e.revision])).toEqual([
        ['/g/a', 1],
        ['/g/b', 2],
        ['/g/c', 3],
        ['/g/d', 4],
        ['/g/e', 5],
      ]);
    });
  });

  it('keeps compare-and-swap per write inside a group: the second update on one revision conflicts', async () => {
    await withStore(async ({ store }) => {
      const a = await store.create('/a', b('0'));
      const first = settled(store.update('/a', b('1'), a.modRevision));
      const second = settled(store.update('/a', b('2'), a.modRevision));
      const again = settled(store.create('/a', b('x')));
      const other = settled(store.create('/b', b('y')));
      const [r1, r2, r3, r4] = await Promise.all([first, second, again, other]);
      expect(r1.ok && r1.value.modRevision).toBe(2);
      expect(!r2.ok && kindOf(r2.error)).toBe('Conflict');
      expect(!r3.ok && kindOf(r3.error)).toBe('AlreadyExists');
      // A refused write takes no revision: the next one in the group gets the next number.
      expect(r4.ok && r4.value.modRevision).toBe(3);
      expect(s((await store.get('/a'))!.value)).toBe('1');
    });
  });

  it('commits a pending write before a read of its key or any other call, so nothing reads around it', async () => {
    await withStore(async ({ store }) => {
      const pending = store.create('/k', b('v'));
      const read = await store.get('/k');
      expect(read && s(read.value)).toBe('v');
      const p2 = store.create('/other', b('w'));
      expect(await store.currentRevision()).toBe(2);
      const p3 = store.create('/third', b('z'));
      expect((await store.range('/')).kvs.map((kv) => kv.key)).toEqual(['/k', '/other', '/third']);
      await Promise.all([pending, p2, p3]);
    });
  });

  // A RemoteStore's close rejects the calls still in flight (their outcome unknown) rather than wait.
  it.skipIf(storeMode === 'remote')('commits what is pending when the store closes', async () => {
    await withStore(async ({ store, reopen }) => {
      const pending = store.create('/late', b('v'));
      const again = await reopen();
      expect((await pending).modRevision).toBe(1);
      expect((await again.get('/late'))?.modRevision).toBe(1);
    });
  });

  it('retries a group one write at a time when the transaction itself fails, so one bad write fails alone', () => {
    const commits: string[][] = [];
    let failGroups = true;
    // A transaction that fails whenever it carries more than one write (a full disk, say).
    const tx = <R>(fn: () => R): R => {
      const log: string[] = [];
      current = log;
      const out = fn();
      if (failGroups && log.length > 1) throw new Error('disk full');
      commits.push(log);
      return out;
    };
    let current: string[] = [];
    const write = (name: string) => () => {
      current.push(name);
      if (name === 'bad') throw new Error('corrupt');
      return name;
    };
    const refused = () => {
      throw new KosError('Conflict', 'lost a race');
    };
    const outcomes = commitGroup(tx, [write('a'), write('bad'), refused, write('c')]);
    failGroups = false;
    expect(outcomes.map((o) => (o.ok ? o.value : kindOf(o.error)))).toEqual(['a', 'Error: corrupt', 'Conflict', 'c']);
    // The group failed as a whole; each write then ran in a transaction of its own.
    expect(commits).toEqual([['a'], [], ['c']]);
  });
});
