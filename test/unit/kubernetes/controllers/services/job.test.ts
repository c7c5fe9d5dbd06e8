import { afterEach, describe, expect, it } from 'vitest';
import type { JsonObject, KubeObject } from '../../../../../src/kubernetes/apiserver/object.js';
import { events } from '../../../../../src/kubernetes/apiserver/resources/events.js';
import { jobs } from '../../../../../src/kubernetes/apiserver/resources/jobs.js';
import { pods } from '../../../../../src/kubernetes/apiserver/resources/pods.js';
import { formatIndexes, parseIndexes } from '../../../../../src/kubernetes/controllers/services/job/completed-indexes.js';
import { backoffDelay, decideJob, type JobSyncInput } from '../../../../../src/kubernetes/controllers/services/job/decide.js';
import { decideFailure } from '../../../../../src/kubernetes/controllers/services/job/failure-policy.js';
import { servicesWorld, type ServicesWorld } from './harness.js';

let w: ServicesWorld | undefined;
afterEach(async () => {
  await w?.close();
  w = undefined;
});

const jobObject = (spec: JsonObject, status: JsonObject = {}): KubeObject => ({ apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'j', namespace: 'ns', uid: 'ju' }, spec: { parallelism: 1, backoffLimit: 6, ...spec }, status });
const pod = (name: string, extra: Partial<KubeObject> = {}): KubeObject => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'ns', uid: `u-${name}` }, ...extra });
const input = (job: KubeObject, over: Partial<JobSyncInput> = {}): JobSyncInput => ({
  job,
  status: (job.status as JsonObject | undefined) ?? {},
  active: [],
  pending: [],
  terminating: 0,
  now: Date.UTC(2026, 0, 1),
  failuresSinceSuccess: 0,
  lastFailureAt: undefined,
  ...over,
});
const conditionTypes = (s: JsonObject): string[] => ((s.conditions as JsonObject[] | undefined) ?? []).map((c) => `${String(c.type)}=${String(c.status)}`);

