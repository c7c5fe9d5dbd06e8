/** A ReplicaSet's status from its active pods (upstream's calculateStatus). */
import { numberAt, type JsonObject, type KubeObject } from '../../../apiserver/object.js';
import { conditionsOf, newCondition, removeCondition, setCondition } from '../shared/conditions.js';
import { availability, isPodReady, specOf, statusOf } from '../shared/pod-state.js';
import { templateLabels, templateOf } from '../shared/pod-template.js';

export interface ReplicaSetStatus {
  status: JsonObject;
  /** Ms until a ready pod becomes available (minReadySeconds), if any is waiting. */
  recheckMs?: number;
}

/** `failure` is the error of the last create/delete round: ReplicaFailure while it stands. */
export function replicaSetStatus(rs: KubeObject, active: readonly KubeObject[], now: number, failure?: { reason: 'FailedCreate' | 'FailedDelete'; message: string }): ReplicaSetStatus {
  const spec = specOf(rs);
  const minReady = numberAt(spec, 'minReadySeconds') ?? 0;
  const wanted = Object.entries(templateLabels(templateOf(spec)));
  let fullyLabeled = 0;
  let ready = 0;
  let available = 0;
  let recheckMs: number | undefined;
  for (const pod of active) {
    if (hasLabels(pod.metadata.labels ?? {}, wanted)) fullyLabeled++;
    if (!isPodReady(pod)) continue;
    ready++;
    const a = availability(pod, minReady, now);
    if (a.available) available++;
    else recheckMs = Math.min(recheckMs ?? Infinity, a.waitMs);
  }
  const old = statusOf(rs);
  let conditions = conditionsOf(old);
  if (failure) conditions = setCondition(conditions, newCondition('ReplicaFailure', 'True', failure.reason, failure.message, now, false));
  else conditions = removeCondition(conditions, 'ReplicaFailure');
  const status: JsonObject = {
    replicas: active.length,
    fullyLabeledReplicas: fullyLabeled,
    readyReplicas: ready,
    availableReplicas: available,
    observedGeneration: rs.metadata.generation ?? 1,
  };
  // Upstream omits zero counters (omitempty) except replicas; keep the same shape.
  for (const f of ['fullyLabeledReplicas', 'readyReplicas', 'availableReplicas'] as const) if (status[f] === 0) delete status[f];
  if (conditions.length > 0) status.conditions = conditions;
  return recheckMs === undefined ? { status } : { status, recheckMs };
}

/** Whether `labels` holds every wanted pair (a loop: this runs for every pod of the set). */
function hasLabels(labels: Readonly<Record<string, string>>, wanted: readonly [string, string][]): boolean {
  for (let i = 0; i < wanted.length; i++) if (labels[wanted[i]![0]] !== wanted[i]![1]) return false;
  return true;
}
