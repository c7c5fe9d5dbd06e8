import { afterEach, describe, expect, it } from 'vitest';
import type { JsonObject, KubeObject } from '../../../../../src/kubernetes/apiserver/object.js';
import { cronjobs } from '../../../../../src/kubernetes/apiserver/resources/cronjobs.js';
import { jobs } from '../../../../../src/kubernetes/apiserver/resources/jobs.js';
import { parseCron } from '../../../../../src/kubernetes/controllers/services/cronjob/cron-expression.js';
import { mostRecentActivation, nextActivation } from '../../../../../src/kubernetes/controllers/services/cronjob/schedule-times.js';
import { formatInZone } from '../../../../../src/kubernetes/controllers/services/cronjob/zoned-time.js';
import { servicesWorld, type ServicesWorld } from './harness.js';

let w: ServicesWorld | undefined;
afterEach(async () => {
  await w?.close();
  w = undefined;
});

const at = (iso: string): number => Date.parse(iso);
const iso = (ms: number | undefined): string | undefined => (ms === undefined ? undefined : new Date(ms).toISOString());

describe('cron schedules', () => {
  it('computes next activations for fields, steps, names, descriptors and @every', () => {
    const from = at('2026-01-01T10:07:30Z'); // a Thursday
    expect(iso(nextActivation(parseCron('*/15 * * * *'), from, undefined))).toBe('2026-01-01T10:15:00.000Z');
    expect(iso(nextActivation(parseCron('5/20 * * * *'), from, undefined))).toBe('2026-01-01T10:25:00.000Z');
    expect(iso(nextActivation(parseCron('0 9 * * mon-fri'), from, undefined))).toBe('2026-01-02T09:00:00.000Z');
    expect(iso(nextActivation(parseCron('@monthly'), from, undefined))).toBe('2026-02-01T00:00:00.000Z');
    expect(iso(nextActivation(parseCron('0 0 29 2 *'), from, undefined))).toBe('2028-02-29T00:00:00.000Z');
    expect(iso(nextActivation(parseCron('@every 1h30m'), from, undefined))).toBe('2026-01-01T11:37:30.000Z');
    // Both day fields restricted: either matches (the 13th, or any Friday).
    expect(iso(nextActivation(parseCron('0 0 13 * fri'), from, undefined))).toBe('2026-01-02T00:00:00.000Z');
    // A star in day-of-week: only the 13th.
    expect(iso(nextActivation(parseCron('0 0 13 * *'), from, undefined))).toBe('2026-01-13T00:00:00.000Z');
  });

  it('reads schedules in spec.timeZone', () => {
    const from = at('2026-01-01T00:00:00Z');
    expect(iso(nextActivation(parseCron('0 9 * * *'), from, 'America/New_York'))).toBe('2026-01-01T14:00:00.000Z');
    expect(iso(nextActivation(parseCron('0 9 * * *'), at('2026-07-01T00:00:00Z'), 'America/New_York'))).toBe('2026-07-01T13:00:00.000Z');
    expect(formatInZone(at('2026-01-01T14:00:00Z'), 'America/New_York')).toBe('2026-01-01T09:00:00-05:00');
    expect(formatInZone(at('2026-01-01T14:00:00Z'), undefined)).toBe('2026-01-01T14:00:00Z');
  });

  it('finds the most recent missed activation and honours startingDeadlineSeconds', () => {
    const e = parseCron('*/5 * * * *');
    const now = at('2026-01-01T10:12:00Z');
    expect(mostRecentActivation(e, { earliest: at('2026-01-01T10:00:00Z'), now })).toEqual({ scheduled: at('2026-01-01T10:10:00Z'), next: at('2026-01-01T10:15:00Z'), tooManyMissed: false });
    expect(mostRecentActivation(e, { earliest: at('2026-01-01T10:10:00Z'), now }).scheduled).toBeUndefined();
    expect(mostRecentActivation(e, { earliest: at('2026-01-01T10:00:00Z'), now, startingDeadlineSeconds: 60 }).scheduled).toBeUndefined();
    const behind = mostRecentActivation(parseCron('* * * * *'), { earliest: at('2025-12-31T00:00:00Z'), now });
    expect(behind.tooManyMissed).toBe(true);
    expect(behind.scheduled).toBe(at('2026-01-01T10:12:00Z'));
  });
});

