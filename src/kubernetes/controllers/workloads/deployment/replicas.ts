/**
 * The arithmetic of a rollout, over ReplicaSets' spec and status counts (upstream's
 * deployment util): how far the new ReplicaSet may grow, how much the old ones may
 * shrink, and how a resize during a rollout is shared out in proportion.
 */
import { numberAt, type KubeObject } from '../../../apiserver/object.js';
import { resolveFenceposts } from '../shared/int-or-percent.js';
import { specOf, statusOf } from '../shared/pod-state.js';
import { byCreation, desiredReplicasAnnotation, intAnnotation, maxReplicasAnnotation, replicasOf } from './revision.js';

export const availableOf = (rs: KubeObject): number => numberAt(statusOf(rs), 'availableReplicas') ?? 0;
export const sumReplicas = (sets: readonly KubeObject[]): number => sets.reduce((n, rs) => n + replicasOf(rs), 0);
export const sumAvailable = (sets: readonly KubeObject[]): number => sets.reduce((n, rs) => n + availableOf(rs), 0);
export const active = (sets: readonly KubeObject[]): KubeObject[] => sets.filter((rs) => replicasOf(rs) > 0);

export function isRollingUpdate(d: KubeObject): boolean {
  const strategy = (specOf(d).strategy ?? {}) as Record<string, unknown>;
  return (strategy.type ?? 'RollingUpdate') === 'RollingUpdate';
}

/** maxSurge and maxUnavailable of a Deployment as replica counts (0/0 for Recreate). */
export function fenceposts(d: KubeObject): { surge: number; unavailable: number } {
  if (!isRollingUpdate(d)) return { surge: 0, unavailable: 0 };
  const ru = ((specOf(d).strategy as Record<string, unknown> | undefined)?.rollingUpdate ?? {}) as Record<string, unknown>;
  const desired = replicasOf(d);
  const f = resolveFenceposts(ru.maxSurge ?? '25%', ru.maxUnavailable ?? '25%', desired);
  // Upstream's MaxUnavailable caps at the desired count.
  return { surge: f.surge, unavailable: Math.min(f.unavailable, desired) };
}

/** The size the new ReplicaSet may grow to now (upstream's NewRSNewReplicas). */
export function newReplicaSetReplicas(d: KubeObject, all: readonly KubeObject[], newRS: KubeObject): number {
  const desired = replicasOf(d);
  if (!isRollingUpdate(d)) return desired;
  const { surge } = fenceposts(d);
  const current = sumReplicas(all);
  const maxTotal = desired + surge;
  if (current >= maxTotal) return replicasOf(newRS);
  const up = Math.min(maxTotal - current, desired - replicasOf(newRS));
  return replicasOf(newRS) + up;
}

/**
 * How many old replicas may go now without dropping below minAvailable, counting the
 * new ReplicaSet's not-yet-available pods as already unavailable.
 */
export function maxScaledDown(d: KubeObject, all: readonly KubeObject[], newRS: KubeObject | undefined): number {
  const minAvailable = replicasOf(d) - fenceposts(d).unavailable;
  const newUnavailable = newRS ? replicasOf(newRS) - availableOf(newRS) : 0;
  return sumReplicas(all) - minAvailable - newUnavailable;
}

/** Old ReplicaSets scaled down oldest first, only as far as availability allows. */
export function oldScaleDownPlan(d: KubeObject, all: readonly KubeObject[], oldActive: readonly KubeObject[]): Map<KubeObject, number> {
  const plan = new Map<KubeObject, number>();
  const minAvailable = replicasOf(d) - fenceposts(d).unavailable;
  const available = sumAvailable(all);
  if (available <= minAvailable) return plan;
  let remaining = available - minAvailable;
  for (const rs of [...oldActive].sort(byCreation)) {
    if (remaining <= 0) break;
    if (replicasOf(rs) === 0) continue;
    const down = Math.min(replicasOf(rs), remaining);
    plan.set(rs, replicasOf(rs) - down);
    remaining -= down;
  }
  return plan;
}

/** Unhealthy old replicas (spec − available), oldest first, up to `limit`: removed before anything else. */
export function unhealthyCleanupPlan(oldActive: readonly KubeObject[], limit: number): Map<KubeObject, number> {
  const plan = new Map<KubeObject, number>();
  let total = 0;
  for (const rs of [...oldActive].sort(byCreation)) {
    if (total >= limit) break;
    const spec = replicasOf(rs);
    if (spec === 0 || spec === availableOf(rs)) continue;
    const down = Math.min(limit - total, spec - availableOf(rs));
    plan.set(rs, spec - down);
    total += down;
  }
  return plan;
}

/** The new ReplicaSet has everything: desired, scaled and available. */
export function isSaturated(d: KubeObject, newRS: KubeObject | undefined): boolean {
  if (!newRS) return false;
  const desired = replicasOf(d);
  return intAnnotation(newRS, desiredReplicasAnnotation) === desired && replicasOf(newRS) === desired && availableOf(newRS) === desired;
}

/** The one ReplicaSet to resize when no rollout is under way (upstream's FindActiveOrLatest). */
export function activeOrLatest(newRS: KubeObject | undefined, olds: readonly KubeObject[]): KubeObject | undefined {
  if (!newRS && olds.length === 0) return undefined;
  const sorted = [...olds].sort((a, b) => byCreation(b, a));
  const all = active(newRS ? [newRS, ...olds] : olds);
  if (all.length === 0) return newRS ?? sorted[0];
  return all.length === 1 ? all[0] : undefined;
}

/**
 * A resize while several ReplicaSets are active (upstream's proportional scaling): the
 * change is shared out in proportion to each one's size against the max-replicas it was
 * last sized for, and what rounding leaves over goes to the largest.
 */
export function proportionalPlan(d: KubeObject, sets: readonly KubeObject[], statusReplicas: number): Map<KubeObject, number> {
  const all = active(sets);
  const desired = replicasOf(d);
  const { surge } = fenceposts(d);
  const allowed = desired > 0 ? desired + surge : 0;
  const toAdd = allowed - sumReplicas(all);
  const plan = new Map<KubeObject, number>();
  if (toAdd === 0 || all.length === 0) return plan;
  // Bigger first; on equal size newer first when growing, older first when shrinking.
  const ordered = [...all].sort((a, b) => replicasOf(b) - replicasOf(a) || (toAdd > 0 ? byCreation(b, a) : byCreation(a, b)));
  let added = 0;
  for (const rs of ordered) {
    const p = proportion(rs, desired, surge, toAdd, added, statusReplicas);
    plan.set(rs, replicasOf(rs) + p);
    added += p;
  }
  const first = ordered[0]!;
  plan.set(first, Math.max(0, (plan.get(first) ?? 0) + toAdd - added));
  return plan;
}

function proportion(rs: KubeObject, desired: number, surge: number, toAdd: number, added: number, statusReplicas: number): number {
  if (replicasOf(rs) === 0 || toAdd === added) return 0;
  let fraction: number;
  if (desired === 0) fraction = -replicasOf(rs);
  else {
    const annotated = intAnnotation(rs, maxReplicasAnnotation) ?? statusReplicas;
    // Go's math.Round: halves away from zero (sizes are never negative here).
    fraction = annotated > 0 ? Math.round((replicasOf(rs) * (desired + surge)) / annotated) - replicasOf(rs) : 0;
  }
  const allowed = toAdd - added;
  return toAdd > 0 ? Math.min(fraction, allowed) : Math.max(fraction, allowed);
}
