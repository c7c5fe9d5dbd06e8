/**
 * One scheduling decision: filter nodes (a sample of them in large clusters, as
 * upstream's percentageOfNodesToScore does), score the feasible ones, pick the best
 * (ties broken by a seeded random choice), or say why no node fits.
 */
import type { LabelSelector } from '../apimachinery/index.js';
import type { SchedulerCache } from './cache.js';
import type { Diagnosis } from './fit-error.js';
import { filterAffinity, prepareAffinity, scoreAffinity, type AffinityState } from './inter-pod-affinity.js';
import type { NodeInfo } from './node-info.js';
import { filterNodeAffinity, filterNodeName, filterPorts, filterResources, filterTaints, filterUnschedulable } from './node-filters.js';
import type { PodInfo } from './pod-info.js';
import {
  balancedAllocationScore,
  intolerableTaintsScore,
  leastAllocatedScore,
  normalize,
  preferredNodeAffinityScore,
  weights,
} from './scores.js';
import { filterSpread, normalizeSpread, prepareSpread, scoreSpread, type SpreadState } from './spread.js';
import type { FilterStatus } from './status.js';
import { TopologyDomains } from './topology.js';
import { seededRandom } from '../../core/random.js';

export interface Placement {
  node: NodeInfo;
  /** Nodes the filters ran on for this decision. */
  evaluated: number;
}

const minFeasibleNodesToFind = 100;
const minFeasiblePercentage = 5;

/** Upstream's adaptive sample size: 50% less 1% per 125 nodes, at least 5% and 100 nodes. */
export function numFeasibleNodesToFind(all: number): number {
  if (all < minFeasibleNodesToFind) return all;
  const percentage = Math.max(minFeasiblePercentage, 50 - Math.floor(all / 125));
  return Math.max(minFeasibleNodesToFind, Math.floor((all * percentage) / 100));
}

export class ScheduleAlgorithm {
  private nextStart = 0;
  private readonly random: () => number;
  private readonly topo: TopologyDomains;
  private feasible: NodeInfo[] = [];
  private total = new Float64Array(0);
  private part = new Float64Array(0);

  constructor(
    private readonly cache: SchedulerCache,
    /** The selector of the pod's owning controller, for default spreading. */
    private readonly defaultSelector: (pod: PodInfo) => LabelSelector | undefined,
    seed = 1,
  ) {
    this.random = seededRandom(seed);
    this.topo = new TopologyDomains(cache);
  }

  schedule(pod: PodInfo): Placement | Diagnosis {
    const nodes = this.cache.nodeOrder();
    const all = nodes.length;
    const diagnosis: Diagnosis = { numAllNodes: all, reasons: new Map(), unresolvableNodes: 0, resolvableNodes: 0, preemptNever: pod.preemptNever };
    if (all === 0) return diagnosis;
    const spread = prepareSpread(pod, this.cache, this.topo, this.defaultSelector(pod));
    const affinity = prepareAffinity(pod, this.cache, this.topo);
    const want = numFeasibleNodesToFind(all);
    // Filled from the start and never truncated: `length = 0` would drop the backing
    // store, and growing it again for every decision was most of what one allocated.
    const feasible = this.feasible;
    let found = 0;
    const start = this.nextStart % all;
    let processed = 0;
    for (; processed < all && found < want; processed++) {
      const node = nodes[(start + processed) % all]!;
      const rejected = this.filter(pod, node, spread, affinity);
      if (rejected === undefined) {
        if (found < feasible.length) feasible[found] = node;
        else feasible.push(node);
        found++;
        continue;
      }
      for (const r of rejected.reasons) diagnosis.reasons.set(r, (diagnosis.reasons.get(r) ?? 0) + 1);
      if (rejected.unresolvable) diagnosis.unresolvableNodes++;
      else diagnosis.resolvableNodes++;
    }
    this.nextStart = (start + processed) % all;
    if (found === 0) return diagnosis;
    if (found === 1) return { node: feasible[0]!, evaluated: processed };
    return { node: this.best(pod, feasible, found, spread, affinity), evaluated: processed };
  }

  /** The filters in upstream's order; the first to reject a node decides its reason. Cheap guards first: this runs for hundreds of nodes per pod. */
  private filter(pod: PodInfo, node: NodeInfo, spread: SpreadState | undefined, affinity: AffinityState | undefined): FilterStatus | undefined {
    let s: FilterStatus | undefined;
    if (node.unschedulable && (s = filterUnschedulable(pod, node))) return s;
    if (pod.nodeName !== '' && (s = filterNodeName(pod, node))) return s;
    if (node.taints.length > 0 && (s = filterTaints(pod, node))) return s;
    if ((pod.nodeSelector !== undefined || pod.requiredNodeTerms !== undefined) && (s = filterNodeAffinity(pod, node))) return s;
    if (pod.hostPorts.length > 0 && (s = filterPorts(pod, node))) return s;
    if ((s = filterResources(pod, node))) return s;
    if (spread && spread.hard.length > 0 && (s = filterSpread(spread, node))) return s;
    if (affinity && (s = filterAffinity(affinity, node))) return s;
    return undefined;
  }

  /** The best of the first `n` nodes of `feasible`. */
  private best(pod: PodInfo, feasible: readonly NodeInfo[], n: number, spread: SpreadState | undefined, affinity: AffinityState | undefined): NodeInfo {
    if (this.total.length < n) {
      this.total = new Float64Array(n * 2);
      this.part = new Float64Array(n * 2);
    }
    const total = this.total;
    const part = this.part;
    for (let i = 0; i < n; i++) {
      const node = feasible[i]!;
      total[i] = weights.resourcesFit * leastAllocatedScore(pod, node) + weights.balancedAllocation * balancedAllocationScore(pod, node);
    }
    if (pod.preferredNodeTerms.length > 0) {
      for (let i = 0; i < n; i++) part[i] = preferredNodeAffinityScore(pod, feasible[i]!);
      normalize(part, n, false);
      for (let i = 0; i < n; i++) total[i]! += weights.nodeAffinity * part[i]!;
    }
    let anyPreferNoSchedule = false;
    for (let i = 0; i < n; i++) {
      part[i] = intolerableTaintsScore(pod, feasible[i]!);
      if (part[i]! > 0) anyPreferNoSchedule = true;
    }
    // With no PreferNoSchedule taint anywhere every node scores the same: skip the sums.
    if (anyPreferNoSchedule) {
      normalize(part, n, true);
      for (let i = 0; i < n; i++) total[i]! += weights.taintToleration * part[i]!;
    }
    if (spread && spread.soft.length > 0) {
      scoreSpread(spread, feasible, n, part);
      normalizeSpread(part, n);
      for (let i = 0; i < n; i++) total[i]! += weights.topologySpread * part[i]!;
    }
    if (affinity && affinity.preferred.length > 0) {
      scoreAffinity(affinity, feasible, n, part);
      for (let i = 0; i < n; i++) total[i]! += weights.interPodAffinity * part[i]!;
    }
    // The highest score wins; among equals each is equally likely. One draw picks which of
    // the ties: a draw per tie (reservoir sampling) boxed a number on the heap for each.
    let top = total[0]!;
    let ties = 1;
    for (let i = 1; i < n; i++) {
      const t = total[i]!;
      if (t > top) {
        top = t;
        ties = 1;
      } else if (t === top) ties++;
    }
    let pick = ties === 1 ? 0 : Math.floor(this.random() * ties);
    for (let i = 0; i < n; i++) {
      if (total[i] !== top) continue;
      if (pick === 0) return feasible[i]!;
      pick--;
    }
    return feasible[0]!;
  }
}
