/**
 * The Job controller. Each sync: count the pods that finished, exactly once, with
 * upstream's protocol — every pod it creates carries the `batch.kubernetes.io/job-tracking`
 * finalizer; a finished pod's uid goes into status.uncountedTerminatedPods (written
 * first), then its finalizer is removed, then the uid moves into succeeded/failed (or
 * completedIndexes). A crash between steps repeats a step, never a count. Then decide
 * (decide.ts), create and delete pods, write the status when it changed, delete the job
 * when ttlSecondsAfterFinished has passed.
 */
import type { Informer, Reconciler, ReconcileResult } from '../../../../core/reconcile/index.js';
import type { EventRecorder } from '../../../controllers/events.js';
import { arrayAt, numberAt, objectAt, stringAt, type JsonObject, type KubeObject } from '../../../apiserver/object.js';
import type { Registry } from '../../../apiserver/registry.js';
import { jobs as jobsDef } from '../../../apiserver/resources/jobs.js';
import { pods as podsDef } from '../../../apiserver/resources/pods.js';
import { parseTimestamp } from '../../../apiserver/time.js';
import { hasReason } from '../errors.js';
import { byControllerUid, byNamespace, controllerOf, indexByControllerUid, indexByNamespace, keyOf, splitKey } from '../indexes.js';
import { formatIndexes, parseIndexes } from './completed-indexes.js';
import { findCondition, isFinished } from './conditions.js';
import { decideJob } from './decide.js';
import { PodExpectations } from './expectations.js';
import { decideFailure } from './failure-policy.js';
import { hasTrackingFinalizer, jobPodBody, podIndex, podState, trackingFinalizer } from './job-pods.js';

const component = { component: 'job-controller' };
/** Pods created concurrently per batch (upstream's slow start grows batches the same way). */
const maxBatch = 64;

interface Backoff {
  failures: number;
  lastFailureAt: number | undefined;
}

const jobNameLabel = 'batch.kubernetes.io/job-name';

export class JobReconciler implements Reconciler {
  readonly name = 'job-controller';
  readonly expectations: PodExpectations;
  private readonly backoff = new Map<string, Backoff>();
  /** Pods whose finalizer we removed and the cache still shows with it: already counted. */
  private readonly released = new Set<string>();
  /** The resourceVersion of each job's last status write: a cache older than it is stale. */
  private readonly written = new Map<string, number>();

  constructor(
    private readonly registry: Registry,
    private readonly jobs: Informer<KubeObject>,
    private readonly pods: Informer<KubeObject>,
    private readonly events: EventRecorder,
    private readonly now: () => number,
  ) {
    this.expectations = new PodExpectations(now);
    indexByControllerUid(pods);
    indexByNamespace(pods);
    // Expectations are met by what the cache shows, whoever wakes the job afterwards.
    pods.addHandler({
      onAdd: (_k, pod) => {
        const job = JobReconciler.jobOf(pod);
        if (job) this.expectations.observedAdd(job, pod.metadata.name ?? '');
      },
      onUpdate: (_k, _old, pod) => {
        if (!hasTrackingFinalizer(pod)) this.released.delete(pod.metadata.uid ?? '');
      },
      onDelete: (_k, pod) => {
        this.released.delete(pod.metadata.uid ?? '');
        const job = JobReconciler.jobOf(pod);
        if (job) this.expectations.observedDelete(job, pod.metadata.uid ?? '');
      },
    });
  }

  /** The `namespace/name` of the Job controlling a pod. */
  static jobOf(pod: KubeObject): string | undefined {
    const ref = controllerOf(pod);
    return ref && ref.kind === 'Job' && ref.apiVersion.startsWith('batch/') ? keyOf(pod.metadata.namespace ?? '', ref.name) : undefined;
  }

  static podKeys = (_key: string, pod: KubeObject): string[] => {
    const job = JobReconciler.jobOf(pod);
    return job ? [job] : [];
  };

