import { describe, expect, it } from 'vitest';
import { combinedPrefix, EventCorrelator, spamBurst, spamRefillMs, similarWindowMs } from '../../../../src/kubernetes/controllers/event-correlator.js';

describe('event correlator', () => {
  it('passes the first nine distinct messages, then combines similar ones under one key', () => {
    const c = new EventCorrelator();
    const out = Array.from({ length: 12 }, (_, i) => c.correlate('rs/SuccessfulCreate', 'rs', `Created pod: p${i}`, 0));
    expect(out.slice(0, 9)).toEqual(Array.from({ length: 9 }, (_, i) => ({ message: `Created pod: p${i}` })));
    expect(out[9]).toEqual({ message: `${combinedPrefix}Created pod: p9`, aggregateKey: 'rs/SuccessfulCreate' });
    expect(out[11]).toEqual({ message: `${combinedPrefix}Created pod: p11`, aggregateKey: 'rs/SuccessfulCreate' });
    // Another reason about the same object is its own kind of event.
    expect(c.correlate('rs/Other', 'rs', 'x', 0)).toEqual({ message: 'x' });
  });

  it('does not combine repeats of one message, and forgets after the window', () => {
    const c = new EventCorrelator();
    for (let i = 0; i < 20; i++) expect(c.correlate('pod/BackOff', 'pod', 'same', i * 1000)).toEqual({ message: 'same' });
    const late = new EventCorrelator();
    for (let i = 0; i < 9; i++) late.correlate('k', 's', `m${i}`, 0);
    expect(late.correlate('k', 's', 'm9', similarWindowMs + 1)).toEqual({ message: 'm9' });
  });

  it('drops events about one object beyond the burst, then lets one through per refill period', () => {
    const c = new EventCorrelator();
    const passed = Array.from({ length: spamBurst + 5 }, (_, i) => c.correlate(`obj/R${i}`, 'obj', 'm', 0)).filter((e) => e !== undefined);
    expect(passed).toHaveLength(spamBurst);
    expect(c.correlate('obj/late', 'obj', 'm', spamRefillMs / 2)).toBeUndefined();
    expect(c.correlate('obj/later', 'obj', 'm', spamRefillMs)).toEqual({ message: 'm' });
    // Other objects have their own budget.
    expect(c.correlate('other/R', 'other', 'm', 0)).toEqual({ message: 'm' });
  });
});
