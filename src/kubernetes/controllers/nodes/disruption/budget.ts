/**
 * A PodDisruptionBudget's status from the pods it selects (pkg/controller/disruption), as
 * a pure function. The eviction subresource reads exactly these fields: it refuses while
 * observedGeneration lags the budget's generation or disruptionsAllowed is 0, and spends
 * one disruption by recording the pod under disruptedPods — which keeps that pod out of
 * currentHealthy until it is gone or two minutes have passed.
 */
import { isObject, numberAt, objectAt, type JsonObject, type KubeObject } from '../../../apiserver/object.js';
import { parseTimestamp, rfc3339 } from '../../../apiserver/time.js';
import { isPodReady } from '../conditions.js';

/** How long an evicted pod may take to disappear before it counts again (DeletionTimeout). */
export const deletionTimeoutMs = 2 * 60_000;

/** The number of pods the budget's controllers want: the sum of their scales, or why it cannot be known. */
export type ExpectedScale = { count: number; unmanaged: string[] } | { error: string };

export interface BudgetEvent {
  type: 'Normal' | 'Warning';
  reason: string;
  message: string;
}

export interface BudgetAssessment {
  status: JsonObject;
  events: BudgetEvent[];
  /** When a disruptedPods entry expires and the budget must be looked at again. */
  recheckAt: number | undefined;
}

/** intstr.GetScaledValueFromIntOrPercent: an int as is, "N%" of total rounded up or down. */
export function scaledValue(v: unknown, total: number, roundUp: boolean): number | undefined {
  if (typeof v === 'number' && Number.isInteger(v)) return v;
  if (typeof v !== 'string') return undefined;
  const m = /^(\d+)%$/.exec(v);
  if (!m) return /^\d+$/.test(v) ? Number(v) : undefined;
  const exact = (Number(m[1]) * total) / 100;
  return roundUp ? Math.ceil(exact) : Math.floor(exact);
}

const isPercent = (v: unknown): boolean => typeof v === 'string' && v.endsWith('%');

/** expectedPods and desiredHealthy from the spec; scale() is asked only when the spec needs it. */
export function expectedAndDesired(spec: JsonObject, podCount: number, scale: () => ExpectedScale): { expected: number; desired: number; unmanaged: string[] } | { error: string } {
  const { maxUnavailable, minAvailable } = spec;
  if (maxUnavailable !== undefined && maxUnavailable !== null) {
    const s = scale();
    if ('error' in s) return s;
    const max = scaledValue(maxUnavailable, s.count, true);
    if (max === undefined) return { error: `invalid value for maxUnavailable: ${String(maxUnavailable)}` };
    return { expected: s.count, desired: Math.max(0, s.count - max), unmanaged: s.unmanaged };
  }
  if (minAvailable !== undefined && minAvailable !== null) {
    if (!isPercent(minAvailable)) {
      const min = scaledValue(minAvailable, podCount, true);
      if (min === undefined) return { error: `invalid value for minAvailable: ${String(minAvailable)}` };
      return { expected: podCount, desired: min, unmanaged: [] };
    }
    const s = scale();
    if ('error' in s) return s;
    return { expected: s.count, desired: scaledValue(minAvailable, s.count, true) ?? 0, unmanaged: s.unmanaged };
  }
  // Neither set (invalid for policy/v1, but stored objects may predate validation): nothing may be disrupted.
  return { expected: podCount, desired: podCount, unmanaged: [] };
}

/** The disruptedPods entries still pending: the pod is listed, not yet being deleted, and its two minutes are not up. */
export function liveDisruptions(recorded: JsonObject, pods: readonly KubeObject[], now: number): { live: Record<string, string>; expired: string[]; recheckAt: number | undefined } {
  const live: Record<string, string> = {};
  const expired: string[] = [];
  let recheckAt: number | undefined;
  for (const pod of pods) {
    const name = pod.metadata.name ?? '';
    const at = recorded[name];
    if (typeof at !== 'string' || pod.metadata.deletionTimestamp) continue;
    const deadline = (parseTimestamp(at) ?? 0) + deletionTimeoutMs;
    if (deadline < now) {
      expired.push(name);
      continue;
    }
    live[name] = at;
    recheckAt = recheckAt === undefined ? deadline : Math.min(recheckAt, deadline);
  }
  return { live, expired, recheckAt };
}

