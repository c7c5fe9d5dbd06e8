/**
 * A Deployment's status and its two conditions, exactly what `kubectl rollout status`
 * reads: counters summed over its ReplicaSets; Available from minimum availability;
 * Progressing with the upstream reasons — NewReplicaSetCreated, FoundNewReplicaSet,
 * ReplicaSetUpdated, NewReplicaSetAvailable, ProgressDeadlineExceeded, DeploymentPaused
 * and DeploymentResumed.
 */
import { numberAt, type JsonObject, type KubeObject } from '../../../apiserver/object.js';
import { parseTimestamp } from '../../../apiserver/time.js';
import { conditionsOf, findCondition, newCondition, removeCondition, setCondition, type Condition } from '../shared/conditions.js';
import { specOf, statusOf } from '../shared/pod-state.js';
import { availableOf, fenceposts, sumAvailable, sumReplicas } from './replicas.js';
import { replicasOf } from './revision.js';

export const progressing = 'Progressing';
export const available = 'Available';
export const reasons = {
  newRSCreated: 'NewReplicaSetCreated',
  foundNewRS: 'FoundNewReplicaSet',
  rsUpdated: 'ReplicaSetUpdated',
  newRSAvailable: 'NewReplicaSetAvailable',
  timedOut: 'ProgressDeadlineExceeded',
  paused: 'DeploymentPaused',
  resumed: 'DeploymentResumed',
  minAvailable: 'MinimumReplicasAvailable',
  minUnavailable: 'MinimumReplicasUnavailable',
} as const;

const statusReplicas = (rs: KubeObject, field: string): number => numberAt(statusOf(rs), field) ?? 0;

export interface DeploymentStatus extends JsonObject {
  observedGeneration: number;
  replicas: number;
  updatedReplicas: number;
  readyReplicas: number;
  availableReplicas: number;
  unavailableReplicas: number;
  conditions: Condition[];
  collisionCount?: number;
}

export const progressDeadlineSeconds = (d: KubeObject): number | undefined => numberAt(specOf(d), 'progressDeadlineSeconds');
/** progressDeadlineSeconds at MaxInt32 means "no deadline" upstream. */
const hasDeadline = (d: KubeObject): boolean => {
  const s = progressDeadlineSeconds(d);
  return s !== undefined && s !== 2147483647;
};

/** Counters and the Available condition (upstream's calculateStatus). */
export function calculateStatus(d: KubeObject, all: readonly KubeObject[], newRS: KubeObject | undefined, now: number): DeploymentStatus {
  const availableReplicas = sumAvailable(all);
  const total = sumReplicas(all);
  const old = statusOf(d);
  const status: DeploymentStatus = {
    observedGeneration: d.metadata.generation ?? 1,
    replicas: all.reduce((n, rs) => n + statusReplicas(rs, 'replicas'), 0),
    updatedReplicas: newRS ? statusReplicas(newRS, 'replicas') : 0,
    readyReplicas: all.reduce((n, rs) => n + statusReplicas(rs, 'readyReplicas'), 0),
    availableReplicas,
    unavailableReplicas: Math.max(0, total - availableReplicas),
    conditions: conditionsOf(old),
  };
  const collisions = numberAt(old, 'collisionCount');
  if (collisions !== undefined) status.collisionCount = collisions;
  const minAvailable = replicasOf(d) - fenceposts(d).unavailable;
  status.conditions =
    availableReplicas >= minAvailable
      ? setCondition(status.conditions, newCondition(available, 'True', reasons.minAvailable, 'Deployment has minimum availability.', now))
      : setCondition(status.conditions, newCondition(available, 'False', reasons.minUnavailable, 'Deployment does not have minimum availability.', now));
  return status;
}

/** Everything updated and available, and the controller has seen the latest spec. */
export function isComplete(d: KubeObject, s: DeploymentStatus): boolean {
  const want = replicasOf(d);
  return s.updatedReplicas === want && s.replicas === want && s.availableReplicas === want && s.observedGeneration >= (d.metadata.generation ?? 1);
}

/** Some counter moved the right way since the last status (upstream's DeploymentProgressing). */
export function isProgressing(d: KubeObject, s: DeploymentStatus): boolean {
  const old = statusOf(d);
  const n = (f: string): number => numberAt(old, f) ?? 0;
  return (
    s.updatedReplicas > n('updatedReplicas') ||
    s.replicas - s.updatedReplicas < n('replicas') - n('updatedReplicas') ||
    s.readyReplicas > n('readyReplicas') ||
    s.availableReplicas > n('availableReplicas')
  );
}