describe('job decisions', () => {
  it('creates up to parallelism but no more than the completions left', () => {
    const d = decideJob(input(jobObject({ completions: 5, parallelism: 3 }, { succeeded: 3 }), { active: [pod('a')] }));
    expect(d.create).toEqual([undefined]);
    expect(d.status).toMatchObject({ active: 2, succeeded: 3, startTime: '2026-01-01T00:00:00Z' });
  });

  it('a work-queue job (no completions) stops creating after a success and lets running pods finish', () => {
    const job = jobObject({ parallelism: 3, completions: undefined }, { succeeded: 1 });
    const d = decideJob(input(job, { active: [pod('a'), pod('b')] }));
    expect(d.create).toEqual([]);
    expect(d.delete).toEqual([]);
    expect(conditionTypes(d.status)).toEqual([]);
    expect(conditionTypes(decideJob(input(job)).status)).toEqual(['SuccessCriteriaMet=True', 'Complete=True']);
  });

  it('reaches SuccessCriteriaMet, then Complete once no pod is left', () => {
    const job = jobObject({ completions: 2 }, { succeeded: 2 });
    const d = decideJob(input(job, { active: [pod('extra')] }));
    expect(conditionTypes(d.status)).toEqual(['SuccessCriteriaMet=True']);
    expect(d.delete.map((p) => p.metadata.name)).toEqual(['extra']);
    const done = decideJob(input(job, { status: d.status }));
    expect(conditionTypes(done.status)).toEqual(['SuccessCriteriaMet=True', 'Complete=True']);
    expect(done.status.completionTime).toBe('2026-01-01T00:00:00Z');
    expect(done.events).toEqual([{ type: 'Normal', reason: 'Completed', message: 'Job completed' }]);
  });

  it('fails past backoffLimit with FailureTarget then Failed, and on activeDeadlineSeconds', () => {
    const d = decideJob(input(jobObject({ completions: 1, backoffLimit: 1 }, { failed: 2 })));
    expect(conditionTypes(d.status)).toEqual(['FailureTarget=True', 'Failed=True']);
    expect((d.status.conditions as JsonObject[])[1]).toMatchObject({ reason: 'BackoffLimitExceeded', message: 'Job has reached the specified backoff limit' });
    expect(d.events).toEqual([{ type: 'Warning', reason: 'BackoffLimitExceeded', message: 'Job has reached the specified backoff limit' }]);
    const started = Date.UTC(2026, 0, 1);
    const late = decideJob(input(jobObject({ completions: 1, activeDeadlineSeconds: 10 }, { startTime: '2026-01-01T00:00:00Z' }), { now: started + 10_000, active: [pod('a')] }));
    expect(conditionTypes(late.status)).toEqual(['FailureTarget=True']);
    expect(late.delete).toHaveLength(1);
    const early = decideJob(input(jobObject({ completions: 1, activeDeadlineSeconds: 10 }, { startTime: '2026-01-01T00:00:00Z' }), { now: started + 4000, active: [pod('a')] }));
    expect(early.requeueAfterMs).toBe(6000);
  });

  it('waits out the exponential back-off after failures before creating again', () => {
    expect([1, 2, 3, 10].map(backoffDelay)).toEqual([10_000, 20_000, 40_000, 360_000]);
    const now = Date.UTC(2026, 0, 1);
    const d = decideJob(input(jobObject({ completions: 1 }, { failed: 2 }), { failuresSinceSuccess: 2, lastFailureAt: now - 5000, now }));
    expect(d.create).toEqual([]);
    expect(d.requeueAfterMs).toBe(15_000);
    expect(decideJob(input(jobObject({ completions: 1 }, { failed: 2 }), { failuresSinceSuccess: 2, lastFailureAt: now - 20_000, now })).create).toEqual([undefined]);
  });

  it('Indexed: one pod per index not completed, lowest first', () => {
    const withIndex = (name: string, i: number): KubeObject => pod(name, { metadata: { name, namespace: 'ns', uid: name, annotations: { 'batch.kubernetes.io/job-completion-index': String(i) } } });
    const job = jobObject({ completionMode: 'Indexed', completions: 5, parallelism: 3 }, { completedIndexes: '0,2', succeeded: 2 });
    const d = decideJob(input(job, { active: [withIndex('x', 1), withIndex('dup', 1)] }));
    expect(d.create).toEqual([3, 4]);
    expect(d.delete.map((p) => p.metadata.name)).toHaveLength(1);
    expect(parseIndexes('1,3-5,7', 6)).toEqual(new Set([1, 3, 4, 5]));
    expect(formatIndexes([7, 1, 3, 4, 5])).toBe('1,3-5,7');
  });

  it('suspends by deleting running pods, resumes with a fresh start time', () => {
    const job = jobObject({ completions: 1, suspend: true }, { startTime: '2025-12-31T00:00:00Z' });
    const d = decideJob(input(job, { active: [pod('a')] }));
    expect(d.delete).toHaveLength(1);
    expect(conditionTypes(d.status)).toEqual(['Suspended=True']);
    const resumed = decideJob(input(jobObject({ completions: 1, suspend: false }, d.status)));
    expect(conditionTypes(resumed.status)).toEqual(['Suspended=False']);
    expect(resumed.status.startTime).toBe('2026-01-01T00:00:00Z');
    expect(resumed.create).toEqual([undefined]);
  });

  it('podFailurePolicy: FailJob on an exit code, Ignore on a condition', () => {
    const job = jobObject({
      podFailurePolicy: {
        rules: [
          { action: 'FailJob', onExitCodes: { containerName: 'main', operator: 'In', values: [42] } },
          { action: 'Ignore', onPodConditions: [{ type: 'DisruptionTarget' }] },
        ],
      },
    });
    const exited = pod('p', { status: { phase: 'Failed', containerStatuses: [{ name: 'main', state: { terminated: { exitCode: 42 } } }] } });
    expect(decideFailure(job, exited)).toEqual({ action: 'FailJob', message: 'Container main for pod ns/p failed with exit code 42 matching FailJob rule at index 0' });
    const evicted = pod('q', { status: { phase: 'Failed', conditions: [{ type: 'DisruptionTarget', status: 'True' }] } });
    expect(decideFailure(job, evicted)).toEqual({ action: 'Ignore' });
    expect(decideFailure(job, pod('r', { status: { phase: 'Failed' } }))).toEqual({ action: 'Count' });
  });
});

