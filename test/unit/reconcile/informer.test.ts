import { afterEach, describe, expect, it } from 'vitest';
import { VirtualClock } from '../../../src/core/clock.js';
import { KosError } from '../../../src/core/errors.js';
import { Informer } from '../../../src/core/reconcile/informer.js';
import type { RangeOptions, RangeResult, Store } from '../../../src/core/store/types.js';
import { cacheState, decodeKv, encode, storeState, until, wrapStore } from './helpers.js';
import { MemoryStore } from './memory-store.js';

interface Pod {
  name: string;
  node: string;
}

const stops: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const stop of stops.splice(0)) await stop();
});

function setup(opts: { store?: Store; pageSize?: number; maxBuffered?: number } = {}) {
  const clock = new VirtualClock(0);
  const memory = new MemoryStore(clock);
  const store = opts.store ?? memory;
  const informer = new Informer<Pod>({
    store,
    clock,
    prefix: '/pods/',
    decode: decodeKv<Pod>,
    pageSize: opts.pageSize ?? 2,
    retryMs: 500,
    ...(opts.maxBuffered !== undefined ? { maxBuffered: opts.maxBuffered } : {}),
  });
  const events: string[] = [];
  informer.addHandler({
    onAdd: (key, p) => events.push(`add ${key} ${p.node}`),
    onUpdate: (key, o, n) => events.push(`update ${key} ${o.node}->${n.node}`),
    onDelete: (key, p) => events.push(`delete ${key} ${p.node}`),
  });
  stops.push(() => informer.stop());
  return { clock, memory, store, informer, events };
}

const pod = (name: string, node: string): Pod => ({ name, node });

/** The cache equals the store: same keys, same revisions, same decoded values. */
async function expectInSync(store: Store, informer: Informer<Pod>): Promise<void> {
  expect(cacheState(informer)).toEqual(await storeState(store, '/pods/'));
}

/** Wraps a store to count and optionally interfere with range calls. */
function rangeSpy(inner: Store, before?: (call: number, opts: RangeOptions) => Promise<void>) {
  let calls = 0;
  const store = wrapStore(inner, {
    range: async (prefix: string, opts?: RangeOptions): Promise<RangeResult> => {
      calls++;
      await before?.(calls, opts ?? {});
      return inner.range(prefix, opts);
    },
  });
  return { store, calls: () => calls };
}

