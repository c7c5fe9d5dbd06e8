import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../../src/core/clock.js';
import { KosError } from '../../../src/core/errors.js';
import { b, rejection, take, withStore } from './helpers.js';

const kindOf = (e: unknown): string => (e instanceof KosError ? e.kind : String(e));

describe('sqlite store: leases', () => {
  it('deletes the keys of an expired lease, as delete events at new revisions', async () => {
    const clock = new VirtualClock();
    await withStore(async ({ store }) => {
      const lease = await store.grantLease(10);
      expect(lease.ttlSeconds).toBe(10);
      await store.create('/l/a', b('a'), { lease: lease.id });
      await store.create('/l/b', b('b'), { lease: lease.id });
      const kept = await store.create('/l/kept', b('k'));
      const moved = await store.create('/l/moved', b('m'), { lease: lease.id });
      // Updating without the lease detaches the key, as etcd's put does.
      await store.update('/l/moved', b('m2'), moved.modRevision);
      const start = await store.currentRevision();
      const watch = store.watch('/l/', { afterRevision: start });

      await clock.advance(9_999);
      expect((await store.range('/l/')).count).toBe(4);
      await clock.advance(1);
      const events = await take(watch, 2);
      expect(events.map((e) => [e.type, e.kv.key, e.revision])).toEqual([
        ['delete', '/l/a', start + 1],
        ['delete', '/l/b', start + 2],
      ]);
      expect(events[0]?.prevKv?.lease).toBe(lease.id);
      expect((await store.range('/l/')).kvs.map((kv) => kv.key)).toEqual(['/l/kept', '/l/moved']);
      expect((await store.get('/l/kept'))?.modRevision).toBe(kept.modRevision);
      expect(kindOf(await rejection(store.keepAlive(lease.id)))).toBe('NotFound');
      expect(kindOf(await rejection(store.create('/l/late', b('x'), { lease: lease.id })))).toBe('NotFound');
      watch.close();
    }, clock);
  });

  it('keepAlive pushes expiry a full TTL from now; revoke deletes at once', async () => {
    const clock = new VirtualClock();
    await withStore(async ({ store }) => {
      const l1 = await store.grantLease(5);
      const l2 = await store.grantLease(5);
      await store.create('/k/1', b('1'), { lease: l1.id });
      await store.create('/k/2', b('2'), { lease: l2.id });
      await clock.advance(4_000);
      await store.keepAlive(l1.id);
      await clock.advance(4_000); // l1 due at 9 s, l2 was due at 5 s
      expect(await store.get('/k/1')).toBeDefined();
      expect(await store.get('/k/2')).toBeUndefined();
      await store.revokeLease(l1.id);
      expect(await store.get('/k/1')).toBeUndefined();
      expect(kindOf(await rejection(store.revokeLease(l1.id)))).toBe('NotFound');
      expect(clock.pending()).toBe(0);
      expect(kindOf(await rejection(store.grantLease(0)))).toBe('BadRequest');
    }, clock);
  });

  it('after a restart, expires what ran out while down and re-arms the rest', async () => {
    const clock = new VirtualClock();
    await withStore(async ({ store, reopen }) => {
      const short = await store.grantLease(10);
      const long = await store.grantLease(60);
      await store.create('/r/short', b('s'), { lease: short.id });
      await store.create('/r/long', b('l'), { lease: long.id });
      const before = await store.currentRevision();
      // The process is down for 30 s: a new clock that has moved on.
      const later = new VirtualClock(clock.now() + 30_000);
      const again = await reopen(later);
      expect(await again.get('/r/short')).toBeUndefined();
      expect(await again.get('/r/long')).toBeDefined();
      // The expiry was a real delete, visible to a watch from before the restart.
      const events = await take(again.watch('/r/', { afterRevision: before }), 1);
      expect(events.map((e) => [e.type, e.kv.key])).toEqual([['delete', '/r/short']]);
      await later.advance(29_999);
      expect(await again.get('/r/long')).toBeDefined();
      await later.advance(1);
      expect(await again.get('/r/long')).toBeUndefined();
    }, clock);
  });
});
