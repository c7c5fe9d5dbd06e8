/**
 * What one sync of a Job does, decided from its counted status and its pods, with no I/O:
 * which pods to create (with completion indexes for Indexed jobs) and delete, the new
 * status, the events, and when to look again. The reconciler does the writes.
 *
 * Order of precedence, as the 1.33 controller: a job already past its success or failure
 * criteria only winds down (delete what runs, then the terminal Complete/Failed
 * condition once nothing is left); else a FailJob pod failure policy, exceeding
 * backoffLimit, or activeDeadlineSeconds fail it (FailureTarget first); enough successes
 * complete it (SuccessCriteriaMet first); suspension deletes what runs; otherwise pods are
 * created up to parallelism, after an exponential back-off (10 s doubling, at most 6 min)
 * following failures.
 */
import { numberAt, objectAt, stringAt, type JsonObject, type KubeObject } from '../../../apiserver/object.js';
import { parseTimestamp, rfc3339 } from '../../../apiserver/time.js';
import { formatIndexes, parseIndexes } from './completed-indexes.js';
import { isTrue, reasons, setCondition, findCondition } from './conditions.js';
import type { PendingPod } from './expectations.js';
import { podIndex, podIsReady } from './job-pods.js';

export interface JobEvent {
  type: 'Normal' | 'Warning';
  reason: string;
  message: string;
}

export interface JobSyncInput {
  job: KubeObject;
  /** The status with every finished pod already counted. */
  status: JsonObject;
  /** Pods running or pending (not finished, not being deleted). */
  active: KubeObject[];
  /** Pods created that the cache has not shown yet. */
  pending: PendingPod[];
  /** Pods being deleted that still hold the tracking finalizer. */
  terminating: number;
  now: number;
  /** Failed pods counted since the last success, and when the last was counted (back-off). */
  failuresSinceSuccess: number;
  lastFailureAt: number | undefined;
  /** A FailJob rule matched a pod in this sync. */
  failJobMessage?: string;
}

export interface JobSyncDecision {
  status: JsonObject;
  /** One entry per pod to create: its completion index, or undefined (NonIndexed). */
  create: (number | undefined)[];
  delete: KubeObject[];
  events: JobEvent[];
  requeueAfterMs?: number;
}

const backoffBaseMs = 10_000;
const backoffMaxMs = 6 * 60_000;

export function backoffDelay(failures: number): number {
  if (failures <= 0) return 0;
  return Math.min(backoffBaseMs * 2 ** Math.min(failures - 1, 30), backoffMaxMs);
}

/** Pods to give up first: not ready before ready, newest before oldest. */
function deletionOrder(pods: KubeObject[]): KubeObject[] {
  return [...pods].sort((a, b) => Number(podIsReady(a)) - Number(podIsReady(b)) || String(b.metadata.creationTimestamp ?? '').localeCompare(String(a.metadata.creationTimestamp ?? '')));
}

