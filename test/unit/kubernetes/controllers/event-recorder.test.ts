import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../../../src/core/log.js';
import { events } from '../../../../src/kubernetes/apiserver/resources/events.js';
import { EventRecorder } from '../../../../src/kubernetes/controllers/events.js';
import { defaultEventRate } from '../../../../src/kubernetes/controllers/event-throttle.js';
import { world, type World } from '../apiserver/world.js';

let w: World;
beforeEach(async () => {
  w = await world();
});
afterEach(async () => {
  await w.close();
});

const pod = (i: number) => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: `p${i}`, namespace: 'default', uid: `uid-${i}` } });
const source = { component: 'default-scheduler' };

/** The stored events once the writes asked for so far have landed (the count holds still). */
async function stored(): Promise<Record<string, unknown>[]> {
  await w.clock.advance(0);
  const read = async () => (await w.store.range(w.registry.keys.prefix(events, 'default'))).kvs;
  let kvs = await read();
  for (let still = 0; still < 3; ) {
    for (let i = 0; i < 20; i++) await new Promise((r) => setImmediate(r));
    const next = await read();
    still = next.length === kvs.length ? still + 1 : 0;
    kvs = next;
  }
  return kvs.map((kv) => JSON.parse(new TextDecoder().decode(kv.value)) as Record<string, unknown>);
}

describe('event recorder under a flood', () => {
  it('writes a burst at once, the rest at the rate, and sheds what the queue cannot hold', async () => {
    const rec = new EventRecorder(w.registry, w.clock, silentLogger());
    const total = defaultEventRate.burst + defaultEventRate.queue + 50;
    for (let i = 0; i < total; i++) rec.record(pod(i), 'Normal', 'Scheduled', `Successfully assigned default/p${i} to node-1`, source);
    expect(await stored()).toHaveLength(defaultEventRate.burst);
    await w.clock.advance(1000);
    const later = await stored();
    expect(later).toHaveLength(defaultEventRate.burst + defaultEventRate.perSecond);
    // A held-back event carries the time it happened, not the time it was written.
    expect(later.every((e) => e.firstTimestamp === '2026-01-01T00:00:00Z')).toBe(true);
    await w.clock.advance((defaultEventRate.queue / defaultEventRate.perSecond) * 1000);
    expect(await stored()).toHaveLength(defaultEventRate.burst + defaultEventRate.queue);
  });

  it('spends none of the rate on events the correlator drops', async () => {
    const rec = new EventRecorder(w.registry, w.clock, silentLogger());
    // One object's events beyond the correlator's own burst are dropped before the rate.
    for (let i = 0; i < 2000; i++) rec.record(pod(0), 'Warning', `Reason${i}`, 'm', source);
    for (let i = 1; i <= 10; i++) rec.record(pod(i), 'Normal', 'Scheduled', 'm', source);
    const names = (await stored()).map((e) => (e.involvedObject as { name: string }).name);
    expect(names.filter((n) => n !== 'p0')).toHaveLength(10);
  });
});
