/**
 * Whether a pod may stay on a node with NoExecute taints (pkg/controller/tainteviction):
 * a taint the pod does not tolerate evicts it at once; otherwise it stays for the
 * smallest tolerationSeconds among the tolerations in use (forever if none sets one),
 * counted from when its stay became conditional.
 */
import { parseTimestamp } from '../../../apiserver/time.js';
import { tolerates, type Taint, type Toleration } from '../taints.js';

export type EvictionDecision = { action: 'stay' } | { action: 'evict' } | { action: 'wait'; untilMs: number };

/** The smallest tolerationSeconds of the tolerations matching the taints, in ms; undefined means forever. */
export function minTolerationMs(taints: readonly Taint[], tolerations: readonly Toleration[]): number | undefined {
  let min: number | undefined;
  for (const t of tolerations) {
    if (!taints.some((taint) => tolerates(t, taint))) continue;
    if (t.tolerationSeconds === undefined) continue;
    const ms = Math.max(0, t.tolerationSeconds) * 1000;
    min = min === undefined ? ms : Math.min(min, ms);
  }
  return min;
}

/**
 * `since` is when the pod's conditional stay began: the oldest NoExecute taint's
 * timeAdded, or later if the pod arrived later (the caller decides).
 */
export function decideEviction(noExecute: readonly Taint[], tolerations: readonly Toleration[], since: number, now: number): EvictionDecision {
  if (noExecute.length === 0) return { action: 'stay' };
  if (!noExecute.every((taint) => tolerations.some((t) => tolerates(t, taint)))) return { action: 'evict' };
  const ms = minTolerationMs(noExecute, tolerations);
  if (ms === undefined) return { action: 'stay' };
  const until = since + ms;
  return now >= until ? { action: 'evict' } : { action: 'wait', untilMs: until };
}

/** The start of the stay: the oldest stamped taint, never before the pod existed. Undefined when no taint is stamped. */
export function stayStart(noExecute: readonly Taint[], podCreated: number | undefined): number | undefined {
  const stamps = noExecute.map((t) => parseTimestamp(t.timeAdded)).filter((t): t is number => t !== undefined);
  if (stamps.length === 0) return undefined;
  return Math.max(Math.min(...stamps), podCreated ?? 0);
}
