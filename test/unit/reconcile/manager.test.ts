import { Registry } from 'prom-client';
import { afterEach, describe, expect, it } from 'vitest';
import { VirtualClock } from '../../../src/core/clock.js';
import { KosError, isKosError } from '../../../src/core/errors.js';
import { Informer } from '../../../src/core/reconcile/informer.js';
import { Manager, fromInformer, type Reconciler, type ReconcileResult } from '../../../src/core/reconcile/manager.js';
import type { Store } from '../../../src/core/store/types.js';
import { decodeKv, encode, wrapStore } from './helpers.js';
import { MemoryStore } from './memory-store.js';

const managers: Manager[] = [];
afterEach(async () => {
  for (const m of managers.splice(0)) await m.stop();
});

function manager(clock: VirtualClock, registry?: Registry): Manager {
  const m = new Manager({ clock, ...(registry ? { registry } : {}) });
  managers.push(m);
  return m;
}

async function metricValue(registry: Registry, name: string, labels: Record<string, string>): Promise<number | undefined> {
  const metric = registry.getSingleMetric(name);
  if (!metric) return undefined;
  const { values } = await metric.get();
  const found = values.find((v) => Object.entries(labels).every(([k, val]) => v.labels[k] === val));
  return found?.value;
}

describe('Controller and Manager', () => {
  it('retries a reconciler that fails twice with growing back-off, then stops retrying', async () => {
    const clock = new VirtualClock(0);
    const registry = new Registry();
    const calls: number[] = [];
    const reconciler: Reconciler = {
      name: 'flaky',
      async reconcile(): Promise<ReconcileResult> {
        calls.push(clock.now());
        if (calls.length <= 2) throw new Error('dependency not ready');
        return {};
      },
    };
    const m = manager(clock, registry);
    const ctrl = m.addController({ reconciler, queue: { backoff: { baseMs: 100, maxMs: 10_000 } } });
    await m.start();
    ctrl.enqueue('k');
    await clock.advance(0);
    expect(calls).toEqual([0]);
    await clock.advance(99);
    expect(calls).toEqual([0]);
    await clock.advance(1);
    expect(calls).toEqual([0, 100]);
    await clock.advance(199);
    expect(calls).toHaveLength(2);
    await clock.advance(1);
    expect(calls).toEqual([0, 100, 300]);
    await clock.advance(60_000);
    expect(calls).toHaveLength(3);
    expect(ctrl.isIdle()).toBe(true);

    expect(await metricValue(registry, 'kos_reconcile_total', { controller: 'flaky', result: 'error' })).toBe(2);
    expect(await metricValue(registry, 'kos_reconcile_total', { controller: 'flaky', result: 'success' })).toBe(1);
    expect(await metricValue(registry, 'kos_reconcile_errors_total', { controller: 'flaky' })).toBe(2);
    expect(await metricValue(registry, 'kos_reconcile_queue_depth', { controller: 'flaky' })).toBe(0);
    expect(await registry.metrics()).toContain('kos_reconcile_duration_seconds_count{controller="flaky"} 3');
  });

  it('requeues after requeueAfterMs', async () => {
    const clock = new VirtualClock(0);
    const calls: number[] = [];
    const m = manager(clock);
    const ctrl = m.addController({
      reconciler: {
        name: 'poller',
        async reconcile() {
          calls.push(clock.now());
          return calls.length < 3 ? { requeueAfterMs: 1_000 } : {};
        },
      },
    });
    await m.start();
    ctrl.enqueue('k');
    await clock.advance(5_000);
    expect(calls).toEqual([0, 1_000, 2_000]);
  });

  it('starts the back-off over after a success', async () => {
    const clock = new VirtualClock(0);
    const calls: number[] = [];
    const failOn = new Set([1, 3]);
    const m = manager(clock);
    const ctrl = m.addController({
      queue: { backoff: { baseMs: 100, maxMs: 10_000 } },
      reconciler: {
        name: 'sometimes',
        async reconcile() {
          calls.push(clock.now());
          if (failOn.has(calls.length)) throw new Error('transient');
          return {};
        },
      },
    });
    await m.start();
    ctrl.enqueue('k');
    await clock.advance(1_000);
    ctrl.enqueue('k');
    await clock.advance(1_000);
    // Fail, retry after 100 ms, succeed; later fail again: 100 ms again, not 200.
    expect(calls).toEqual([0, 100, 1_000, 1_100]);
  });

  it('does not reconcile before its informers have synced, nor after a stop that came first', async () => {
    const clock = new VirtualClock(0);
    const store = new MemoryStore(clock);
    await store.create('/things/a', encode({}));
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const slow = wrapStore(store, {
      range: async (prefix, opts) => {
        await gate;
        return store.range(prefix, opts);
      },
    });
    const things = new Informer<object>({ store: slow, clock, prefix: '/things/', decode: decodeKv<object> });
    const seen: string[] = [];
    const m = manager(clock);
    const ctrl = m.addController({
      reconciler: {
        name: 'patient',
        async reconcile(key) {
          seen.push(key);
          return {};
        },
      },
      sources: [fromInformer(things)],
    });
    const started = m.start();
    ctrl.enqueue('/things/manual');
    await clock.advance(1_000);
    expect(seen).toEqual([]);
    release();
    await started;
    await clock.advance(0);
    expect(seen.sort()).toEqual(['/things/a', '/things/manual']);

    // A controller stopped while waiting for its caches never runs a key.
    const gate2 = new Promise<void>(() => undefined);
    const never = wrapStore(store, { range: async () => gate2.then(() => store.range('/')) });
    const idle = new Informer<object>({ store: never, clock, prefix: '/things/', decode: decodeKv<object> });
    const m2 = manager(clock);
    const ctrl2 = m2.addController({
      reconciler: {
        name: 'never',
        async reconcile(key) {
          seen.push(`never ${key}`);
          return {};
        },
      },
      sources: [fromInformer(idle)],
    });
    const started2 = m2.start();
    ctrl2.enqueue('/x');
    await clock.advance(10);
    await ctrl2.stop();
    await started2;
    await clock.advance(1_000);
    expect(seen.filter((k) => k.startsWith('never'))).toEqual([]);
  });

  it('runs different keys in parallel on N workers but never one key twice at once', async () => {
    const clock = new VirtualClock(0);
    const active = new Set<string>();
    let maxParallel = 0;
    let overlaps = 0;
    let runs = 0;
    const m = manager(clock);
    const ctrl = m.addController({
      workers: 3,
      reconciler: {
        name: 'slow',
        async reconcile(key) {
          if (active.has(key)) overlaps++;
          active.add(key);
          maxParallel = Math.max(maxParallel, active.size);
          await clock.sleep(10);
          active.delete(key);
          runs++;
          return {};
        },
      },
    });
    await m.start();
    for (const k of ['a', 'b', 'a', 'c', 'd']) ctrl.enqueue(k);
    await clock.advance(1);
    ctrl.enqueue('a'); // while 'a' runs: queued again, not run beside itself
    ctrl.enqueue('a');
    await clock.advance(100);
    expect(overlaps).toBe(0);
    expect(maxParallel).toBe(3);
    expect(runs).toBe(5); // a, b, c, d, then a once more
  });

  it('stops cleanly: in-flight reconciles finish, queued keys are dropped, nothing runs after', async () => {
    const clock = new VirtualClock(0);
    let finished = 0;
    const m = manager(clock);
    const ctrl = m.addController({
      reconciler: {
        name: 'stopper',
        async reconcile() {
          await clock.sleep(10);
          finished++;
          return { requeueAfterMs: 5 };
        },
      },
    });
    await m.start();
    ctrl.enqueue('a');
    ctrl.enqueue('b');
    await clock.advance(1);
    const stopped = m.stop();
    await clock.advance(10);
    await stopped;
    expect(finished).toBe(1);
    await clock.advance(1_000);
    expect(finished).toBe(1);
    expect(ctrl.isRunning()).toBe(false);
  });
});