describe('Informer', () => {
  it('lists in pages, syncs, and reports each object once as an add', async () => {
    const clock = new VirtualClock(0);
    const memory = new MemoryStore(clock);
    for (let i = 0; i < 5; i++) await memory.create(`/pods/p${i}`, encode(pod(`p${i}`, 'n1')));
    await memory.create('/nodes/n1', encode({ name: 'n1' }));
    const spy = rangeSpy(memory);
    const { informer, events } = setup({ store: spy.store, pageSize: 2 });
    expect(informer.hasSynced()).toBe(false);
    informer.start();
    await informer.waitForSync();
    expect(spy.calls()).toBe(3);
    expect(informer.keys().sort()).toEqual(['/pods/p0', '/pods/p1', '/pods/p2', '/pods/p3', '/pods/p4']);
    expect(informer.get('/pods/p3')).toEqual(pod('p3', 'n1'));
    expect(events.filter((e) => e.startsWith('add'))).toHaveLength(5);
    expect(informer.lastRevision()).toBe(6);
    await expectInSync(memory, informer);
  });

  it('follows the watch: adds, updates and deletes reach the cache and the handlers', async () => {
    const { memory, informer, events } = setup();
    informer.start();
    await informer.waitForSync();
    const a = await memory.create('/pods/a', encode(pod('a', 'n1')));
    await memory.update('/pods/a', encode(pod('a', 'n2')), a.modRevision);
    await memory.create('/pods/b', encode(pod('b', 'n1')));
    await memory.delete('/pods/b');
    await memory.create('/other/x', encode(pod('x', 'n1')));
    await until(() => informer.lastRevision() === 4, 'events up to revision 4');
    expect(events).toEqual(['add /pods/a n1', 'update /pods/a n1->n2', 'add /pods/b n1', 'delete /pods/b n1']);
    await expectInSync(memory, informer);
  });

  it('keeps secondary indexes current, including ones added after sync', async () => {
    const { memory, informer } = setup();
    informer.addIndex('node', (p) => [p.node]);
    await memory.create('/pods/a', encode(pod('a', 'n1')));
    await memory.create('/pods/b', encode(pod('b', 'n1')));
    const c = await memory.create('/pods/c', encode(pod('c', 'n2')));
    informer.start();
    await informer.waitForSync();
    informer.addIndex('name', (p) => [p.name]);
    expect(informer.keysByIndex('node', 'n1')).toEqual(['/pods/a', '/pods/b']);
    expect(informer.byIndex('name', 'c')).toEqual([pod('c', 'n2')]);

    await memory.update('/pods/c', encode(pod('c', 'n1')), c.modRevision);
    await memory.delete('/pods/a');
    await until(() => informer.lastRevision() === 5, 'both events');
    expect(informer.keysByIndex('node', 'n1')).toEqual(['/pods/b', '/pods/c']);
    expect(informer.keysByIndex('node', 'n2')).toEqual([]);
    expect(informer.byIndex('name', 'a')).toEqual([]);
    expect(() => informer.byIndex('zone', 'z')).toThrow(/no index/);
  });

  it('relists after the watch is lost to compaction and announces what changed meanwhile', async () => {
    const { memory, informer, events } = setup();
    informer.addIndex('node', (p) => [p.node]);
    const keep = await memory.create('/pods/keep', encode(pod('keep', 'n1')));
    const change = await memory.create('/pods/change', encode(pod('change', 'n1')));
    await memory.create('/pods/gone', encode(pod('gone', 'n1')));
    await memory.create('/pods/reborn', encode(pod('reborn', 'n1')));
    informer.start();
    await informer.waitForSync();
    events.length = 0;

    // Disconnected: nothing reaches the informer while the world moves on.
    memory.pauseWatches();
    await memory.update('/pods/change', encode(pod('change', 'n2')), change.modRevision);
    await memory.delete('/pods/gone');
    await memory.delete('/pods/reborn');
    await memory.create('/pods/reborn', encode(pod('reborn', 'n3')));
    await memory.create('/pods/new', encode(pod('new', 'n2')));
    await memory.compact(await memory.currentRevision());
    memory.failWatches('Compacted');

    await until(() => informer.listCount() === 2 && informer.lastRevision() === 9, 'the relist');
    expect(events.sort()).toEqual(
      [
        'update /pods/change n1->n2',
        'delete /pods/gone n1',
        'delete /pods/reborn n1',
        'add /pods/reborn n3',
        'add /pods/new n2',
      ].sort(),
    );
    expect(informer.getEntry('/pods/keep')?.modRevision).toBe(keep.modRevision);
    expect(informer.keysByIndex('node', 'n2')).toEqual(['/pods/change', '/pods/new']);
    await expectInSync(memory, informer);

    // And it watches again from the relist's revision.
    await memory.delete('/pods/keep');
    await until(() => informer.get('/pods/keep') === undefined, 'the delete after relist');
    await expectInSync(memory, informer);
  });

  it('relists when it falls too far behind (WatchTooSlow)', async () => {
    const { memory, informer, events } = setup({ maxBuffered: 3 });
    informer.start();
    await informer.waitForSync();
    memory.pauseWatches();
    for (let i = 0; i < 5; i++) await memory.create(`/pods/p${i}`, encode(pod(`p${i}`, 'n1')));
    await until(() => informer.listCount() === 2 && informer.size() === 5, 'the relist');
    expect(events).toHaveLength(5);
    await expectInSync(memory, informer);
  });

  it('lists again from scratch when compaction overtakes a paged list', async () => {
    const clock = new VirtualClock(0);
    const memory = new MemoryStore(clock);
    for (let i = 0; i < 5; i++) await memory.create(`/pods/p${i}`, encode(pod(`p${i}`, 'n1')));
    const spy = rangeSpy(memory, async (call) => {
      if (call !== 2) return;
      // Between page one and page two: a write, and history below it is compacted away.
      await memory.delete('/pods/p0');
      await memory.compact(await memory.currentRevision());
    });
    const { informer } = setup({ store: spy.store, pageSize: 2 });
    informer.start();
    await informer.waitForSync();
    expect(informer.listCount()).toBe(2);
    expect(informer.get('/pods/p0')).toBeUndefined();
    await expectInSync(memory, informer);
  });

  it('retries a failing store after retryMs, and rejects waitForSync if stopped first', async () => {
    const clock = new VirtualClock(0);
    const memory = new MemoryStore(clock);
    let failing = true;
    const spy = rangeSpy(memory, async () => {
      if (failing) throw new KosError('Unavailable', 'store down');
    });
    const informer = new Informer<Pod>({ store: spy.store, clock, prefix: '/pods/', decode: decodeKv<Pod>, retryMs: 500 });
    informer.start();
    await clock.advance(499);
    expect(spy.calls()).toBe(1);
    await clock.advance(1);
    expect(spy.calls()).toBe(2);
    const sync = informer.waitForSync();
    await informer.stop();
    await expect(sync).rejects.toMatchObject({ kind: 'Unavailable' });

    failing = false;
    informer.start();
    await informer.waitForSync();
    expect(informer.hasSynced()).toBe(true);
    await informer.stop();
  });

  it('treats a value it cannot decode as absent', async () => {
    const { memory, informer, events } = setup();
    informer.start();
    await informer.waitForSync();
    const good = await memory.create('/pods/x', encode(pod('x', 'n1')));
    const bad = await memory.update('/pods/x', new TextEncoder().encode('{not json'), good.modRevision);
    await until(() => informer.lastRevision() === bad.modRevision, 'the bad write');
    expect(informer.get('/pods/x')).toBeUndefined();
    await memory.update('/pods/x', encode(pod('x', 'n2')), bad.modRevision);
    await until(() => informer.get('/pods/x') !== undefined, 'the repaired write');
    expect(events).toEqual(['add /pods/x n1', 'delete /pods/x n1', 'add /pods/x n2']);
  });

  it('replays the cache to a handler added after sync, and survives a handler that throws', async () => {
    const { memory, informer } = setup();
    await memory.create('/pods/a', encode(pod('a', 'n1')));
    informer.start();
    await informer.waitForSync();
    informer.addHandler({
      onAdd: () => {
        throw new Error('handler bug');
      },
    });
    const late: string[] = [];
    const remove = informer.addHandler({ onAdd: (key) => late.push(key) });
    expect(late).toEqual(['/pods/a']);
    await memory.create('/pods/b', encode(pod('b', 'n1')));
    await until(() => late.length === 2, 'the second add');
    remove();
    await memory.create('/pods/c', encode(pod('c', 'n1')));
    await until(() => informer.size() === 3, 'the third add');
    expect(late).toEqual(['/pods/a', '/pods/b']);
  });
});

