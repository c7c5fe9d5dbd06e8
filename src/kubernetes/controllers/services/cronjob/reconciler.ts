/**
 * The CronJob controller: on each sync, bring status.active and lastSuccessfulTime in
 * line with the jobs the CronJob owns, start the job of the most recent activation not
 * yet started (named `<cronjob>-<activation in minutes since the epoch>`, so a repeated
 * sync finds it instead of starting another), honour suspend, startingDeadlineSeconds and
 * concurrencyPolicy, prune finished jobs beyond the history limits, and ask to be woken
 * at the next activation on the injected clock. Without spec.timeZone schedules are read
 * in UTC (upstream uses the controller manager's local zone).
 */
import type { Informer, Reconciler, ReconcileResult } from '../../../../core/reconcile/index.js';
import type { EventRecorder } from '../../../controllers/events.js';
import { arrayAt, isObject, numberAt, objectAt, stringAt, type JsonObject, type KubeObject } from '../../../apiserver/object.js';
import type { Registry } from '../../../apiserver/registry.js';
import { cronjobs as cronjobsDef } from '../../../apiserver/resources/cronjobs.js';
import { jobs as jobsDef } from '../../../apiserver/resources/jobs.js';
import { parseTimestamp, rfc3339 } from '../../../apiserver/time.js';
import { hasReason } from '../errors.js';
import { byControllerUid, controllerOf, indexByControllerUid, keyOf, splitKey } from '../indexes.js';
import { parseCron } from './cron-expression.js';
import { mostRecentActivation } from './schedule-times.js';
import { formatInZone } from './zoned-time.js';

const component = { component: 'cronjob-controller' };
export const scheduledTimestampAnnotation = 'batch.kubernetes.io/cronjob-scheduled-timestamp';

/** The job a CronJob starts for an activation. */
export const jobNameFor = (cronJob: string, activation: number): string => `${cronJob}-${Math.floor(activation / 60_000)}`;

function jobCondition(job: KubeObject): 'Complete' | 'Failed' | undefined {
  for (const c of (arrayAt(objectAt(job, 'status') ?? {}, 'conditions') ?? []).filter(isObject)) {
    if (c.status === 'True' && (c.type === 'Complete' || c.type === 'Failed')) return c.type;
  }
  return undefined;
}

const jobRef = (job: KubeObject): JsonObject => ({
  kind: 'Job',
  namespace: job.metadata.namespace,
  name: job.metadata.name,
  uid: job.metadata.uid,
  apiVersion: 'batch/v1',
  resourceVersion: job.metadata.resourceVersion,
});

export class CronJobReconciler implements Reconciler {
  readonly name = 'cronjob-controller';

  constructor(
    private readonly registry: Registry,
    private readonly cronjobs: Informer<KubeObject>,
    private readonly jobs: Informer<KubeObject>,
    private readonly events: EventRecorder,
    private readonly now: () => number,
  ) {
    indexByControllerUid(jobs);
  }

  /** A job wakes the CronJob that controls it. */
  static jobKeys = (_key: string, job: KubeObject): string[] => {
    const ref = controllerOf(job);
    return ref && ref.kind === 'CronJob' ? [keyOf(job.metadata.namespace ?? '', ref.name)] : [];
  };

  async reconcile(key: string): Promise<ReconcileResult> {
    const { namespace, name } = splitKey(key);
    const cj = this.cronjobs.get(this.registry.keys.key(cronjobsDef, namespace, name));
    if (!cj) return {};
    const spec = objectAt(cj, 'spec') ?? {};
    const stored = objectAt(cj, 'status') ?? {};
    const status: JsonObject = structuredClone(stored);
    const owned = this.jobs.byIndex(byControllerUid, cj.metadata.uid ?? '');
    const wasActive = new Set((arrayAt(stored, 'active') ?? []).filter(isObject).map((r) => String(r.uid ?? '')));
    let active = owned.filter((j) => !jobCondition(j) && !j.metadata.deletionTimestamp);
    let lastSuccess = parseTimestamp(stringAt(status, 'lastSuccessfulTime'));
    for (const j of owned) {
      const done = jobCondition(j);
      if (!done) continue;
      if (wasActive.has(j.metadata.uid ?? '')) this.events.record(cj, 'Normal', 'SawCompletedJob', `Saw completed job: ${j.metadata.name ?? ''}, condition: ${done}`, component);
      const completedAt = parseTimestamp(stringAt(objectAt(j, 'status') ?? {}, 'completionTime'));
      if (done === 'Complete' && completedAt !== undefined && (lastSuccess === undefined || completedAt > lastSuccess)) lastSuccess = completedAt;
    }
    if (lastSuccess !== undefined) status.lastSuccessfulTime = rfc3339(lastSuccess);
    // Refs already listed stay as written (their resourceVersion is the job's at creation).
    const listed = new Map((arrayAt(stored, 'active') ?? []).filter(isObject).map((r) => [String(r.uid ?? ''), r]));
    const setActive = (): void => {
      if (active.length > 0) status.active = active.map((j) => listed.get(j.metadata.uid ?? '') ?? jobRef(j));
      else delete status.active;
    };
    setActive();

    if (cj.metadata.deletionTimestamp || spec.suspend === true) {
      await this.writeStatus(cj, stored, status);
      return {};
    }
    const zone = stringAt(spec, 'timeZone');
    let schedule;
    try {
      schedule = parseCron(String(spec.schedule ?? ''));
    } catch {
      this.events.record(cj, 'Warning', 'UnparseableSchedule', `unparseable schedule: ${String(spec.schedule)}`, component);
      await this.writeStatus(cj, stored, status);
      return {};
    }
    const now = this.now();
    const earliest = parseTimestamp(stringAt(status, 'lastScheduleTime')) ?? parseTimestamp(cj.metadata.creationTimestamp) ?? now;
    const sds = numberAt(spec, 'startingDeadlineSeconds');
    const decision = mostRecentActivation(schedule, { earliest, now, ...(sds !== undefined ? { startingDeadlineSeconds: sds } : {}), ...(zone ? { zone } : {}) });
    if (decision.tooManyMissed) {
      this.events.record(cj, 'Warning', 'TooManyMissedTimes', 'too many missed start times. Set or decrease .spec.startingDeadlineSeconds or check clock skew', component);
    }
    const wake: ReconcileResult = decision.next !== undefined ? { requeueAfterMs: Math.max(1, decision.next - now) } : {};
    const at = decision.scheduled;
    const policy = spec.concurrencyPolicy ?? 'Allow';
    if (at === undefined || (policy === 'Forbid' && active.length > 0)) {
      await this.writeStatus(cj, stored, status);
      await this.prune(cj, owned);
      return wake;
    }
    if (sds !== undefined && at + sds * 1000 < now) {
      this.events.record(cj, 'Warning', 'MissSchedule', `Missed scheduled time to start a job: ${formatInZone(at, zone)}`, component);
      await this.writeStatus(cj, stored, status);
      return wake;
    }
    if (policy === 'Replace') {
      for (const j of active) await this.deleteJob(cj, j, 'Background');
      active = [];
    }
    const job = await this.startJob(cj, at, zone);
    if (job && !active.some((j) => j.metadata.uid === job.metadata.uid)) active.push(job);
    setActive();
    status.lastScheduleTime = rfc3339(at);
    await this.writeStatus(cj, stored, status);
    await this.prune(cj, owned);
    return wake;
  }

