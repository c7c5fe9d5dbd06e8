/**
 * InterPodAffinity: the incoming pod's required affinity and anti-affinity, the
 * required anti-affinity of pods already bound, and the incoming pod's preferred terms
 * as a score. Counts per topology domain come from the match counters.
 */
import type { SchedulerCache } from './cache.js';
import type { NodeInfo } from './node-info.js';
import { termMatches, type PodAffinityTerm, type PodInfo } from './pod-info.js';
import { reasons, status, type FilterStatus } from './status.js';
import { TopologyDomains, type DomainCounts } from './topology.js';

interface CountedTerm {
  term: PodAffinityTerm;
  counts: DomainCounts;
}

export interface AffinityState {
  affinity: CountedTerm[];
  /** No bound pod matches the affinity terms but the pod matches them itself: the first of a group may go anywhere. */
  firstOfGroup: boolean;
  anti: CountedTerm[];
  /** topologyKey → values where a bound pod's anti-affinity forbids this pod. */
  blocked: Map<string, Set<string>>;
  preferred: { counts: DomainCounts; weight: number }[];
}

function counted(term: PodAffinityTerm, cache: SchedulerCache, topo: TopologyDomains): CountedTerm {
  const counter = cache.counters.counter(term.groupKey, term.namespaces, term.selector);
  return { term, counts: topo.count(term.topologyKey, counter) };
}

export function prepareAffinity(pod: PodInfo, cache: SchedulerCache, topo: TopologyDomains): AffinityState | undefined {
  const hasOwn = pod.requiredAffinity.length + pod.requiredAntiAffinity.length + pod.preferredAffinity.length + pod.preferredAntiAffinity.length > 0;
  if (!hasOwn && cache.withRequiredAntiAffinity.size === 0) return undefined;
  const blocked = new Map<string, Set<string>>();
  for (const other of cache.withRequiredAntiAffinity) {
    const node = cache.pod(other.key)?.node;
    if (!node) continue;
    for (const t of other.requiredAntiAffinity) {
      if (!termMatches(t, pod)) continue;
      const v = node.labels[t.topologyKey];
      if (v === undefined) continue;
      let set = blocked.get(t.topologyKey);
      if (!set) blocked.set(t.topologyKey, (set = new Set()));
      set.add(v);
    }
  }
  const affinity = pod.requiredAffinity.map((t) => counted(t, cache, topo));
  const total = affinity.reduce((n, a) => n + a.counts.counts.reduce((x, y) => x + y, 0), 0);
  return {
    affinity,
    firstOfGroup: affinity.length > 0 && total === 0 && pod.requiredAffinity.every((t) => termMatches(t, pod)),
    anti: pod.requiredAntiAffinity.map((t) => counted(t, cache, topo)),
    blocked,
    preferred: [
      ...pod.preferredAffinity.map((t) => ({ counts: counted(t, cache, topo).counts, weight: t.weight })),
      ...pod.preferredAntiAffinity.map((t) => ({ counts: counted(t, cache, topo).counts, weight: -t.weight })),
    ],
  };
}

export function filterAffinity(state: AffinityState, node: NodeInfo): FilterStatus | undefined {
  let podsExist = true;
  for (const a of state.affinity) {
    const id = TopologyDomains.idOf(a.counts.domains, node);
    if (id < 0) return status(reasons.affinity, true);
    if (a.counts.counts[id]! <= 0) podsExist = false;
  }
  if (!podsExist && !state.firstOfGroup) return status(reasons.affinity, true);
  for (const a of state.anti) {
    const id = TopologyDomains.idOf(a.counts.domains, node);
    if (id >= 0 && a.counts.counts[id]! > 0) return status(reasons.antiAffinity, false);
  }
  for (const [key, values] of state.blocked) {
    const v = node.labels[key];
    if (v !== undefined && values.has(v)) return status(reasons.existingAntiAffinity, false);
  }
  return undefined;
}

/** Weighted matching pods in the domains of the first n feasible nodes, scaled min..max to 0..100. */
export function scoreAffinity(state: AffinityState, feasible: readonly NodeInfo[], n: number, out: Float64Array): void {
  let min = Number.MAX_SAFE_INTEGER;
  let max = Number.MIN_SAFE_INTEGER;
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (const p of state.preferred) {
      const id = TopologyDomains.idOf(p.counts.domains, feasible[i]!);
      if (id >= 0) s += p.weight * p.counts.counts[id]!;
    }
    out[i] = s;
    if (s < min) min = s;
    if (s > max) max = s;
  }
  const diff = max - min;
  for (let i = 0; i < n; i++) out[i] = diff > 0 ? Math.floor((100 * (out[i]! - min)) / diff) : 0;
}