describe('Informer selection', () => {
  it('caches only what it selects, decoding nothing the bytes rule out; leaving the selection is a delete', async () => {
    const clock = new VirtualClock(0);
    const memory = new MemoryStore(clock);
    let decoded = 0;
    const informer = new Informer<Pod>({
      store: memory,
      clock,
      prefix: '/pods/',
      decode: (value, kv) => {
        decoded++;
        return decodeKv<Pod>(value, kv);
      },
      // Bound pods: the bytes of an unbound one have an empty node; a pod on "-" slips past the bytes.
      select: { bytes: (v) => !new TextDecoder().decode(v).includes('"node":""'), object: (p) => p.node !== '' && p.node !== '-' },
    });
    stops.push(() => informer.stop());
    const events: string[] = [];
    informer.addHandler({
      onAdd: (key, p) => events.push(`add ${key} ${p.node}`),
      onUpdate: (key, o, n) => events.push(`update ${key} ${o.node}->${n.node}`),
      onDelete: (key, p) => events.push(`delete ${key} ${p.node}`),
    });
    await memory.create('/pods/listed', encode(pod('listed', 'n1')));
    await memory.create('/pods/waiting', encode(pod('waiting', '')));
    informer.start();
    await informer.waitForSync();
    expect(informer.keys()).toEqual(['/pods/listed']);
    expect(decoded).toBe(1);

    const created = await memory.create('/pods/a', encode(pod('a', '')));
    const bound = await memory.update('/pods/a', encode(pod('a', 'n2')), created.modRevision);
    const odd = await memory.update('/pods/a', encode(pod('a', '-')), bound.modRevision);
    await memory.update('/pods/a', encode(pod('a', 'n3')), odd.modRevision);
    await until(() => events.length === 4, 'four events');
    expect(events).toEqual(['add /pods/listed n1', 'add /pods/a n2', 'delete /pods/a n2', 'add /pods/a n3']);
    // The unbound versions were refused by their bytes; the "-" one had to be decoded.
    expect(decoded).toBe(4);
  });

  it('hands the decoder the cached object, which it may keep', async () => {
    const clock = new VirtualClock(0);
    const memory = new MemoryStore(clock);
    const previousSeen: (Pod | undefined)[] = [];
    const informer = new Informer<Pod>({
      store: memory,
      clock,
      prefix: '/pods/',
      decode: (value, kv, previous) => {
        previousSeen.push(previous);
        const next = decodeKv<Pod>(value, kv);
        return previous && previous.node === next.node ? previous : next;
      },
    });
    stops.push(() => informer.stop());
    informer.start();
    await informer.waitForSync();
    const a = await memory.create('/pods/a', encode(pod('a', 'n1')));
    await until(() => informer.size() === 1, 'the add');
    const first = informer.get('/pods/a');
    await memory.update('/pods/a', encode(pod('a', 'n1')), a.modRevision);
    await until(() => previousSeen.length === 2, 'the update');
    expect(previousSeen[1]).toBe(first);
    expect(informer.get('/pods/a')).toBe(first);
  });
});