// ---- a small desired → actual world, as every kos reconciler is shaped

interface Desired {
  replicas: number;
}
interface Replica {
  owner: string;
  index: number;
}

/**
 * Makes `/actual/<name>/<i>` exist for i < replicas of `/desired/<name>`, and nothing
 * else. Deterministic names make a repeated create harmless; reads come from the caches.
 */
function replicaReconciler(store: Store, desired: Informer<Desired>, actual: Informer<Replica>): Reconciler {
  return {
    name: 'replicas',
    async reconcile(key) {
      const name = key.slice('/desired/'.length);
      const want = desired.get(key)?.replicas ?? 0;
      const have = new Set(actual.keysByIndex('owner', name));
      for (let i = 0; i < want; i++) {
        const k = `/actual/${name}/${i}`;
        if (have.has(k)) continue;
        await store.create(k, encode({ owner: name, index: i })).catch(ignore('AlreadyExists'));
      }
      for (const k of have) {
        const r = actual.get(k);
        if (r && r.index >= want) await store.delete(k).catch(ignore('NotFound'));
      }
      return {};
    },
  };
}

const ignore =
  (kind: string) =>
  (err: unknown): void => {
    if (!isKosError(err) || err.kind !== kind) throw err;
  };

/** One "process": its own informers and controller over a (possibly faulty) view of the store. */
function replicaProcess(clock: VirtualClock, store: Store) {
  const desired = new Informer<Desired>({ store, clock, prefix: '/desired/', decode: decodeKv<Desired> });
  const actual = new Informer<Replica>({ store, clock, prefix: '/actual/', decode: decodeKv<Replica> });
  actual.addIndex('owner', (r) => [r.owner]);
  const m = manager(clock);
  const ctrl = m.addController({
    reconciler: replicaReconciler(store, desired, actual),
    sources: [fromInformer(desired), fromInformer(actual, (_key, r) => [`/desired/${r.owner}`])],
    queue: { backoff: { baseMs: 10, maxMs: 1_000 } },
  });
  return { m, ctrl };
}

