/**
 * Which pods a ReplicaSet deletes first when it scales down (upstream's
 * ActivePodsWithRanks with logarithmic scale-down): the one that costs least to lose.
 *  1. unscheduled before scheduled;
 *  2. Pending before Unknown before Running;
 *  3. not ready before ready;
 *  4. lower controller.kubernetes.io/pod-deletion-cost first;
 *  5. more pods of the same owner on its node first (spreads what remains);
 *  6. ready more recently first — compared in log2 buckets of age, so pods that became
 *     ready seconds apart after a long time count as equally old;
 *  7. more container restarts first;
 *  8. created more recently first (log2 buckets likewise);
 * and ties broken by uid, which is as good as random.
 */
import type { KubeObject } from '../../../apiserver/object.js';
import { parseTimestamp } from '../../../apiserver/time.js';
import { isPodReady, nodeNameOf, podPhase, readySince, restartCount } from './pod-state.js';

export const deletionCostAnnotation = 'controller.kubernetes.io/pod-deletion-cost';

const phaseOrdinal: Record<string, number> = { Pending: 0, Unknown: 1, Running: 2 };

function deletionCost(pod: KubeObject): number {
  const v = Number(pod.metadata.annotations?.[deletionCostAnnotation] ?? 0);
  return Number.isFinite(v) ? v : 0;
}

/** log2 of the age in nanoseconds, as upstream buckets it; -1 for no age. */
function logBucket(ms: number | undefined, now: number): number {
  if (ms === undefined) return -1;
  const ns = (now - ms) * 1e6;
  return ns > 0 ? Math.floor(Math.log2(ns)) : -1;
}

/** Negative when `a` should be deleted before `b`. `rank` counts related pods on the same node. */
export function compareForDeletion(a: KubeObject, b: KubeObject, rank: (pod: KubeObject) => number, now: number): number {
  const na = nodeNameOf(a);
  const nb = nodeNameOf(b);
  if (na !== nb && (na === '' || nb === '')) return na === '' ? -1 : 1;
  const pa = phaseOrdinal[podPhase(a)] ?? 0;
  const pb = phaseOrdinal[podPhase(b)] ?? 0;
  if (pa !== pb) return pa - pb;
  const ra = isPodReady(a);
  const rb = isPodReady(b);
  if (ra !== rb) return ra ? 1 : -1;
  const ca = deletionCost(a);
  const cb = deletionCost(b);
  if (ca !== cb) return ca - cb;
  const ka = rank(a);
  const kb = rank(b);
  if (ka !== kb) return kb - ka;
  const uidOrder = (): number => ((a.metadata.uid ?? '') < (b.metadata.uid ?? '') ? -1 : 1);
  if (ra && rb) {
    const ta = readySince(a);
    const tb = readySince(b);
    if (ta !== tb) {
      const diff = logBucket(ta, now) - logBucket(tb, now);
      if (diff !== 0) return diff;
      return uidOrder();
    }
  }
  const sa = restartCount(a);
  const sb = restartCount(b);
  if (sa !== sb) return sb - sa;
  const ga = parseTimestamp(a.metadata.creationTimestamp);
  const gb = parseTimestamp(b.metadata.creationTimestamp);
  if (ga !== gb) {
    const diff = logBucket(ga, now) - logBucket(gb, now);
    if (diff !== 0) return diff;
  }
  return a.metadata.uid === b.metadata.uid ? 0 : uidOrder();
}

/**
 * The `count` pods to delete. Rank is the number of these pods sharing each pod's node,
 * so doubled-up nodes lose pods first.
 */
export function podsToDelete(pods: readonly KubeObject[], count: number, now: number): KubeObject[] {
  const perNode = new Map<string, number>();
  for (const p of pods) {
    const n = nodeNameOf(p);
    if (n) perNode.set(n, (perNode.get(n) ?? 0) + 1);
  }
  const rank = (p: KubeObject): number => perNode.get(nodeNameOf(p)) ?? 0;
  return [...pods].sort((a, b) => compareForDeletion(a, b, rank, now)).slice(0, count);
}