  async reconcile(key: string): Promise<ReconcileResult> {
    const { namespace, name } = splitKey(key);
    let job = this.jobs.get(this.registry.keys.key(jobsDef, namespace, name));
    if (!job) {
      this.expectations.forget(key);
      this.backoff.delete(key);
      this.written.delete(key);
      await this.releaseOrphans(namespace, name);
      return {};
    }
    // Acting on a status older than our own last write would count pods again or make
    // pods the write already accounts for; the write's own event brings the key back.
    if (Number(job.metadata.resourceVersion ?? 0) < (this.written.get(key) ?? 0)) return {};
    const pods = this.pods.byIndex(byControllerUid, job.metadata.uid ?? '');
    const stored = objectAt(job, 'status') ?? {};
    if (job.metadata.deletionTimestamp || isFinished(stored)) {
      await this.removeFinalizers(pods.filter(hasTrackingFinalizer));
      return job.metadata.deletionTimestamp ? {} : this.expire(job, stored);
    }
    const tracked = await this.trackFinished(key, job, pods, stored);
    if (tracked.written) job = tracked.written;
    const gone = this.expectations.pendingDeletes(key);
    const active = pods.filter((p) => podState(p) === 'active' && !gone.has(p.metadata.uid ?? ''));
    const terminating = pods.filter((p) => podState(p) === 'terminating' && hasTrackingFinalizer(p) && !this.released.has(p.metadata.uid ?? '')).length;
    const backoff = this.backoff.get(key) ?? { failures: 0, lastFailureAt: undefined };
    const decision = decideJob({
      job,
      status: tracked.status,
      active,
      pending: this.expectations.pendingCreates(key),
      terminating,
      now: this.now(),
      failuresSinceSuccess: backoff.failures,
      lastFailureAt: backoff.lastFailureAt,
      ...(tracked.failJobMessage ? { failJobMessage: tracked.failJobMessage } : {}),
    });
    await Promise.all(decision.delete.map((p) => this.deletePod(key, job, p)));
    const created = await this.createPods(key, job, decision.create);
    if (created < decision.create.length) decision.status.active = (numberAt(decision.status, 'active') ?? 0) - (decision.create.length - created);
    await this.writeStatus(key, job, decision.status);
    for (const e of decision.events) this.events.record(job, e.type, e.reason, e.message, component);
    if (isFinished(decision.status)) return this.expire(job, decision.status);
    return decision.requeueAfterMs !== undefined ? { requeueAfterMs: Math.max(1, decision.requeueAfterMs) } : {};
  }

