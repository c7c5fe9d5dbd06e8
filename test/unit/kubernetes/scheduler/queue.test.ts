import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../../../src/core/clock.js';
import { maxUnschedulableMs, SchedulingQueue } from '../../../../src/kubernetes/scheduler/queue.js';
import { info, pod } from './fixtures.js';

const popAll = (q: SchedulingQueue): string[] => {
  const out: string[] = [];
  for (let p = q.pop(); p; p = q.pop()) out.push(p.name);
  return out;
};

describe('SchedulingQueue', () => {
  it('hands out higher priority first, then older pods', () => {
    const q = new SchedulingQueue(new VirtualClock(), () => undefined);
    q.addOrUpdate(info(pod('old-low')));
    q.addOrUpdate(info(pod('new-low')));
    q.addOrUpdate(info(pod('high', { priority: 100 })));
    expect(popAll(q)).toEqual(['high', 'old-low', 'new-low']);
  });

  it('wakes the loop when pods become active', () => {
    let wakes = 0;
    const q = new SchedulingQueue(new VirtualClock(), () => wakes++);
    q.addOrUpdate(info(pod('a')));
    expect(wakes).toBe(1);
  });

  it('parks unschedulable pods until a cluster event, then honours their back-off', async () => {
    const clock = new VirtualClock();
    const q = new SchedulingQueue(clock, () => undefined);
    q.start();
    q.addOrUpdate(info(pod('p')));
    q.pop();
    q.unschedulableNow('default/p');
    expect(q.unschedulableCount()).toBe(1);
    // A status-only update (our own condition write) leaves it parked.
    q.addOrUpdate(info(pod('p')), false);
    expect(q.unschedulableCount()).toBe(1);
    // A node joins within the first back-off second: it waits out the second, then is active.
    q.moveAllToActiveOrBackoff();
    expect(q.activeCount()).toBe(0);
    expect(q.backoffCount()).toBe(1);
    await clock.advance(1000);
    expect(popAll(q)).toEqual(['p']);
    q.close();
  });

  it('retries a parked pod after five minutes even if nothing happens', async () => {
    const clock = new VirtualClock();
    const q = new SchedulingQueue(clock, () => undefined);
    q.start();
    q.addOrUpdate(info(pod('p')));
    q.pop();
    q.unschedulableNow('default/p');
    await clock.advance(maxUnschedulableMs - 30_000);
    expect(q.activeCount()).toBe(0);
    await clock.advance(30_000);
    expect(popAll(q)).toEqual(['p']);
    q.close();
  });

  it('doubles the back-off of a pod that keeps failing, up to 10 s', async () => {
    const clock = new VirtualClock();
    const q = new SchedulingQueue(clock, () => undefined);
    q.start();
    q.addOrUpdate(info(pod('p')));
    for (const wait of [1000, 2000, 4000, 8000, 10_000]) {
      expect(q.pop()?.name).toBe('p');
      q.retryLater('default/p');
      await clock.advance(wait - 1);
      expect(q.activeCount()).toBe(0);
      await clock.advance(1);
      expect(q.activeCount()).toBe(1);
    }
    q.close();
  });

  it('drops deleted pods wherever they wait', () => {
    const q = new SchedulingQueue(new VirtualClock(), () => undefined);
    q.addOrUpdate(info(pod('a')));
    q.addOrUpdate(info(pod('b')));
    q.remove('default/a');
    expect(popAll(q)).toEqual(['b']);
  });
});

describe('SchedulingQueue and pod arrivals', () => {
  it('retries pods parked on affinity or spreading when a pod is bound, and leaves the others parked', async () => {
    const clock = new VirtualClock();
    const q = new SchedulingQueue(clock, () => undefined);
    q.start();
    q.addOrUpdate(info(pod('affine')));
    q.addOrUpdate(info(pod('huge')));
    q.pop();
    q.pop();
    q.unschedulableNow('default/affine', true);
    q.unschedulableNow('default/huge', false);
    await clock.advance(1000);
    q.movePodsWaitingForPods();
    expect(popAll(q)).toEqual(['affine']);
    expect(q.unschedulableCount()).toBe(1);
    q.close();
  });
});