export function countHealthy(pods: readonly KubeObject[], disrupted: Record<string, string>): number {
  return pods.filter((p) => !p.metadata.deletionTimestamp && disrupted[p.metadata.name ?? ''] === undefined && isPodReady(p)).length;
}

/** The DisruptionAllowed condition (metav1.Condition: the transition time moves only with the status). */
function allowedCondition(old: unknown, allowed: boolean, reason: string, message: string, generation: number, now: number): JsonObject {
  const status = allowed ? 'True' : 'False';
  const previous = Array.isArray(old) ? old.filter(isObject).find((c) => c.type === 'DisruptionAllowed') : undefined;
  return {
    type: 'DisruptionAllowed',
    status,
    observedGeneration: generation,
    lastTransitionTime: previous && previous.status === status && typeof previous.lastTransitionTime === 'string' ? previous.lastTransitionTime : rfc3339(now),
    reason,
    message,
  };
}

function withAllowedCondition(conditions: unknown, condition: JsonObject): JsonObject[] {
  const others = (Array.isArray(conditions) ? conditions.filter(isObject) : []).filter((c) => c.type !== 'DisruptionAllowed');
  return [...others, condition];
}

/**
 * The budget's new status. When the expected count cannot be known the budget fails
 * safe: no disruptions, condition reason SyncFailed, observedGeneration left as it was.
 */
export function assessBudget(pdb: KubeObject, pods: readonly KubeObject[], scale: () => ExpectedScale, now: number): BudgetAssessment {
  const spec = objectAt(pdb, 'spec') ?? {};
  const old = objectAt(pdb, 'status') ?? {};
  const generation = pdb.metadata.generation ?? 0;
  const events: BudgetEvent[] = [];
  if (pods.length === 0) events.push({ type: 'Normal', reason: 'NoPods', message: 'No matching pods found' });
  const counts = expectedAndDesired(spec, pods.length, scale);
  if ('error' in counts) {
    events.push({ type: 'Warning', reason: 'CalculateExpectedPodCountFailed', message: `Failed to calculate the number of expected pods: ${counts.error}` });
    const observed = numberAt(old, 'observedGeneration') ?? 0;
    const condition = allowedCondition(old.conditions, false, 'SyncFailed', counts.error, observed, now);
    return { status: { ...old, disruptionsAllowed: 0, conditions: withAllowedCondition(old.conditions, condition) }, events, recheckAt: undefined };
  }
  if (counts.unmanaged.length > 0) {
    events.push({
      type: 'Warning',
      reason: 'UnmanagedPods',
      message: `Pods selected by this PodDisruptionBudget were found to be unmanaged (${counts.unmanaged.join(', ')}). As a result, the status of the PDB cannot be calculated correctly, which may result in undefined behavior. To account for these pods please set ".spec.minAvailable" field of the PDB to an integer value.`,
    });
  }
  const { live, recheckAt } = liveDisruptions(objectAt(old, 'disruptedPods') ?? {}, pods, now);
  const healthy = countHealthy(pods, live);
  const allowed = counts.expected <= 0 ? 0 : Math.max(0, healthy - counts.desired);
  const condition = allowed > 0 ? allowedCondition(old.conditions, true, 'SufficientPods', '', generation, now) : allowedCondition(old.conditions, false, 'InsufficientPods', '', generation, now);
  const status: JsonObject = {
    observedGeneration: generation,
    disruptionsAllowed: allowed,
    currentHealthy: healthy,
    desiredHealthy: counts.desired,
    expectedPods: counts.expected,
    conditions: withAllowedCondition(old.conditions, condition),
  };
  if (Object.keys(live).length > 0) status.disruptedPods = live;
  return { status, events, recheckAt };
}