describe('cronjob controller', () => {
  const jobTemplate = { spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox' }] } } } };
  const ownedJobs = async (cw: ServicesWorld): Promise<KubeObject[]> => {
    const all = await cw.store.range(cw.registry.keys.prefix(jobs), {});
    return all.kvs.map((kv) => cw.registry.decode(kv)).sort((a, b) => String(a.metadata.name).localeCompare(String(b.metadata.name)));
  };
  const complete = async (cw: ServicesWorld, name: string): Promise<void> => {
    const t = new Date(cw.clock.now()).toISOString().replace(/\.\d+Z$/, 'Z');
    await cw.registry.updateWith(jobs, 'default', name, (cur) => ({ ...cur, status: { startTime: t, completionTime: t, succeeded: 1, conditions: [{ type: 'Complete', status: 'True' }] } }), { subresource: 'status' });
  };

  it('fires on the clock with deterministic job names, tracks active and lastSuccessfulTime, prunes history', async () => {
    w = await servicesWorld();
    const cw = w;
    await cw.registry.create(cronjobs, 'default', { metadata: { name: 'tick' }, spec: { schedule: '*/1 * * * *', successfulJobsHistoryLimit: 2, jobTemplate } });
    await cw.clock.advance(30_000);
    expect(await ownedJobs(cw)).toHaveLength(0);
    await cw.clock.advance(30_000);
    const firstName = `tick-${Math.floor(at('2026-01-01T00:01:00Z') / 60_000)}`;
    await cw.eventually(async () => (await ownedJobs(cw)).length === 1);
    const first = (await ownedJobs(cw))[0]!;
    expect(first.metadata.name).toBe(firstName);
    expect(first.metadata.annotations?.['batch.kubernetes.io/cronjob-scheduled-timestamp']).toBe('2026-01-01T00:01:00Z');
    expect(first.metadata.ownerReferences).toMatchObject([{ kind: 'CronJob', name: 'tick', controller: true }]);
    await cw.eventually(async () => {
      const s = (await cw.read(cronjobs, 'default', 'tick'))!.status as JsonObject;
      return s.lastScheduleTime === '2026-01-01T00:01:00Z' && (s.active as JsonObject[] | undefined)?.[0]?.name === firstName;
    });
    await complete(cw, firstName);
    await cw.eventually(async () => ((await cw.read(cronjobs, 'default', 'tick'))!.status as JsonObject).active === undefined);
    expect(((await cw.read(cronjobs, 'default', 'tick'))!.status as JsonObject).lastSuccessfulTime).toBe('2026-01-01T00:01:00Z');
    // Three more activations, each completed: only the two newest finished jobs stay.
    for (let i = 2; i <= 4; i++) {
      await cw.clock.advance(60_000);
      const name = `tick-${Math.floor(at('2026-01-01T00:00:00Z') / 60_000) + i}`;
      await cw.eventually(async () => (await ownedJobs(cw)).some((j) => j.metadata.name === name));
      await complete(cw, name);
    }
    await cw.eventually(async () => (await ownedJobs(cw)).length === 2);
    expect((await ownedJobs(cw)).map((j) => j.metadata.name)).toEqual([3, 4].map((i) => `tick-${Math.floor(at('2026-01-01T00:00:00Z') / 60_000) + i}`));
  });

  it('Forbid skips an activation while a job runs; Replace deletes the running one; suspend stops it', async () => {
    w = await servicesWorld();
    const cw = w;
    await cw.registry.create(cronjobs, 'default', { metadata: { name: 'forbid' }, spec: { schedule: '* * * * *', concurrencyPolicy: 'Forbid', jobTemplate } });
    await cw.registry.create(cronjobs, 'default', { metadata: { name: 'replace' }, spec: { schedule: '* * * * *', concurrencyPolicy: 'Replace', jobTemplate } });
    await cw.registry.create(cronjobs, 'default', { metadata: { name: 'paused' }, spec: { schedule: '* * * * *', suspend: true, jobTemplate } });
    await cw.clock.advance(60_000);
    await cw.eventually(async () => (await ownedJobs(cw)).length === 2);
    await cw.clock.advance(60_000);
    await cw.eventually(async () => (await ownedJobs(cw)).some((j) => j.metadata.name === `replace-${Math.floor(cw.clock.now() / 60_000)}`));
    await cw.eventually(async () => (await ownedJobs(cw)).filter((j) => j.metadata.name?.startsWith('replace-')).length === 1);
    const names = (await ownedJobs(cw)).map((j) => j.metadata.name);
    const minute = Math.floor(cw.clock.now() / 60_000);
    expect(names).toEqual([`forbid-${minute - 1}`, `replace-${minute}`]);
  });
});