async function actualKeys(store: Store): Promise<string[]> {
  return (await store.range('/actual/')).kvs.map((kv) => kv.key);
}

describe('a desired → actual controller', () => {
  it('converges, survives being killed midway, and is idempotent', async () => {
    const clock = new VirtualClock(0);
    const store = new MemoryStore(clock);
    await store.create('/desired/web', encode({ replicas: 5 }));
    await store.create('/desired/db', encode({ replicas: 1 }));

    // Process one dies after three writes: every store call fails from then on.
    let writes = 0;
    const dying = wrapStore(store, {
      create: async (key, value, opts) => {
        if (++writes > 3) throw new KosError('Unavailable', 'process killed');
        return store.create(key, value, opts);
      },
    });
    const first = replicaProcess(clock, dying);
    await first.m.start();
    await clock.advance(100);
    const partial = await actualKeys(store);
    expect(partial).toHaveLength(3);
    await first.m.stop();

    // Process two starts on what was left and finishes the job, leaking nothing.
    const second = replicaProcess(clock, store);
    await second.m.start();
    await clock.advance(100);
    expect(await actualKeys(store)).toEqual([
      '/actual/db/0',
      '/actual/web/0',
      '/actual/web/1',
      '/actual/web/2',
      '/actual/web/3',
      '/actual/web/4',
    ]);

    // Level-triggered: scale down, delete a replica by hand, remove a whole desired object.
    const web = await store.get('/desired/web');
    if (!web) throw new Error('missing /desired/web');
    await store.update('/desired/web', encode({ replicas: 2 }), web.modRevision);
    await store.delete('/actual/web/0');
    await store.delete('/desired/db');
    await clock.advance(100);
    expect(await actualKeys(store)).toEqual(['/actual/web/0', '/actual/web/1']);

    // Running again changes nothing.
    const before = await store.currentRevision();
    second.ctrl.enqueue('/desired/web');
    second.ctrl.enqueue('/desired/db');
    await clock.advance(100);
    expect(await store.currentRevision()).toBe(before);
    expect(second.ctrl.isIdle()).toBe(true);
  });
});
