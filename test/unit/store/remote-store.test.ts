/**
 * The store across a port: serveStore on one end of a MessageChannel, RemoteStore on the
 * other, over a real SQLite store. The whole store suite also runs this way with
 * KOS_STORE_WRITER=remote; these are what the bridge itself adds: errors rebuilt as
 * KosErrors, watches pulled batch by batch, the ends closing apart, foreign messages on
 * the same port, and a real worker thread.
 */
import { MessageChannel, Worker, type MessagePort } from 'node:worker_threads';
import { afterEach, describe, expect, it } from 'vitest';
import { SystemClock, VirtualClock, type Clock } from '../../../src/core/clock.js';
import { KosError } from '../../../src/core/errors.js';
import { RemoteStore } from '../../../src/core/store/remote-store.js';
import { openSqliteStore } from '../../../src/core/store/sqlite.js';
import { serveStore, type StoreHost } from '../../../src/core/store/store-host.js';
import type { Store } from '../../../src/core/store/types.js';
import type { FixtureMessage } from './fixtures/remote-store-worker.js';
import { b, batchOf, putMany, rejection, s, take, tempDir } from './helpers.js';

const kindOf = (e: unknown): string => (e instanceof KosError ? e.kind : String(e));
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

interface Bridge {
  /** The store as the serving thread has it. */
  local: Store;
  remote: RemoteStore;
  host: StoreHost;
  hostPort: MessagePort;
  remotePort: MessagePort;
}

function bridge(clock: Clock = new SystemClock(), local?: Store): Bridge {
  const dir = tempDir();
  cleanups.push(dir.cleanup);
  const store = local ?? openSqliteStore({ path: dir.dbPath, clock });
  const { port1, port2 } = new MessageChannel();
  const host = serveStore(store, port1);
  const remote = new RemoteStore(port2);
  port1.unref();
  port2.unref();
  cleanups.push(async () => {
    await remote.close();
    host.close();
    await store.close();
    port1.close();
    port2.close();
  });
  return { local: store, remote, host, hostPort: port1, remotePort: port2 };
}