  private async startJob(cj: KubeObject, at: number, zone: string | undefined): Promise<KubeObject | undefined> {
    const template = objectAt(objectAt(cj, 'spec') ?? {}, 'jobTemplate') ?? {};
    const tmeta = objectAt(template, 'metadata') ?? {};
    const name = jobNameFor(cj.metadata.name ?? '', at);
    const body = {
      metadata: {
        name,
        labels: { ...((objectAt(tmeta, 'labels') ?? {}) as Record<string, string>) },
        annotations: { ...((objectAt(tmeta, 'annotations') ?? {}) as Record<string, string>), [scheduledTimestampAnnotation]: formatInZone(at, zone) },
        ownerReferences: [{ apiVersion: 'batch/v1', kind: 'CronJob', name: cj.metadata.name ?? '', uid: cj.metadata.uid ?? '', controller: true, blockOwnerDeletion: true }],
      },
      spec: structuredClone(objectAt(template, 'spec') ?? {}),
    };
    try {
      const job = await this.registry.create(jobsDef, cj.metadata.namespace, body);
      this.events.record(cj, 'Normal', 'SuccessfulCreate', `Created job ${name}`, component);
      return job;
    } catch (e) {
      if (!hasReason(e, 'AlreadyExists')) throw e;
      // Started by an earlier sync whose status write was lost: adopt it if it is ours.
      const existing = await this.registry.get(jobsDef, cj.metadata.namespace, name);
      return controllerOf(existing)?.uid === cj.metadata.uid ? existing : undefined;
    }
  }

  /** Finished jobs beyond successfulJobsHistoryLimit / failedJobsHistoryLimit go, oldest first. */
  private async prune(cj: KubeObject, owned: KubeObject[]): Promise<void> {
    const spec = objectAt(cj, 'spec') ?? {};
    const startOf = (j: KubeObject): number => parseTimestamp(stringAt(objectAt(j, 'status') ?? {}, 'startTime')) ?? parseTimestamp(j.metadata.creationTimestamp) ?? 0;
    for (const [kind, limit] of [
      ['Complete', numberAt(spec, 'successfulJobsHistoryLimit') ?? 3],
      ['Failed', numberAt(spec, 'failedJobsHistoryLimit') ?? 1],
    ] as const) {
      const finished = owned.filter((j) => jobCondition(j) === kind && !j.metadata.deletionTimestamp).sort((a, b) => startOf(a) - startOf(b));
      for (const j of finished.slice(0, Math.max(0, finished.length - limit))) await this.deleteJob(cj, j, 'Background');
    }
  }

  private async deleteJob(cj: KubeObject, job: KubeObject, propagationPolicy: string): Promise<void> {
    try {
      await this.registry.delete(jobsDef, job.metadata.namespace, job.metadata.name ?? '', { propagationPolicy });
      this.events.record(cj, 'Normal', 'SuccessfulDelete', `Deleted job ${job.metadata.name ?? ''}`, component);
    } catch (e) {
      if (!hasReason(e, 'NotFound')) throw e;
    }
  }

  private async writeStatus(cj: KubeObject, stored: JsonObject, status: JsonObject): Promise<void> {
    if (JSON.stringify(stored) === JSON.stringify(status)) return;
    try {
      await this.registry.updateWith(cronjobsDef, cj.metadata.namespace, cj.metadata.name ?? '', (cur) => ({ ...cur, status }), { subresource: 'status' });
    } catch (e) {
      if (!hasReason(e, 'NotFound')) throw e;
    }
  }
}
