import { describe, expect, it } from 'vitest';
import { KosError } from '../../../src/core/errors.js';
import type { WatchEvent } from '../../../src/core/store/types.js';
import { WatchHub, type HistorySource } from '../../../src/core/store/watch-hub.js';
import { b, batchOf } from './helpers.js';

const put = (revision: number, key = '/k'): WatchEvent => ({
  type: 'put',
  kv: { key, value: b(String(revision)), createRevision: 1, modRevision: revision, version: 1, lease: 0 },
  revision,
});

/** A history table in memory: the hub under test reads it like the SQLite store's. */
function memoryHistory(): HistorySource & { events: WatchEvent[] } {
  const events: WatchEvent[] = [];
  return {
    events,
    readHistory: (prefix, after, limit) =>
      events.filter((e) => e.revision > after && e.kv.key.startsWith(prefix)).slice(0, limit),
    compactedRevision: () => 0,
    currentRevision: () => events[events.length - 1]?.revision ?? 0,
  };
}

describe('watch hub', () => {
  it('drops a cut-off watcher at once and keeps nothing for it however much is written', async () => {
    const history = memoryHistory();
    const hub = new WatchHub(history);
    const watch = hub.open('/', { afterRevision: 0, maxBuffered: 100 });
    const it = watch[Symbol.asyncIterator]();
    // Going live takes one pull (replay finds the table empty).
    const first = it.next();
    history.events.push(put(1));
    hub.publish([put(1)]);
    expect(batchOf(await first)).toHaveLength(1);
    for (let r = 2; r <= 101; r++) hub.publish([put(r)]);
    expect(hub.size()).toBe(1);
    hub.publish([put(102)]);
    // 101 undelivered > 100: the stream left the hub, so it can hold nothing more.
    expect(hub.size()).toBe(0);
    for (let r = 103; r < 20_000; r++) hub.publish([put(r)]);
    const err = await it.next().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(KosError);
    expect((err as KosError).kind).toBe('WatchTooSlow');
  });

  it('ignores live events while replaying and never repeats one it replayed', async () => {
    const history = memoryHistory();
    const hub = new WatchHub(history);
    for (let r = 1; r <= 5; r++) history.events.push(put(r));
    const watch = hub.open('/', { afterRevision: 2 });
    const it = watch[Symbol.asyncIterator]();
    // A write lands (in the table and live) before the consumer first pulls.
    history.events.push(put(6));
    hub.publish([put(6)]);
    const replayed = await it.next();
    expect(batchOf(replayed).map((e) => e.revision)).toEqual([3, 4, 5, 6]);
    const live = it.next();
    history.events.push(put(7));
    hub.publish([put(7)]);
    expect(batchOf(await live).map((e) => e.revision)).toEqual([7]);
    watch.close();
    expect(hub.size()).toBe(0);
  });
});