  /**
   * Count finished pods into the status (see the file comment). Returns the status with
   * them counted — written to the store only as uncountedTerminatedPods so far; the
   * caller's final write records the counts.
   */
  private async trackFinished(key: string, job: KubeObject, pods: KubeObject[], stored: JsonObject): Promise<{ status: JsonObject; failJobMessage?: string; written?: KubeObject }> {
    const status: JsonObject = structuredClone(stored);
    const uncounted = objectAt(status, 'uncountedTerminatedPods') ?? {};
    const succeededUids = new Set((arrayAt(uncounted, 'succeeded') ?? []).map(String));
    const failedUids = new Set((arrayAt(uncounted, 'failed') ?? []).map(String));
    const indexed = objectAt(job, 'spec')?.completionMode === 'Indexed';
    const completions = numberAt(objectAt(job, 'spec') ?? {}, 'completions') ?? 0;
    const completed = parseIndexes(stringAt(status, 'completedIndexes'), completions);
    const release: KubeObject[] = [];
    let added = 0;
    let failJobMessage: string | undefined;
    for (const pod of pods) {
      const uid = pod.metadata.uid ?? '';
      if (!hasTrackingFinalizer(pod) || this.released.has(uid) || succeededUids.has(uid) || failedUids.has(uid)) continue;
      const state = podState(pod);
      if (state === 'active') continue;
      if (state === 'succeeded') {
        const i = indexed ? podIndex(pod, completions) : undefined;
        // An Indexed pod succeeding for an index already done adds nothing.
        if (indexed && (i === undefined || completed.has(i))) release.push(pod);
        else {
          succeededUids.add(uid);
          added++;
        }
        continue;
      }
      const decision = decideFailure(job, pod);
      if (decision.action === 'Ignore') {
        release.push(pod);
        continue;
      }
      if (decision.action === 'FailJob') failJobMessage ??= decision.message;
      failedUids.add(uid);
      added++;
    }
    let written: KubeObject | undefined;
    if (added > 0) {
      status.uncountedTerminatedPods = { succeeded: [...succeededUids], failed: [...failedUids] };
      written = await this.writeStatus(key, job, status);
    }
    const inUncounted = (p: KubeObject): boolean => succeededUids.has(p.metadata.uid ?? '') || failedUids.has(p.metadata.uid ?? '');
    await this.removeFinalizers([...release, ...pods.filter((p) => hasTrackingFinalizer(p) && inUncounted(p))]);
    // Every uid in uncounted has lost its finalizer now: move them into the counters.
    if (succeededUids.size > 0 || failedUids.size > 0) {
      const byUid = new Map(pods.map((p) => [p.metadata.uid ?? '', p]));
      if (indexed) {
        for (const uid of succeededUids) {
          const pod = byUid.get(uid);
          const i = pod ? podIndex(pod, completions) : undefined;
          if (i !== undefined) completed.add(i);
        }
        status.completedIndexes = formatIndexes(completed);
        status.succeeded = completed.size;
      } else {
        status.succeeded = (numberAt(status, 'succeeded') ?? 0) + succeededUids.size;
      }
      status.failed = (numberAt(status, 'failed') ?? 0) + failedUids.size;
      this.noteOutcomes(key, succeededUids.size, failedUids.size);
    }
    status.uncountedTerminatedPods = {};
    return { status, ...(failJobMessage ? { failJobMessage } : {}), ...(written ? { written } : {}) };
  }

  private noteOutcomes(key: string, succeeded: number, failed: number): void {
    const b = this.backoff.get(key) ?? { failures: 0, lastFailureAt: undefined };
    if (succeeded > 0) b.failures = 0;
    if (failed > 0) {
      b.failures += failed;
      b.lastFailureAt = this.now();
    }
    this.backoff.set(key, b);
  }

  private async createPods(key: string, job: KubeObject, indexes: (number | undefined)[]): Promise<number> {
    let created = 0;
    // Slow start: a template the server refuses fails one pod, not hundreds.
    for (let batch = 1, i = 0; i < indexes.length; batch = Math.min(batch * 2, maxBatch)) {
      const slice = indexes.slice(i, i + batch);
      i += slice.length;
      const results = await Promise.allSettled(slice.map((index) => this.createPod(key, job, index)));
      const ok = results.filter((r) => r.status === 'fulfilled').length;
      created += ok;
      const failure = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
      if (failure) {
        // Refused (a quota, a terminating namespace): said as upstream says it, retried with back-off.
        const why = failure.reason instanceof Error ? failure.reason.message : String(failure.reason);
        this.events.record(job, 'Warning', 'FailedCreate', `Error creating: ${why}`, component);
        if (created > 0) return created;
        throw failure.reason;
      }
    }
    return created;
  }

  private async createPod(key: string, job: KubeObject, index: number | undefined): Promise<void> {
    const pod = await this.registry.create(podsDef, job.metadata.namespace, jobPodBody(job, index));
    const podName = pod.metadata.name ?? '';
    // The cache may have shown the pod already; only an unseen pod is an expectation.
    if (!this.pods.get(this.registry.keys.key(podsDef, job.metadata.namespace, podName))) this.expectations.created(key, podName, index);
    this.events.record(job, 'Normal', 'SuccessfulCreate', `Created pod: ${podName}`, component);
  }

