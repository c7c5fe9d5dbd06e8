/** What the workload controllers read from a pod's status: active, ready, available. */
import { arrayAt, isObject, objectAt, stringAt, type JsonObject, type KubeObject } from '../../../apiserver/object.js';
import { parseTimestamp } from '../../../apiserver/time.js';

export const statusOf = (o: JsonObject): JsonObject => objectAt(o, 'status') ?? {};
export const specOf = (o: JsonObject): JsonObject => objectAt(o, 'spec') ?? {};
export const podPhase = (pod: KubeObject): string => stringAt(statusOf(pod), 'phase') ?? 'Pending';
export const nodeNameOf = (pod: KubeObject): string => stringAt(specOf(pod), 'nodeName') ?? '';

/** Not being deleted and not finished: what a controller counts toward its replicas. */
export const isPodActive = (pod: KubeObject): boolean => {
  const phase = podPhase(pod);
  return !pod.metadata.deletionTimestamp && phase !== 'Succeeded' && phase !== 'Failed';
};

export const isTerminating = (pod: KubeObject): boolean => !!pod.metadata.deletionTimestamp;

function readyCondition(pod: KubeObject): JsonObject | undefined {
  // A loop, not filter().find(): a set's status asks this of every pod it has.
  const conditions = arrayAt(statusOf(pod), 'conditions');
  if (!conditions) return undefined;
  for (let i = 0; i < conditions.length; i++) {
    const c = conditions[i];
    if (isObject(c) && c.type === 'Ready') return c;
  }
  return undefined;
}

/** The pod's Ready condition is True (the kubelet sets it). */
export const isPodReady = (pod: KubeObject): boolean => readyCondition(pod)?.status === 'True';

/** When the pod last became ready (ms), or undefined when it is not ready. */
export function readySince(pod: KubeObject): number | undefined {
  const c = readyCondition(pod);
  if (c?.status !== 'True') return undefined;
  return parseTimestamp(c.lastTransitionTime) ?? 0;
}

// The answers without a wait, shared: availability runs for every pod of a set.
const availableNow = { available: true, waitMs: 0 } as const;
const notReady = { available: false, waitMs: 0 } as const;

/**
 * Available: ready for at least minReadySeconds by the clock. `waitMs` is how long until
 * a ready pod becomes available (0 when it already is), so a caller can requeue.
 */
export function availability(pod: KubeObject, minReadySeconds: number, now: number): { available: boolean; waitMs: number } {
  // Without minReadySeconds (the usual case) ready is available: no timestamp to parse.
  if (minReadySeconds <= 0) return isPodReady(pod) ? availableNow : notReady;
  const since = readySince(pod);
  if (since === undefined) return notReady;
  const at = since + minReadySeconds * 1000;
  return at <= now ? availableNow : { available: false, waitMs: at - now };
}

export const isPodAvailable = (pod: KubeObject, minReadySeconds: number, now: number): boolean => availability(pod, minReadySeconds, now).available;

/** Total container restarts, a tie-breaker when choosing pods to delete. */
export function restartCount(pod: KubeObject): number {
  let n = 0;
  for (const s of (arrayAt(statusOf(pod), 'containerStatuses') ?? []).filter(isObject)) n += typeof s.restartCount === 'number' ? s.restartCount : 0;
  return n;
}