/** Whether the deadline passed since the Progressing condition last moved. */
export function hasTimedOut(d: KubeObject, s: DeploymentStatus, now: number): boolean {
  if (!hasDeadline(d)) return false;
  const c = findCondition(s.conditions, progressing);
  if (!c) return false;
  if (c.reason === reasons.newRSAvailable) return false;
  if (c.reason === reasons.timedOut) return true;
  const from = parseTimestamp(c.lastUpdateTime) ?? 0;
  return from + (progressDeadlineSeconds(d) ?? 0) * 1000 < now;
}

/**
 * The rollout's Progressing condition and ReplicaFailure mirrored from the ReplicaSets
 * (upstream's syncRolloutStatus). Returns the status and, while a rollout is under way,
 * when the deadline would pass so the caller can look again then.
 */
export function rolloutStatus(d: KubeObject, all: readonly KubeObject[], newRS: KubeObject | undefined, now: number): { status: DeploymentStatus; recheckMs?: number } {
  const s = calculateStatus(d, all, newRS, now);
  if (!hasDeadline(d)) s.conditions = removeCondition(s.conditions, progressing);
  const current = findCondition(s.conditions, progressing);
  const completeAlready = s.replicas === s.updatedReplicas && current?.reason === reasons.newRSAvailable;
  const rsName = newRS?.metadata.name;
  if (hasDeadline(d) && !completeAlready) {
    if (isComplete(d, s)) {
      const msg = rsName ? `ReplicaSet "${rsName}" has successfully progressed.` : 'Deployment has successfully progressed.';
      s.conditions = setCondition(s.conditions, newCondition(progressing, 'True', reasons.newRSAvailable, msg, now));
    } else if (isProgressing(d, s)) {
      const msg = rsName ? `ReplicaSet "${rsName}" is progressing.` : 'Deployment is progressing.';
      const c = newCondition(progressing, 'True', reasons.rsUpdated, msg, now);
      // Progress refreshes lastUpdateTime (the deadline's start) but not the transition time.
      if (current?.status === 'True') c.lastTransitionTime = current.lastTransitionTime;
      s.conditions = [...removeCondition(s.conditions, progressing), c];
    } else if (hasTimedOut(d, s, now)) {
      const msg = rsName ? `ReplicaSet "${rsName}" has timed out progressing.` : `Deployment "${d.metadata.name ?? ''}" has timed out progressing.`;
      s.conditions = setCondition(s.conditions, newCondition(progressing, 'False', reasons.timedOut, msg, now));
    }
  }
  const failure = replicaFailure(all, newRS);
  s.conditions = failure ? setCondition(s.conditions, failure) : removeCondition(s.conditions, 'ReplicaFailure');
  return { status: s, ...recheck(d, s, now) };
}

/** A ReplicaFailure condition of the new ReplicaSet (else of any), as the Deployment's own. */
function replicaFailure(all: readonly KubeObject[], newRS: KubeObject | undefined): Condition | undefined {
  const of = (rs: KubeObject): Condition | undefined => {
    const c = findCondition(conditionsOf(statusOf(rs)), 'ReplicaFailure');
    return c?.status === 'True' ? { ...c, lastUpdateTime: c.lastTransitionTime } : undefined;
  };
  if (newRS) return of(newRS);
  for (const rs of all) {
    const c = of(rs);
    if (c) return c;
  }
  return undefined;
}

/** When an unfinished rollout's deadline will pass (upstream's requeueStuckDeployment). */
function recheck(d: KubeObject, s: DeploymentStatus, now: number): { recheckMs?: number } {
  const c = findCondition(s.conditions, progressing);
  if (!hasDeadline(d) || !c || c.reason === reasons.newRSAvailable || c.reason === reasons.timedOut || isComplete(d, s)) return {};
  const at = (parseTimestamp(c.lastUpdateTime) ?? now) + (progressDeadlineSeconds(d) ?? 0) * 1000;
  return { recheckMs: Math.max(1000, at - now + 1000) };
}

/** Paused and resumed show as Progressing=Unknown (upstream's checkPausedConditions). */
export function pausedConditions(d: KubeObject, conditions: readonly Condition[], now: number): Condition[] | undefined {
  if (!hasDeadline(d)) return undefined;
  const c = findCondition(conditions, progressing);
  if (c?.reason === reasons.timedOut) return undefined;
  const pausedShown = c?.reason === reasons.paused;
  const paused = specOf(d).paused === true;
  if (paused && !pausedShown) return setCondition(conditions, newCondition(progressing, 'Unknown', reasons.paused, 'Deployment is paused', now));
  if (!paused && pausedShown) return setCondition(conditions, newCondition(progressing, 'Unknown', reasons.resumed, 'Deployment is resumed', now));
  return undefined;
}

export { availableOf };
