// The informer against the real embedded store: paging with real continue tokens, live
// events from the SQLite watch hub, and a relist when the hub cuts a slow watch off.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { VirtualClock } from '../../../src/core/clock.js';
import { Informer } from '../../../src/core/reconcile/informer.js';
import { openSqliteStore } from '../../../src/core/store/sqlite.js';
import type { Store } from '../../../src/core/store/types.js';
import { cacheState, decodeKv, encode, storeState, until } from './helpers.js';

interface Item {
  n: number;
}

let dir: string;
let store: Store;
let informer: Informer<Item> | undefined;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'kos-informer-'));
  store = openSqliteStore({ path: join(dir, 'kos.db'), clock: new VirtualClock(0) });
});

afterEach(async () => {
  await informer?.stop();
  informer = undefined;
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('Informer on the SQLite store', () => {
  it('syncs in pages, follows writes, and relists after a WatchTooSlow cut-off', async () => {
    for (let i = 0; i < 7; i++) await store.create(`/items/${i}`, encode({ n: i }));
    await store.create('/elsewhere/x', encode({ n: -1 }));
    const inf = new Informer<Item>({
      store,
      clock: new VirtualClock(0),
      prefix: '/items/',
      decode: decodeKv<Item>,
      pageSize: 3,
      maxBuffered: 2,
    });
    informer = inf;
    const deletes: string[] = [];
    inf.addHandler({ onDelete: (key) => deletes.push(key) });
    inf.start();
    await inf.waitForSync();
    expect(inf.size()).toBe(7);
    expect(cacheState(inf)).toEqual(await storeState(store, '/items/'));

    const one = await store.get('/items/1');
    if (!one) throw new Error('missing /items/1');
    await store.update('/items/1', encode({ n: 100 }), one.modRevision);
    await store.delete('/items/2');
    await until(() => inf.get('/items/2') === undefined && inf.get('/items/1')?.n === 100, 'live events');
    expect(inf.listCount()).toBe(1);

    // Five writes in one turn overflow a watch that may buffer two: the hub cuts it off.
    await Promise.all([...[3, 4, 5, 6].map((i) => store.delete(`/items/${i}`)), store.create('/items/7', encode({ n: 7 }))]);
    await until(() => inf.listCount() >= 2 && inf.size() === 3, 'the relist');
    expect(cacheState(inf)).toEqual(await storeState(store, '/items/'));
    expect(deletes.sort()).toEqual(['/items/2', '/items/3', '/items/4', '/items/5', '/items/6']);
  });
});
