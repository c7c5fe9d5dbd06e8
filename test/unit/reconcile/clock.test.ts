import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../../src/core/clock.js';

describe('VirtualClock', () => {
  it('fires timers in due order, ties in creation order', async () => {
    const clock = new VirtualClock(0);
    const fired: string[] = [];
    clock.setTimer(30, () => fired.push('c@30'));
    clock.setTimer(10, () => fired.push('a@10'));
    clock.setTimer(20, () => fired.push('b1@20'));
    clock.setTimer(20, () => fired.push('b2@20'));
    await clock.advance(25);
    expect(fired).toEqual(['a@10', 'b1@20', 'b2@20']);
    expect(clock.now()).toBe(25);
    await clock.advance(5);
    expect(fired).toEqual(['a@10', 'b1@20', 'b2@20', 'c@30']);
  });

  it('never fires a cancelled timer', async () => {
    const clock = new VirtualClock(0);
    const fired: string[] = [];
    const t = clock.setTimer(10, () => fired.push('cancelled'));
    clock.setTimer(10, () => fired.push('kept'));
    t.cancel();
    await clock.advance(100);
    expect(fired).toEqual(['kept']);
    expect(clock.pending()).toBe(0);
  });

  it('fires a timer set by a firing timer in the same advance when it falls due, at its own time', async () => {
    const clock = new VirtualClock(0);
    const seen: number[] = [];
    clock.setTimer(10, () => {
      seen.push(clock.now());
      clock.setTimer(5, () => seen.push(clock.now()));
      clock.setTimer(50, () => seen.push(clock.now()));
    });
    await clock.advance(20);
    expect(seen).toEqual([10, 15]);
    expect(clock.pending()).toBe(1);
  });

  it('resolves sleep only once its time has come, and runs continuations before the next timer', async () => {
    const clock = new VirtualClock(0);
    const order: string[] = [];
    const slept = clock.sleep(10).then(() => order.push('sleep@10'));
    clock.setTimer(11, () => order.push('timer@11'));
    await clock.advance(9);
    expect(order).toEqual([]);
    await clock.advance(2);
    await slept;
    expect(order).toEqual(['sleep@10', 'timer@11']);
  });
});