export function decideJob(input: JobSyncInput): JobSyncDecision {
  const { job, now } = input;
  const spec = objectAt(job, 'spec') ?? {};
  const status: JsonObject = structuredClone(input.status);
  const events: JobEvent[] = [];
  const out: JobSyncDecision = { status, create: [], delete: [], events };
  const indexed = spec.completionMode === 'Indexed';
  const completions = numberAt(spec, 'completions');
  const parallelism = numberAt(spec, 'parallelism') ?? 1;
  const backoffLimit = numberAt(spec, 'backoffLimit') ?? 6;
  const succeeded = numberAt(status, 'succeeded') ?? 0;
  const failed = numberAt(status, 'failed') ?? 0;
  const completed = indexed ? parseIndexes(stringAt(status, 'completedIndexes'), completions ?? 0) : new Set<number>();
  const running = input.active.length + input.pending.length;

  const finishing = (): JobSyncDecision => {
    out.delete = input.active;
    const nothingLeft = input.pending.length === 0 && input.terminating === 0 && input.active.length === 0;
    if (nothingLeft) {
      const target = findCondition(status, 'FailureTarget');
      if (target?.status === 'True') {
        const c = { reason: String(target.reason ?? ''), message: String(target.message ?? '') };
        setCondition(status, { type: 'Failed', status: 'True', ...c }, now);
        events.push({ type: 'Warning', ...c });
      } else {
        setCondition(status, { type: 'Complete', status: 'True', ...reasons.completionsReached }, now);
        status.completionTime = rfc3339(now);
        events.push({ type: 'Normal', reason: 'Completed', message: 'Job completed' });
      }
    }
    fillCounts(status, [], 0, input.terminating);
    return out;
  };

  if (isTrue(status, 'FailureTarget') || isTrue(status, 'SuccessCriteriaMet')) return finishing();

  const start = parseTimestamp(stringAt(status, 'startTime'));
  const deadline = numberAt(spec, 'activeDeadlineSeconds');
  const failure = input.failJobMessage
    ? { reason: 'PodFailurePolicy', message: input.failJobMessage }
    : failed > backoffLimit
      ? reasons.backoffLimitExceeded
      : deadline !== undefined && start !== undefined && spec.suspend !== true && now >= start + deadline * 1000
        ? reasons.deadlineExceeded
        : undefined;
  if (failure) {
    setCondition(status, { type: 'FailureTarget', status: 'True', ...failure }, now);
    return finishing();
  }
  const complete = indexed
    ? completions !== undefined && completed.size >= completions
    : completions !== undefined
      ? succeeded >= completions
      : succeeded > 0 && running === 0;
  if (complete) {
    setCondition(status, { type: 'SuccessCriteriaMet', status: 'True', ...reasons.completionsReached }, now);
    return finishing();
  }

  if (spec.suspend === true) {
    out.delete = input.active;
    if (!isTrue(status, 'Suspended')) {
      setCondition(status, { type: 'Suspended', status: 'True', ...reasons.suspended }, now);
      events.push({ type: 'Normal', reason: 'Suspended', message: 'Job suspended' });
    }
    fillCounts(status, [], input.pending.length, input.terminating + input.active.length);
    return out;
  }
  if (isTrue(status, 'Suspended')) {
    setCondition(status, { type: 'Suspended', status: 'False', ...reasons.resumed }, now);
    events.push({ type: 'Normal', reason: 'Resumed', message: 'Job resumed' });
    // The deadline counts from the resumption.
    status.startTime = rfc3339(now);
  }
  status.startTime ??= rfc3339(now);

  let toCreate: (number | undefined)[] = [];
  let toDelete: KubeObject[] = [];
  if (indexed) {
    ({ toCreate, toDelete } = planIndexed(input, completions ?? 0, parallelism, completed));
  } else {
    // A work-queue job (no completions) makes no new pods once one succeeded, and lets the rest finish.
    const want = completions === undefined ? (succeeded > 0 ? Math.min(running, parallelism) : parallelism) : Math.min(parallelism, completions - succeeded);
    if (running < want) toCreate = new Array<undefined>(want - running).fill(undefined);
    else if (running > want) toDelete = deletionOrder(input.active).slice(0, running - want);
  }
  if (toCreate.length > 0 && input.failuresSinceSuccess > 0 && input.lastFailureAt !== undefined) {
    const wait = input.lastFailureAt + backoffDelay(input.failuresSinceSuccess) - now;
    if (wait > 0) {
      toCreate = [];
      out.requeueAfterMs = wait;
    }
  }
  out.create = toCreate;
  out.delete = toDelete;
  const stillActive = input.active.filter((p) => !toDelete.includes(p));
  fillCounts(status, stillActive, input.pending.length + toCreate.length, input.terminating + toDelete.length);
  if (indexed) status.completedIndexes = formatIndexes(completed);
  const startedAt = parseTimestamp(stringAt(status, 'startTime'));
  if (deadline !== undefined && startedAt !== undefined) {
    const left = startedAt + deadline * 1000 - now;
    out.requeueAfterMs = Math.min(out.requeueAfterMs ?? left, left);
  }
  return out;
}

function fillCounts(status: JsonObject, active: KubeObject[], pending: number, terminating: number): void {
  status.active = active.length + pending;
  status.ready = active.filter(podIsReady).length;
  status.terminating = terminating;
  status.succeeded ??= 0;
  status.failed ??= 0;
}

/** Indexed: one pod per index not yet completed, lowest first, up to parallelism. */
function planIndexed(input: JobSyncInput, completions: number, parallelism: number, completed: Set<number>): { toCreate: number[]; toDelete: KubeObject[] } {
  const toDelete: KubeObject[] = [];
  const busy = new Set<number>();
  for (const p of input.pending) if (p.index !== undefined) busy.add(p.index);
  const keep: KubeObject[] = [];
  for (const pod of deletionOrder(input.active).reverse()) {
    const i = podIndex(pod, completions);
    // No index, one already completed, or a second pod for a busy index: not needed.
    if (i === undefined || completed.has(i) || busy.has(i)) toDelete.push(pod);
    else {
      busy.add(i);
      keep.push(pod);
    }
  }
  const want = Math.min(parallelism, completions - completed.size);
  const toCreate: number[] = [];
  for (let i = 0; i < completions && busy.size + toCreate.length < want; i++) {
    if (!completed.has(i) && !busy.has(i)) toCreate.push(i);
  }
  if (busy.size > want) {
    const byIndexDesc = keep.sort((a, b) => (podIndex(b, completions) ?? 0) - (podIndex(a, completions) ?? 0));
    toDelete.push(...byIndexDesc.slice(0, busy.size - want));
  }
  return { toCreate, toDelete };
}
