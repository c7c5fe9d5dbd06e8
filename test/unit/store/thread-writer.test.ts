/**
 * The store with its writer on a worker thread (as `kos up` runs it): the same contract
 * as inline. The whole store suite also runs this way with KOS_STORE_WRITER=thread; these
 * are the behaviours the thread changes most: acknowledgement after commit, read-your-
 * writes, compare-and-swap inside a group, watch order, lease expiry on a virtual clock,
 * and a restart.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { VirtualClock } from '../../../src/core/clock.js';
import { KosError } from '../../../src/core/errors.js';
import { openSqliteStore } from '../../../src/core/store/sqlite.js';
import type { Store } from '../../../src/core/store/types.js';
import { b, s, take, tempDir } from './helpers.js';

const kindOf = (e: unknown): string => (e instanceof KosError ? e.kind : String(e));
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

function open(dbPath: string, clock = new VirtualClock(1_000_000)): Store {
  const store = openSqliteStore({ path: dbPath, clock, writer: 'thread' });
  cleanups.push(() => store.close());
  return store;
}

describe('sqlite store with its writer on a thread', () => {
  it('commits groups in order with compare-and-swap per write, and reads its own writes', async () => {
    const { dbPath, cleanup } = tempDir();
    cleanups.push(cleanup);
    const store = open(dbPath);
    const watch = store.watch('/t/', { afterRevision: 0 });
    const a = await store.create('/t/a', b('0'));
    const first = store.update('/t/a', b('1'), a.modRevision);
    const second = store.update('/t/a', b('2'), a.modRevision).catch((e: unknown) => kindOf(e));
    const dup = store.create('/t/a', b('x')).catch((e: unknown) => kindOf(e));
    const other = store.create('/t/b', b('y'));
    expect((await first).modRevision).toBe(2);
    expect(await second).toBe('Conflict');
    expect(await dup).toBe('AlreadyExists');
    expect((await other).modRevision).toBe(3);
    // A read right after asking for a write sees it.
    const pending = store.update('/t/b', b('z'), 3);
    expect(s((await store.get('/t/b'))!.value)).toBe('z');
    await pending;
    const deleted = await store.delete('/t/a', { expectedModRevision: 2 });
    expect(s(deleted.value)).toBe('1');
    expect(await store.get('/t/a')).toBeUndefined();
    const events = await take(watch, 5);
    expect(events.map((e) => [e.type, e.kv.key, e.revision])).toEqual([
      ['put', '/t/a', 1],
      ['put', '/t/a', 2],
      ['put', '/t/b', 3],
      ['put', '/t/b', 4],
      ['delete', '/t/a', 5],
    ]);
    expect(s(events[1]!.prevKv!.value)).toBe('0');
    expect((await store.range('/t/')).kvs.map((kv) => s(kv.value))).toEqual(['z']);
    watch.close();
  });

  it('expires a lease on the store clock and keeps everything across a restart', async () => {
    const { dbPath, cleanup } = tempDir();
    cleanups.push(cleanup);
    const clock = new VirtualClock(1_000_000);
    const store = open(dbPath, clock);
    const lease = await store.grantLease(10);
    await store.create('/l/k', b('v'), { lease: lease.id });
    await store.create('/l/kept', b('v'));
    await clock.advance(5_000);
    await store.keepAlive(lease.id);
    await clock.advance(9_000);
    expect(await store.get('/l/k')).toBeDefined();
    await clock.advance(2_000);
    expect(await store.get('/l/k')).toBeUndefined();
    expect(kindOf(await store.keepAlive(lease.id).catch((e: unknown) => e))).toBe('NotFound');
    await store.compact(await store.currentRevision());
    await store.close();
    const again = open(dbPath, clock);
    expect(await again.currentRevision()).toBe(3);
    expect(await again.compactedRevision()).toBe(3);
    expect(s((await again.get('/l/kept'))!.value)).toBe('v');
  });
});
