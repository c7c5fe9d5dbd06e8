import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../../../src/core/clock.js';
import { defaultEventRate, EventThrottle } from '../../../../src/kubernetes/controllers/event-throttle.js';

describe('event throttle', () => {
  const rate = { burst: 3, perSecond: 2, queue: 4 };

  it('sends a burst at once, queues what follows in order, and drops beyond the queue', async () => {
    const clock = new VirtualClock();
    const t = new EventThrottle(clock, rate);
    const sent: number[] = [];
    const offered = Array.from({ length: 9 }, (_, i) => t.offer(() => sent.push(i)));
    expect(sent).toEqual([0, 1, 2]);
    expect(offered).toEqual([true, true, true, true, true, true, true, false, false]);
    expect(t.queued).toBe(4);
    expect(t.dropped).toBe(2);
    // Two a second after the burst, oldest first.
    await clock.advance(500);
    expect(sent).toEqual([0, 1, 2, 3]);
    await clock.advance(500);
    expect(sent).toEqual([0, 1, 2, 3, 4]);
    await clock.advance(1000);
    expect(sent).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(t.queued).toBe(0);
    expect(clock.pending()).toBe(0);
  });

  it('does not let a new event overtake queued ones, and refills up to the burst when idle', async () => {
    const clock = new VirtualClock();
    const t = new EventThrottle(clock, rate);
    const sent: string[] = [];
    for (const name of ['a', 'b', 'c', 'd']) t.offer(() => sent.push(name));
    await clock.advance(400);
    // A token has nearly refilled, but `d` still waits: `e` goes behind it.
    t.offer(() => sent.push('e'));
    expect(sent).toEqual(['a', 'b', 'c']);
    await clock.advance(600);
    expect(sent).toEqual(['a', 'b', 'c', 'd', 'e']);
    await clock.advance(60_000);
    for (const name of ['f', 'g', 'h', 'i']) t.offer(() => sent.push(name));
    expect(sent.slice(5)).toEqual(['f', 'g', 'h']);
  });

  it('leaves a few hundred events alone by default', () => {
    const t = new EventThrottle(new VirtualClock());
    let sent = 0;
    for (let i = 0; i < 300; i++) t.offer(() => sent++);
    expect(sent).toBe(300);
    expect(defaultEventRate.burst).toBeGreaterThanOrEqual(300);
  });
});