  /** Pods the controller deletes are released first: their end is not a failure to count. */
  private async deletePod(key: string, job: KubeObject, pod: KubeObject): Promise<void> {
    await this.removeFinalizers([pod]);
    try {
      await this.registry.delete(podsDef, pod.metadata.namespace, pod.metadata.name ?? '');
      this.expectations.deleted(key, pod.metadata.uid ?? '');
      this.events.record(job, 'Normal', 'SuccessfulDelete', `Deleted pod: ${pod.metadata.name ?? ''}`, component);
    } catch (e) {
      if (!hasReason(e, 'NotFound')) throw e;
    }
  }

  private async removeFinalizers(pods: KubeObject[]): Promise<void> {
    await Promise.all(
      pods.map(async (pod) => {
        try {
          this.released.add(pod.metadata.uid ?? '');
          await this.registry.updateWith(podsDef, pod.metadata.namespace, pod.metadata.name ?? '', (cur) => {
            const finalizers = (cur.metadata.finalizers ?? []).filter((f) => f !== trackingFinalizer);
            const metadata = { ...cur.metadata, finalizers };
            if (finalizers.length === 0) delete (metadata as { finalizers?: string[] }).finalizers;
            return { ...cur, metadata };
          });
        } catch (e) {
          if (!hasReason(e, 'NotFound')) throw e;
        }
      }),
    );
  }

  /** Pods of a deleted job keep no finalizer of ours (the garbage collector removes them). */
  private async releaseOrphans(namespace: string, jobName: string): Promise<void> {
    const held = this.pods.byIndex(byNamespace, namespace).filter((p) => p.metadata.labels?.[jobNameLabel] === jobName && hasTrackingFinalizer(p) && JobReconciler.jobOf(p) !== undefined);
    await this.removeFinalizers(held);
  }

  /**
   * Write the status if it changed, on the condition that the job is still the version
   * read (a stale read ends in 409 and a retry, never in overwriting newer counts).
   * Returns the written job.
   */
  private async writeStatus(key: string, job: KubeObject, status: JsonObject): Promise<KubeObject | undefined> {
    if (JSON.stringify(objectAt(job, 'status') ?? {}) === JSON.stringify(status)) return undefined;
    try {
      const written = await this.registry.updateWith(
        jobsDef,
        job.metadata.namespace,
        job.metadata.name ?? '',
        (cur) => ({ ...cur, metadata: { ...cur.metadata, resourceVersion: job.metadata.resourceVersion }, status }),
        { subresource: 'status' },
      );
      this.written.set(key, Number(written.metadata.resourceVersion ?? 0));
      return written;
    } catch (e) {
      if (!hasReason(e, 'NotFound')) throw e;
      return undefined;
    }
  }

  /** ttlSecondsAfterFinished: delete the job (and, through the garbage collector, its pods) once it has passed. */
  private async expire(job: KubeObject, status: JsonObject): Promise<ReconcileResult> {
    const ttl = numberAt(objectAt(job, 'spec') ?? {}, 'ttlSecondsAfterFinished');
    if (ttl === undefined) return {};
    const finished = findCondition(status, 'Complete')?.status === 'True' ? findCondition(status, 'Complete') : findCondition(status, 'Failed');
    const at = parseTimestamp(finished?.lastTransitionTime) ?? this.now();
    const left = at + ttl * 1000 - this.now();
    if (left > 0) return { requeueAfterMs: left };
    try {
      await this.registry.delete(jobsDef, job.metadata.namespace, job.metadata.name ?? '', { propagationPolicy: 'Foreground', preconditions: { uid: job.metadata.uid ?? '' } });
    } catch (e) {
      if (!hasReason(e, 'NotFound', 'Conflict')) throw e;
    }
    return {};
  }
}
