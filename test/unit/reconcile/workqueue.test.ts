import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../../src/core/clock.js';
import { ExponentialBackoff, TokenBucket } from '../../../src/core/reconcile/rate-limiter.js';
import { WorkQueue } from '../../../src/core/reconcile/workqueue.js';
import { turns } from './helpers.js';

/** A bucket so large it never limits: isolates per-key back-off. */
const noBucket = { qps: 1e6, burst: 1e6 };

/** Advance one ms at a time until the key is ready; returns the ms that took. */
async function msUntilReady(clock: VirtualClock, q: WorkQueue, limit = 100_000): Promise<number> {
  const start = clock.now();
  while (q.depth() === 0) {
    if (clock.now() - start > limit) throw new Error('key never became ready');
    await clock.advance(1);
  }
  return clock.now() - start;
}

describe('WorkQueue', () => {
  it('dedups keys that are waiting', async () => {
    const q = new WorkQueue({ clock: new VirtualClock(0) });
    q.add('a');
    q.add('b');
    q.add('a');
    expect(q.depth()).toBe(2);
    expect(await q.get()).toBe('a');
    expect(await q.get()).toBe('b');
    expect(q.depth()).toBe(0);
  });

  it('never hands a key being processed to a second worker; re-adds run after done', async () => {
    const q = new WorkQueue({ clock: new VirtualClock(0) });
    q.add('a');
    expect(await q.get()).toBe('a');
    q.add('a');
    q.add('a');
    expect(q.depth()).toBe(0);
    let second: string | undefined;
    const waiting = q.get().then((k) => (second = k));
    await turns();
    expect(second).toBeUndefined();
    q.done('a');
    await waiting;
    expect(second).toBe('a');
    q.done('a');
    // Re-added twice while processing, processed once more: nothing left.
    expect(q.depth()).toBe(0);
    expect(q.inFlight()).toBe(0);
  });

  it('hands keys to waiting workers in order', async () => {
    const q = new WorkQueue({ clock: new VirtualClock(0) });
    const got: (string | undefined)[] = [];
    const w1 = q.get().then((k) => got.push(k));
    const w2 = q.get().then((k) => got.push(k));
    q.add('x');
    q.add('y');
    await Promise.all([w1, w2]);
    expect(got).toEqual(['x', 'y']);
  });

  it('backs off a failing key exponentially up to the cap, and forget() starts over', async () => {
    const clock = new VirtualClock(0);
    const q = new WorkQueue({ clock, backoff: { baseMs: 10, maxMs: 80 }, bucket: noBucket });
    const waits: number[] = [];
    for (let i = 0; i < 6; i++) {
      q.addRateLimited('k');
      waits.push(await msUntilReady(clock, q));
      expect(await q.get()).toBe('k');
      q.done('k');
    }
    expect(waits).toEqual([10, 20, 40, 80, 80, 80]);
    expect(q.retries('k')).toBe(6);
    q.forget('k');
    expect(q.retries('k')).toBe(0);
    q.addRateLimited('k');
    expect(await msUntilReady(clock, q)).toBe(10);
  });

  it('keeps back-off per key', () => {
    const b = new ExponentialBackoff({ baseMs: 5, maxMs: 1000 });
    expect([b.next('a'), b.next('a'), b.next('a')]).toEqual([5, 10, 20]);
    expect(b.next('b')).toBe(5);
    expect(b.next('a')).toBe(40);
  });

  it('limits retries across all keys with the token bucket', async () => {
    const clock = new VirtualClock(0);
    const q = new WorkQueue({ clock, backoff: { baseMs: 1, maxMs: 1 }, bucket: { qps: 10, burst: 2 } });
    for (const k of ['k1', 'k2', 'k3', 'k4']) q.addRateLimited(k);
    await clock.advance(1);
    expect(q.depth()).toBe(2); // the burst
    await clock.advance(98);
    expect(q.depth()).toBe(2);
    await clock.advance(1);
    expect(q.depth()).toBe(3); // one token per 100 ms after that
    await clock.advance(100);
    expect(q.depth()).toBe(4);
  });

  it('refills the bucket over time, never above the burst', async () => {
    const clock = new VirtualClock(0);
    const bucket = new TokenBucket(clock, { qps: 10, burst: 2 });
    expect([bucket.reserve(), bucket.reserve(), bucket.reserve()]).toEqual([0, 0, 100]);
    await clock.advance(10_000);
    expect([bucket.reserve(), bucket.reserve(), bucket.reserve()]).toEqual([0, 0, 100]);
  });

  it('adds after a delay; an earlier request wins over a later one', async () => {
    const clock = new VirtualClock(0);
    const q = new WorkQueue({ clock });
    q.addAfter('a', 100);
    q.addAfter('a', 50);
    q.addAfter('a', 70);
    expect(q.delayedCount()).toBe(1);
    await clock.advance(49);
    expect(q.depth()).toBe(0);
    await clock.advance(1);
    expect(q.depth()).toBe(1);
    expect(await q.get()).toBe('a');
    q.done('a');
    await clock.advance(1000);
    // The 100 ms and 70 ms requests were folded into the 50 ms one.
    expect(q.depth()).toBe(0);
    expect(clock.pending()).toBe(0);
  });

  it('treats a non-positive delay as an immediate add', () => {
    const q = new WorkQueue({ clock: new VirtualClock(0) });
    q.addAfter('a', 0);
    expect(q.depth()).toBe(1);
  });

  it('shuts down: waiting workers get undefined, adds and timers are dropped, idle() waits for in-flight keys', async () => {
    const clock = new VirtualClock(0);
    const q = new WorkQueue({ clock });
    q.add('busy');
    expect(await q.get()).toBe('busy');
    const waiter = q.get();
    q.addAfter('later', 10);
    q.add('queued'); // handed straight to the waiting worker
    const blocked = q.get();
    q.shutdown();
    expect(await waiter).toBe('queued');
    expect(await blocked).toBeUndefined();
    expect(await q.get()).toBeUndefined();
    q.add('x');
    expect(q.depth()).toBe(0);
    expect(clock.pending()).toBe(0);
    let idle = false;
    const idled = q.idle().then(() => (idle = true));
    q.done('busy');
    await turns();
    expect(idle).toBe(false);
    q.done('queued');
    await idled;
    expect(idle).toBe(true);
  });
});
