import { afterEach, describe, expect, it } from 'vitest';
import { VirtualClock } from '../../../src/core/clock.js';
import { KosError } from '../../../src/core/errors.js';
import { Informer } from '../../../src/core/reconcile/informer.js';
import { LeaderElector } from '../../../src/core/reconcile/leader.js';
import { Manager, fromInformer } from '../../../src/core/reconcile/manager.js';
import type { RangeOptions, Store } from '../../../src/core/store/types.js';
import { decodeKv, encode, until, wrapStore } from './helpers.js';
import { MemoryStore } from './memory-store.js';

const electionKey = '/kos/leader/controllers';
const stops: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const stop of stops.splice(0)) await stop();
});

/** A store view that can be cut off from the real one, as a network partition would. */
function partitionable(inner: Store) {
  let cut = false;
  const guard =
    <A extends unknown[], R>(fn: (...args: A) => Promise<R>) =>
    async (...args: A): Promise<R> => {
      if (cut) throw new KosError('Unavailable', 'partitioned');
      return fn(...args);
    };
  const store = wrapStore(inner, {
    get: guard((k: string, o?: { revision?: number }) => inner.get(k, o)),
    range: guard((p: string, o?: RangeOptions) => inner.range(p, o)),
    create: guard((k: string, v: Uint8Array, o?: { lease?: number }) => inner.create(k, v, o)),
    keepAlive: guard((id: number) => inner.keepAlive(id)),
    grantLease: guard((ttl: number) => inner.grantLease(ttl)),
    revokeLease: guard((id: number) => inner.revokeLease(id)),
  });
  return { store, cut: () => (cut = true) };
}

/** A process: a manager with one leader-elected and one everywhere controller over /jobs/. */
function node(name: string, clock: VirtualClock, store: Store, runs: string[]) {
  const jobs = new Informer<{ id: string }>({ store, clock, prefix: '/jobs/', decode: decodeKv<{ id: string }> });
  const m = new Manager({
    clock,
    leaderElection: { store, key: electionKey, identity: name, ttlSeconds: 3 },
  });
  m.addController({
    reconciler: {
      name: 'singleton',
      async reconcile(key) {
        runs.push(`${name} ${key}`);
        return {};
      },
    },
    sources: [fromInformer(jobs)],
  });
  let local = 0;
  m.addController({
    leaderElected: false,
    reconciler: {
      name: 'per-node',
      async reconcile() {
        local++;
        return {};
      },
    },
    sources: [fromInformer(jobs)],
  });
  stops.push(() => m.stop());
  return { m, localRuns: () => local };
}

describe('leader election', () => {
  it('runs an elected controller in one process only, and hands over on a clean stop', async () => {
    const clock = new VirtualClock(0);
    const store = new MemoryStore(clock);
    for (const j of ['j1', 'j2']) await store.create(`/jobs/${j}`, encode({ id: j }));
    const runs: string[] = [];
    const a = node('a', clock, store, runs);
    const b = node('b', clock, store, runs);
    await a.m.start();
    await clock.advance(0);
    await b.m.start();
    await clock.advance(10_000);

    expect(a.m.isLeader()).toBe(true);
    expect(b.m.isLeader()).toBe(false);
    expect(runs.sort()).toEqual(['a /jobs/j1', 'a /jobs/j2']);
    // Controllers that are not elected run everywhere.
    expect(a.localRuns()).toBe(2);
    expect(b.localRuns()).toBe(2);
    const elector = new LeaderElector({
      store,
      clock,
      key: electionKey,
      identity: 'observer',
      onStartedLeading: () => undefined,
      onStoppedLeading: () => undefined,
    });
    expect(await elector.currentLeader()).toBe('a');

    // History is compacted past the election key's revision: b must keep watching anyway.
    await store.create('/unrelated', encode({}));
    await store.compact(await store.currentRevision());
    await clock.advance(2_000);

    // a stops: it revokes its lease, b sees the key go and takes over without waiting a TTL.
    runs.length = 0;
    await a.m.stop();
    await clock.advance(0);
    expect(b.m.isLeader()).toBe(true);
    expect(await elector.currentLeader()).toBe('b');
    // The new leader starts from its warm cache: every job is reconciled again.
    expect(runs.sort()).toEqual(['b /jobs/j1', 'b /jobs/j2']);

    await store.create('/jobs/j3', encode({ id: 'j3' }));
    await clock.advance(0);
    expect(runs).toContain('b /jobs/j3');
    expect(runs.filter((r) => r.startsWith('a'))).toEqual([]);
  });

  it('takes over when the leader is cut off, after it has stepped down and its lease expired', async () => {
    const clock = new VirtualClock(0);
    const store = new MemoryStore(clock);
    await store.create('/jobs/j1', encode({ id: 'j1' }));
    const runs: string[] = [];
    const aView = partitionable(store);
    const a = node('a', clock, aView.store, runs);
    const b = node('b', clock, store, runs);
    await a.m.start();
    await clock.advance(0);
    await b.m.start();
    await clock.advance(5_000);
    expect(a.m.isLeader()).toBe(true);

    aView.cut();
    let steppedDownAt: number | undefined;
    let tookOverAt: number | undefined;
    for (let t = 0; t < 10_000; t += 50) {
      await clock.advance(50);
      // Never two leaders at once, even while a cannot reach the store.
      expect(a.m.isLeader() && b.m.isLeader()).toBe(false);
      if (steppedDownAt === undefined && !a.m.isLeader()) steppedDownAt = clock.now();
      if (tookOverAt === undefined && b.m.isLeader()) tookOverAt = clock.now();
    }
    if (steppedDownAt === undefined || tookOverAt === undefined) throw new Error('no hand-over happened');
    expect(steppedDownAt).toBeLessThan(tookOverAt);
    // a steps down within the renew deadline (2 s) of its last renewal, before anyone can lead.
    expect(steppedDownAt - 5_000).toBeLessThanOrEqual(2_000 + 50);
    // b waits for the lease TTL (3 s from a's last renewal), not much longer.
    expect(tookOverAt - 5_000).toBeLessThanOrEqual(3_000 + 100);
    expect(runs).toContain('b /jobs/j1');
  });

  it('stops a leader whose controllers are still waiting for caches that never sync', async () => {
    const clock = new VirtualClock(0);
    const store = new MemoryStore(clock);
    const stuck = wrapStore(store, { range: () => new Promise(() => undefined) });
    const jobs = new Informer<object>({ store: stuck, clock, prefix: '/jobs/', decode: decodeKv<object> });
    const m = new Manager({ clock, leaderElection: { store, key: electionKey, identity: 'solo', ttlSeconds: 3 } });
    m.addController({ reconciler: { name: 'stuck', reconcile: async () => ({}) }, sources: [fromInformer(jobs)] });
    await m.start();
    await clock.advance(100);
    expect(m.isLeader()).toBe(true);
    let stopped = false;
    const stopping = m.stop().then(() => (stopped = true));
    await until(() => stopped, 'the manager to stop');
    await stopping;
    expect(await store.get(electionKey)).toBeUndefined();
  });
});
