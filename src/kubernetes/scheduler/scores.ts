/**
 * Node-local scores on upstream's 0..100 scale: NodeResourcesFit (LeastAllocated),
 * NodeResourcesBalancedAllocation, preferred node affinity and TaintToleration
 * (PreferNoSchedule), with upstream's normalizations.
 */
import type { NodeInfo } from './node-info.js';
import { termMatchesNode, toleratesAny } from './node-filters.js';
import type { PodInfo } from './pod-info.js';

export const maxNodeScore = 100;

const least = (requested: number, capacity: number): number =>
  capacity === 0 || requested > capacity ? 0 : Math.floor(((capacity - requested) * maxNodeScore) / capacity);

/** Free share of cpu and memory after placing the pod (defaults for unset requests), averaged. */
export function leastAllocatedScore(pod: PodInfo, node: NodeInfo): number {
  const cpu = least(node.nonZeroCpu + pod.nonZero.cpu, node.allocCpu);
  const memory = least(node.nonZeroMemory + pod.nonZero.memory, node.allocMemory);
  return Math.floor((cpu + memory) / 2);
}

/** How evenly cpu and memory would be used: 100 minus the spread of the two fractions. */
export function balancedAllocationScore(pod: PodInfo, node: NodeInfo): number {
  const cpu = node.allocCpu === 0 ? 0 : Math.min(1, (node.reqCpu + pod.requests.cpu) / node.allocCpu);
  const memory = node.allocMemory === 0 ? 0 : Math.min(1, (node.reqMemory + pod.requests.memory) / node.allocMemory);
  const std = Math.abs(cpu - memory) / 2;
  return Math.floor((1 - std) * maxNodeScore);
}

/** Sum of the weights of the preferred node-affinity terms the node matches (normalized later). */
export function preferredNodeAffinityScore(pod: PodInfo, node: NodeInfo): number {
  let s = 0;
  for (const p of pod.preferredNodeTerms) if (p.weight !== 0 && termMatchesNode(p.term, node)) s += p.weight;
  return s;
}

/** PreferNoSchedule taints the pod does not tolerate (fewer is better; normalized reversed). */
export function intolerableTaintsScore(pod: PodInfo, node: NodeInfo): number {
  let n = 0;
  for (const taint of node.taints) {
    if (taint.effect !== 'PreferNoSchedule') continue;
    const relevant = pod.tolerations.filter((t) => t.effect === '' || t.effect === 'PreferNoSchedule');
    if (!toleratesAny(relevant, taint)) n++;
  }
  return n;
}

/** Upstream's DefaultNormalizeScore: scale to 0..100 by the maximum, optionally reversed. */
export function normalize(scores: Float64Array, n: number, reverse: boolean): void {
  let max = 0;
  for (let i = 0; i < n; i++) if (scores[i]! > max) max = scores[i]!;
  if (max === 0) {
    if (reverse) scores.fill(maxNodeScore, 0, n);
    return;
  }
  for (let i = 0; i < n; i++) {
    const s = Math.floor((maxNodeScore * scores[i]!) / max);
    scores[i] = reverse ? maxNodeScore - s : s;
  }
}

/** Upstream's default plugin weights. */
export const weights = {
  taintToleration: 3,
  nodeAffinity: 2,
  resourcesFit: 1,
  balancedAllocation: 1,
  topologySpread: 2,
  interPodAffinity: 2,
} as const;