async function until(condition: () => boolean, timeoutMs = 2_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** A store whose calls fail in the ways a store may fail; only what the tests use. */
function failingStore(): Store {
  const unused = (): never => {
    throw new Error('not used');
  };
  return {
    get: () => Promise.reject(new KosError('Invalid', 'key has no shape', { field: 'key', allowed: ['/a', '/b'] })),
    range: () => Promise.reject(new TypeError('cannot read properties of undefined')),
    create: () => Promise.reject(new KosError('OverLimit', 'details cannot cross', { fn: () => 1 })),
    update: unused,
    delete: unused,
    watch: () => {
      throw new KosError('Unavailable', 'store is closed');
    },
    grantLease: unused,
    keepAlive: unused,
    revokeLease: unused,
    compact: unused,
    currentRevision: () => Promise.resolve(7),
    compactedRevision: unused,
    close: () => Promise.resolve(),
  };
}

describe('remote store over a MessageChannel', () => {
  it('creates, reads, updates and deletes with the revisions and versions of the store', async () => {
    const { remote, local } = bridge();
    expect(await remote.currentRevision()).toBe(0);
    const a1 = await remote.create('/a', b('1'));
    expect(a1).toMatchObject({ key: '/a', createRevision: 1, modRevision: 1, version: 1, lease: 0 });
    expect(s(a1.value)).toBe('1');
    const a2 = await remote.update('/a', b('2'), a1.modRevision);
    expect(a2).toMatchObject({ createRevision: 1, modRevision: 2, version: 2 });
    const got = await remote.get('/a');
    expect(got?.value).toBeInstanceOf(Uint8Array);
    expect(got && s(got.value)).toBe('2');
    expect(await remote.get('/a', { revision: 1 })).toMatchObject({ modRevision: 1, version: 1 });
    expect(await local.get('/a')).toEqual(got);
    const gone = await remote.delete('/a', { expectedModRevision: a2.modRevision });
    expect(s(gone.value)).toBe('2');
    expect(await remote.get('/a')).toBeUndefined();
    expect(await remote.currentRevision()).toBe(3);
    // A value that is a view of part of a larger buffer arrives as just its bytes.
    const big = b('xxhelloxx');
    const kv = await remote.create('/view', big.subarray(2, 7));
    expect(s(kv.value)).toBe('hello');
    expect(big.byteLength).toBe(9);
    expect(s((await local.get('/view'))!.value)).toBe('hello');
  });

  it('rebuilds the store errors as KosErrors of the same kind and message', async () => {
    const { remote, local } = bridge();
    const a = await remote.create('/a', b('1'));
    const exists = await rejection(remote.create('/a', b('2')));
    expect(exists).toBeInstanceOf(KosError);
    expect(kindOf(exists)).toBe('AlreadyExists');
    const localExists = await rejection(local.create('/a', b('2')));
    expect((exists as KosError).message).toBe((localExists as KosError).message);
    expect((exists as KosError).status).toBe(409);
    expect(kindOf(await rejection(remote.update('/a', b('2'), a.modRevision + 1)))).toBe('Conflict');
    expect(kindOf(await rejection(remote.update('/missing', b('2'), 1)))).toBe('NotFound');
    expect(kindOf(await rejection(remote.delete('/missing')))).toBe('NotFound');
    expect(kindOf(await rejection(remote.range('/', { revision: 99 })))).toBe('BadRequest');
    expect(kindOf(await rejection(remote.create('/b', 'text' as unknown as Uint8Array)))).toBe('BadRequest');
  });

  it('carries error details, and turns other errors into Internal', async () => {
    const { remote } = bridge(new SystemClock(), failingStore());
    const invalid = await rejection(remote.get('/x'));
    expect(invalid).toBeInstanceOf(KosError);
    expect(invalid).toMatchObject({ kind: 'Invalid', message: 'key has no shape', details: { field: 'key', allowed: ['/a', '/b'] } });
    expect(await rejection(remote.range('/'))).toMatchObject({ kind: 'Internal', message: 'cannot read properties of undefined' });
    // Details that cannot be cloned are dropped, the error still arrives.
    const over = await rejection(remote.create('/x', b('1')));
    expect(over).toMatchObject({ kind: 'OverLimit', message: 'details cannot cross', details: undefined });
    const refused = remote.watch('/', { afterRevision: 0 });
    expect(kindOf(await rejection(refused[Symbol.asyncIterator]().next()))).toBe('Unavailable');
    expect(await remote.currentRevision()).toBe(7);
  });

  it('pages a range with limit and continue', async () => {
    const { remote } = bridge();
    await putMany(remote, '/p/', 25);
    const first = await remote.range('/p/', { limit: 10 });
    expect(first).toMatchObject({ count: 25, revision: 25 });
    expect(first.continue).toBeDefined();
    const keys = first.kvs.map((kv) => kv.key);
    let page = first;
    while (page.continue) {
      await remote.create(`/p/zz-${keys.length}`, b('after the first page'));
      page = await remote.range('/p/', { limit: 10, continue: page.continue });
      expect(page.revision).toBe(25);
      keys.push(...page.kvs.map((kv) => kv.key));
    }
    expect(keys).toEqual(Array.from({ length: 25 }, (_, i) => `/p/${String(i).padStart(5, '0')}`));
    expect(await remote.range('/p/', { countOnly: true })).toMatchObject({ kvs: [], count: 27 });
  });

  it('watches in revision order, writes of both threads alike, one batch per commit', async () => {
    const { remote, local } = bridge();
    await remote.create('/w/before', b('0'));
    const watch = remote.watch('/w/', { afterRevision: 0 });
    const it = watch[Symbol.asyncIterator]();
    expect(batchOf(await it.next()).map((e) => e.kv.key)).toEqual(['/w/before']);
    const waiting = it.next();
    const mine = await remote.create('/w/a', b('remote'));
    expect(batchOf(await waiting)).toEqual([{ type: 'put', kv: mine, revision: 2 }]);
    await local.create('/elsewhere', b('x'));
    const theirs = await local.update('/w/a', b('local'), mine.modRevision);
    // Writes asked for in one turn on the serving side commit, and arrive, as one batch.
    await Promise.all([local.create('/w/b', b('1')), local.create('/w/c', b('2'))]);
    await remote.delete('/w/b');
    const next = batchOf(await it.next());
    expect(next).toEqual([{ type: 'put', kv: theirs, prevKv: mine, revision: 4 }]);
    expect(batchOf(await it.next()).map((e) => [e.kv.key, e.revision])).toEqual([
      ['/w/b', 5],
      ['/w/c', 6],
    ]);
    const del = batchOf(await it.next());
    expect(del.map((e) => [e.type, e.kv.key, e.revision, s(e.kv.value), e.kv.version])).toEqual([['delete', '/w/b', 7, '1', 0]]);
    watch.close();
  });

  it('ends a watch from a compacted revision with Compacted, and one overtaken during replay too', async () => {
    const { remote } = bridge();
    await putMany(remote, '/c/', 1_200);
    await remote.compact(10);
    expect(await remote.compactedRevision()).toBe(10);
    const old = remote.watch('/c/', { afterRevision: 9 });
    const oldIt = old[Symbol.asyncIterator]();
    expect(kindOf(await rejection(oldIt.next()))).toBe('Compacted');
    expect(await oldIt.next()).toEqual({ done: true, value: undefined });
    // Replay is read page by page as the consumer asks, so a compaction can overtake it.
    const replaying = remote.watch('/c/', { afterRevision: 10 });
    const it = replaying[Symbol.asyncIterator]();
    expect(batchOf(await it.next())).toHaveLength(1_000);
    await remote.compact(1_100);
    expect(kindOf(await rejection(it.next()))).toBe('Compacted');
  });

  it('close of a watch finishes its iterator and the host stops serving it', async () => {
    const { remote, host, local } = bridge();
    const watch = remote.watch('/x/', { afterRevision: 0 });
    const it = watch[Symbol.asyncIterator]();
    const waiting = it.next();
    await remote.currentRevision(); // answered after the watch was opened
    expect(host.openWatches()).toBe(1);
    watch.close();
    expect(await waiting).toEqual({ done: true, value: undefined });
    await remote.currentRevision(); // answered after the unwatch
    expect(host.openWatches()).toBe(0);
    await local.create('/x/after', b('1'));
    expect(await it.next()).toEqual({ done: true, value: undefined });
    // Leaving a for-await loop closes the watch as well.
    const looped = remote.watch('/x/', { afterRevision: 0 });
    for await (const batch of looped) {
      expect(batch.map((e) => e.kv.key)).toEqual(['/x/after']);
      break;
    }
    await remote.currentRevision();
    expect(host.openWatches()).toBe(0);
  });

  it('cuts off a consumer more than maxBuffered events behind with WatchTooSlow, but not a long replay', async () => {
    const { remote, host } = bridge();
    await putMany(remote, '/h/', 300);
    // 300 events of history against maxBuffered 50: replay is paged, not buffered.
    const replay = remote.watch('/h/', { afterRevision: 0, maxBuffered: 50 });
    expect(await take(replay, 300)).toHaveLength(300);
    const slow = remote.watch('/s/', { afterRevision: await remote.currentRevision(), maxBuffered: 50 });
    const slowIt = slow[Symbol.asyncIterator]();
    const first = slowIt.next();
    await putMany(remote, '/s/', 80);
    expect(batchOf(await first)).toHaveLength(1);
    expect(kindOf(await rejection(slowIt.next()))).toBe('WatchTooSlow');
    expect(await slowIt.next()).toEqual({ done: true, value: undefined });
    // The live part of the replaying watch kept up and is still served.
    await remote.create('/h/live', b('1'));
    expect((await take(replay, 1)).map((e) => e.kv.key)).toEqual(['/h/live']);
    expect(host.openWatches()).toBe(1);
    replay.close();
  });

  it('grants, keeps alive and revokes leases; revoke deletes the attached key', async () => {
    const clock = new VirtualClock();
    const { remote } = bridge(clock);
    const lease = await remote.grantLease(10);
    expect(lease.ttlSeconds).toBe(10);
    const kv = await remote.create('/l/k', b('v'), { lease: lease.id });
    expect(kv.lease).toBe(lease.id);
    const watch = remote.watch('/l/', { afterRevision: kv.modRevision });
    await clock.advance(8_000);
    expect(await remote.keepAlive(lease.id)).toEqual({ id: lease.id, ttlSeconds: 10 });
    await clock.advance(8_000);
    expect(await remote.get('/l/k')).toBeDefined();
    await remote.revokeLease(lease.id);
    expect(await remote.get('/l/k')).toBeUndefined();
    expect((await take(watch, 1)).map((e) => [e.type, e.kv.key, e.prevKv?.lease])).toEqual([['delete', '/l/k', lease.id]]);
    expect(kindOf(await rejection(remote.keepAlive(lease.id)))).toBe('NotFound');
    expect(kindOf(await rejection(remote.revokeLease(lease.id)))).toBe('NotFound');
    watch.close();
  });

  it('close rejects calls in flight and ends its watches, and leaves the far store open', async () => {
    const { remote, host, local } = bridge();
    const watch = remote.watch('/', { afterRevision: 0 });
    const waiting = watch[Symbol.asyncIterator]().next();
    const inFlight = remote.create('/k', b('v'));
    await remote.close();
    expect(kindOf(await rejection(inFlight))).toBe('Unavailable');
    expect(await waiting).toEqual({ done: true, value: undefined });
    expect(kindOf(await rejection(remote.get('/k')))).toBe('Unavailable');
    expect(() => remote.watch('/', { afterRevision: 0 })).toThrow(KosError);
    // The host still got the unwatch, and its store goes on.
    await local.create('/after', b('1'));
    await until(() => host.openWatches() === 0);
    expect(await local.get('/after')).toBeDefined();
  });

  it('host close ends the watches it serves cleanly and answers nothing more', async () => {
    const { remote, host, local } = bridge();
    const watch = remote.watch('/', { afterRevision: 0 });
    const waiting = watch[Symbol.asyncIterator]().next();
    await remote.currentRevision();
    host.close();
    expect(await waiting).toEqual({ done: true, value: undefined });
    expect(host.openWatches()).toBe(0);
    const unanswered = remote.get('/');
    await local.create('/k', b('v'));
    await new Promise((r) => setTimeout(r, 20));
    await remote.close();
    expect(kindOf(await rejection(unanswered))).toBe('Unavailable');
  });

  it('sends one event to two watches as one value, so caches keyed by it parse it once', async () => {
    const { remote, local } = bridge();
    const narrow = remote.watch('/a/', { afterRevision: 0 });
    const wide = remote.watch('/', { afterRevision: 0 });
    const got = Promise.all([take(narrow, 1), take(wide, 1)]);
    // Both watches are waiting when the write lands: their answers leave in one turn.
    await new Promise((r) => setTimeout(r, 20));
    await local.create('/a/k', b('shared'));
    const [[n], [w]] = await got;
    expect(s(n!.kv.value)).toBe('shared');
    expect(w!.kv.value).toBe(n!.kv.value);
    narrow.close();
    wide.close();
  });

  it('leaves prevKv out of the events of a watch that does not read it, and keeps it for one that does', async () => {
    const { remote, local } = bridge();
    await local.create('/p/k', b('one'));
    const rev = await local.currentRevision();
    const lean = remote.watch('/p/', { afterRevision: rev, prevKv: false });
    const full = remote.watch('/p/', { afterRevision: rev });
    const got = Promise.all([take(lean, 1), take(full, 1)]);
    await new Promise((r) => setTimeout(r, 20));
    const cur = await local.get('/p/k');
    await local.update('/p/k', b('two'), cur!.modRevision);
    const [[l], [f]] = await got;
    expect(s(l!.kv.value)).toBe('two');
    expect(l!.prevKv).toBeUndefined();
    expect(s(f!.prevKv!.value)).toBe('one');
    lean.close();
    full.close();
  });

  it('shares its port: ignores messages that are not its own, and refuses an unknown op', async () => {
    const { remote, hostPort, remotePort } = bridge();
    const seenByRemote: unknown[] = [];
    const seenByHost: unknown[] = [];
    remotePort.on('message', (m: unknown) => seenByRemote.push(m));
    hostPort.on('message', (m: unknown) => seenByHost.push(m));
    hostPort.postMessage({ type: 'result', id: 1, ok: true, value: 'not for the store' });
    remotePort.postMessage({ type: 'call', id: 1, op: 'close', args: [] });
    remotePort.postMessage(null);
    const kv = await remote.create('/k', b('v'));
    expect(kv.modRevision).toBe(1);
    // A message in the store's format asking for what the host does not serve.
    remotePort.postMessage({ bridge: 'store', type: 'call', id: 999, op: 'close', args: [] });
    await remote.currentRevision();
    // Answers of one turn travel together, in a bundle.
    const answers = seenByRemote.flatMap((m) => ((m as { type?: string }).type === 'bundle' ? (m as { messages: unknown[] }).messages : [m]));
    const refusal = answers.find((m) => (m as { id?: number }).id === 999);
    expect(refusal).toMatchObject({ bridge: 'store', type: 'result', ok: false, error: { kind: 'BadRequest' } });
    expect(await remote.get('/k')).toMatchObject({ modRevision: 1 });
    expect(seenByHost.length).toBeGreaterThan(3);
  });
});

describe('remote store on a worker thread', () => {
  it('serves a RemoteStore on parentPort, with the port shared with other messages', async () => {
    const dir = tempDir();
    cleanups.push(dir.cleanup);
    const store = openSqliteStore({ path: dir.dbPath, clock: new SystemClock() });
    cleanups.push(() => store.close());
    const worker = new Worker(new URL('../../../scripts/ts-worker.mjs', import.meta.url), {
      workerData: { entry: new URL('./fixtures/remote-store-worker.ts', import.meta.url).href },
    });
    const host = serveStore(store, worker);
    cleanups.push(() => host.close());
    const exited = new Promise<number>((resolve) => worker.once('exit', resolve));
    cleanups.push(async () => {
      await worker.terminate();
    });
    const result = await new Promise<Extract<FixtureMessage, { step: 'done' }>>((resolve, reject) => {
      worker.on('error', reject);
      worker.on('message', (m: FixtureMessage | { bridge?: string }) => {
        if (!('fixture' in m)) return;
        if (m.step === 'written') {
          void store.create('/w/main', b('from main')).catch(reject);
        } else {
          resolve(m);
        }
      });
    });
    expect(result.created).toEqual({ modRevision: 1, version: 1 });
    expect(result.read).toBe('from worker');
    expect(result.conflict).toEqual({ instanceOfKosError: true, kind: 'Conflict' });
    expect(result.events).toEqual([
      ['put', '/w/a', 1, 'from worker'],
      ['put', '/w/main', 2, 'from main'],
    ]);
    // The worker closed its RemoteStore and ran out of work: it exits on its own.
    expect(await exited).toBe(0);
    expect(host.openWatches()).toBe(0);
    expect(await store.get('/w/a')).toMatchObject({ version: 1 });
  });
});
