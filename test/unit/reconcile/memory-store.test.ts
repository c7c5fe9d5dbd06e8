// The test double must be honest, or the informer tests prove nothing: check the parts
// of the store contract the reconcile runtime leans on.
import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../../src/core/clock.js';
import { isKosError } from '../../../src/core/errors.js';
import type { WatchEvent } from '../../../src/core/store/types.js';
import { encode } from './helpers.js';
import { MemoryStore } from './memory-store.js';

async function collect(iter: AsyncIterable<WatchEvent[]>, n: number): Promise<WatchEvent[]> {
  const out: WatchEvent[] = [];
  for await (const batch of iter) {
    out.push(...batch);
    if (out.length >= n) break;
  }
  return out;
}

describe('MemoryStore', () => {
  it('gives every write the next revision and enforces compare-and-swap', async () => {
    const s = new MemoryStore(new VirtualClock(0));
    const a = await s.create('/a', encode(1));
    const b = await s.create('/b', encode(1));
    expect([a.modRevision, b.modRevision]).toEqual([1, 2]);
    await expect(s.create('/a', encode(2))).rejects.toMatchObject({ kind: 'AlreadyExists' });
    const a2 = await s.update('/a', encode(2), a.modRevision);
    expect(a2).toMatchObject({ createRevision: 1, modRevision: 3, version: 2 });
    await expect(s.update('/a', encode(3), a.modRevision)).rejects.toMatchObject({ kind: 'Conflict' });
    await expect(s.delete('/a', { expectedModRevision: 1 })).rejects.toMatchObject({ kind: 'Conflict' });
    expect(await s.currentRevision()).toBe(3);
  });

  it('pages a range at one revision and reads the past until compacted', async () => {
    const s = new MemoryStore(new VirtualClock(0));
    for (const k of ['c', 'a', 'b', 'd']) await s.create(`/p/${k}`, encode(k));
    const first = await s.range('/p/', { limit: 3 });
    await s.delete('/p/b');
    await s.create('/p/aa', encode('late'));
    const second = await s.range('/p/', { limit: 3, continue: first.continue });
    expect([...first.kvs, ...second.kvs].map((kv) => kv.key)).toEqual(['/p/a', '/p/b', '/p/c', '/p/d']);
    expect(second.continue).toBeUndefined();
    expect((await s.get('/p/b', { revision: 4 }))?.key).toBe('/p/b');
    await s.compact(5);
    await expect(s.range('/p/', { revision: 4 })).rejects.toMatchObject({ kind: 'Compacted' });
    expect((await s.range('/p/')).kvs.map((kv) => kv.key)).toEqual(['/p/a', '/p/aa', '/p/c', '/p/d']);
  });

  it('replays a watch from afterRevision, then goes live; fails Compacted below the compaction point', async () => {
    const s = new MemoryStore(new VirtualClock(0));
    await s.create('/w/a', encode(1));
    await s.create('/x/other', encode(1));
    await s.create('/w/b', encode(1));
    const w = s.watch('/w/', { afterRevision: 1 });
    const got = collect(w, 2);
    await s.delete('/w/a');
    expect((await got).map((e) => [e.type, e.kv.key, e.revision])).toEqual([
      ['put', '/w/b', 3],
      ['delete', '/w/a', 4],
    ]);
    await s.compact(3);
    const old = s.watch('/w/', { afterRevision: 2 });
    const err: unknown = await collect(old, 1).catch((e: unknown) => e);
    expect(isKosError(err) && err.kind).toBe('Compacted');
  });

  it('cuts off a watcher that falls more than maxBuffered behind', async () => {
    const s = new MemoryStore(new VirtualClock(0));
    const w = s.watch('/', { afterRevision: 0, maxBuffered: 2 });
    for (const k of ['a', 'b', 'c']) await s.create(`/${k}`, encode(k));
    const err: unknown = await collect(w, 3).catch((e: unknown) => e);
    expect(isKosError(err) && err.kind).toBe('WatchTooSlow');
  });

  it('deletes a lease’s keys when it expires, not while it is kept alive', async () => {
    const clock = new VirtualClock(0);
    const s = new MemoryStore(clock);
    const lease = await s.grantLease(10);
    await s.create('/l', encode(1), { lease: lease.id });
    await clock.advance(9_000);
    await s.keepAlive(lease.id);
    await clock.advance(9_000);
    expect(await s.get('/l')).toBeDefined();
    await clock.advance(1_000);
    expect(await s.get('/l')).toBeUndefined();
    await expect(s.keepAlive(lease.id)).rejects.toMatchObject({ kind: 'NotFound' });
  });
});