describe('job controller', () => {
  const finish = async (cw: ServicesWorld, name: string, phase: 'Succeeded' | 'Failed'): Promise<void> => {
    await cw.setPodStatus('default', name, { phase });
  };
  const jobPods = async (cw: ServicesWorld, job: string): Promise<KubeObject[]> => {
    const all = await cw.store.range(cw.registry.keys.prefix(pods), {});
    return all.kvs.map((kv) => cw.registry.decode(kv)).filter((p) => p.metadata.labels?.['batch.kubernetes.io/job-name'] === job);
  };
  const template = { metadata: {}, spec: { restartPolicy: 'Never', containers: [{ name: 'main', image: 'busybox' }] } };

  it('runs a Job to Complete, counting each pod once through the tracking finalizer, then deletes it after its TTL', async () => {
    w = await servicesWorld();
    const cw = w;
    await cw.registry.create(jobs, 'default', { metadata: { name: 'pi' }, spec: { completions: 3, parallelism: 2, ttlSecondsAfterFinished: 60, template } });
    await cw.eventually(async () => (await jobPods(cw, 'pi')).length === 2);
    const first = await jobPods(cw, 'pi');
    expect(first[0]!.metadata.finalizers).toEqual(['batch.kubernetes.io/job-tracking']);
    expect(first[0]!.metadata.ownerReferences).toMatchObject([{ kind: 'Job', name: 'pi', controller: true }]);
    expect(first[0]!.metadata.labels).toMatchObject({ 'batch.kubernetes.io/job-name': 'pi', 'job-name': 'pi' });
    await finish(cw, first[0]!.metadata.name!, 'Succeeded');
    await cw.eventually(async () => (await jobPods(cw, 'pi')).length === 3);
    for (const p of await jobPods(cw, 'pi')) if ((p.status as JsonObject | undefined)?.phase !== 'Succeeded') await finish(cw, p.metadata.name!, 'Succeeded');
    await cw.eventually(async () => ((await cw.read(jobs, 'default', 'pi'))?.status as JsonObject).completionTime !== undefined);
    const done = (await cw.read(jobs, 'default', 'pi'))!;
    const status = done.status as JsonObject;
    expect(status).toMatchObject({ succeeded: 3, failed: 0, active: 0, ready: 0, uncountedTerminatedPods: {} });
    expect(conditionTypes(status)).toEqual(['SuccessCriteriaMet=True', 'Complete=True']);
    expect((await jobPods(cw, 'pi')).every((p) => p.metadata.finalizers === undefined)).toBe(true);
    const evts = await cw.store.range(cw.registry.keys.prefix(events), {});
    const reasons = evts.kvs.map((kv) => cw.registry.decode(kv)).map((e) => `${String(e.reason)}: ${String(e.message)}`);
    expect(reasons.filter((r) => r.startsWith('SuccessfulCreate'))).toHaveLength(3);
    expect(reasons).toContain('Completed: Job completed');
    await cw.clock.advance(61_000);
    await cw.eventually(async () => (await cw.read(jobs, 'default', 'pi')) === undefined);
  });

  it('retries failed pods with back-off and fails the Job past backoffLimit', async () => {
    w = await servicesWorld();
    const cw = w;
    await cw.registry.create(jobs, 'default', { metadata: { name: 'flaky' }, spec: { completions: 1, backoffLimit: 1, template } });
    await cw.eventually(async () => (await jobPods(cw, 'flaky')).length === 1);
    await finish(cw, (await jobPods(cw, 'flaky'))[0]!.metadata.name!, 'Failed');
    await cw.eventually(async () => ((await cw.read(jobs, 'default', 'flaky'))?.status as JsonObject).failed === 1);
    // The replacement waits the first back-off (10 s).
    await cw.clock.advance(5000);
    expect(await jobPods(cw, 'flaky')).toHaveLength(1);
    await cw.eventually(async () => (await jobPods(cw, 'flaky')).length === 2, 1000);
    const second = (await jobPods(cw, 'flaky')).find((p) => (p.status as JsonObject | undefined)?.phase !== 'Failed')!;
    await finish(cw, second.metadata.name!, 'Failed');
    await cw.eventually(async () => conditionTypes((await cw.read(jobs, 'default', 'flaky'))!.status as JsonObject).includes('Failed=True'));
    const status = (await cw.read(jobs, 'default', 'flaky'))!.status as JsonObject;
    expect(status).toMatchObject({ failed: 2, succeeded: 0, active: 0 });
    expect((status.conditions as JsonObject[]).find((c) => c.type === 'Failed')).toMatchObject({ reason: 'BackoffLimitExceeded' });
  });

  it('Indexed Jobs label, annotate and name pods by index and record completedIndexes', async () => {
    w = await servicesWorld();
    const cw = w;
    await cw.registry.create(jobs, 'default', { metadata: { name: 'idx' }, spec: { completions: 3, parallelism: 3, completionMode: 'Indexed', template } });
    await cw.eventually(async () => (await jobPods(cw, 'idx')).length === 3);
    const byIndex = new Map((await jobPods(cw, 'idx')).map((p) => [p.metadata.annotations?.['batch.kubernetes.io/job-completion-index'], p]));
    const p1 = byIndex.get('1')!;
    expect(p1.metadata.name).toMatch(/^idx-1-[a-z0-9]{5}$/);
    expect(p1.metadata.labels?.['batch.kubernetes.io/job-completion-index']).toBe('1');
    expect((p1.spec as JsonObject).hostname).toBe('idx-1');
    expect(((p1.spec as { containers: JsonObject[] }).containers[0]!.env as JsonObject[])).toEqual([
      { name: 'JOB_COMPLETION_INDEX', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: "metadata.annotations['batch.kubernetes.io/job-completion-index']" } } },
    ]);
    await finish(cw, p1.metadata.name!, 'Succeeded');
    await cw.eventually(async () => ((await cw.read(jobs, 'default', 'idx'))?.status as JsonObject).completedIndexes === '1');
    for (const i of ['0', '2']) await finish(cw, byIndex.get(i)!.metadata.name!, 'Succeeded');
    await cw.eventually(async () => conditionTypes((await cw.read(jobs, 'default', 'idx'))!.status as JsonObject).includes('Complete=True'));
    expect((await cw.read(jobs, 'default', 'idx'))!.status).toMatchObject({ completedIndexes: '0-2', succeeded: 3 });
  });
});
