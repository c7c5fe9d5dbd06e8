/**
 * PodTopologySpread: hard constraints (DoNotSchedule) filter, soft ones (ScheduleAnyway)
 * score. A pod that states no constraints gets upstream's system defaults — at most 3
 * skew per host and 5 per zone, soft — over the pods of its owning controller, which is
 * what spreads a Deployment's replicas across zones.
 */
import type { LabelSelector } from '../apimachinery/index.js';
import type { SchedulerCache } from './cache.js';
import { hostnameLabel, zoneLabel, type NodeInfo } from './node-info.js';
import { matchesNodeAffinity } from './node-filters.js';
import { selectorKey, type PodInfo, type SpreadConstraint } from './pod-info.js';
import { reasons, status, type FilterStatus } from './status.js';
import { minCount, TopologyDomains, type DomainCounts } from './topology.js';
import type { MatchCounter } from './match-counts.js';

interface Counted {
  c: SpreadConstraint;
  counter: MatchCounter;
  counts: DomainCounts;
  selfMatch: number;
  /** The global minimum the skew is measured from (hard constraints only). */
  min: number;
}

export interface SpreadState {
  hard: Counted[];
  soft: Counted[];
  /** Nodes lacking a constraint's key are out (stated constraints) or just unscored (defaults). */
  requireAll: boolean;
}

export function systemDefaultConstraints(namespace: string, selector: LabelSelector): SpreadConstraint[] {
  const groupKey = `${namespace}|${selectorKey(selector)}`;
  return [
    { maxSkew: 3, topologyKey: hostnameLabel, hard: false, minDomains: 1, selector, groupKey },
    { maxSkew: 5, topologyKey: zoneLabel, hard: false, minDomains: 1, selector, groupKey },
  ];
}

/**
 * The system defaults of an owner's pods, made once per selector and namespace: every
 * decision for a Deployment's pods asks for the same two constraints.
 */
const defaultsBySelector = new WeakMap<LabelSelector, Map<string, SpreadConstraint[]>>();
function defaultConstraints(namespace: string, selector: LabelSelector): SpreadConstraint[] {
  let byNamespace = defaultsBySelector.get(selector);
  if (!byNamespace) defaultsBySelector.set(selector, (byNamespace = new Map()));
  let constraints = byNamespace.get(namespace);
  if (!constraints) byNamespace.set(namespace, (constraints = systemDefaultConstraints(namespace, selector)));
  return constraints;
}

/** A namespace as the one-element set match counters take. */
const namespaceSets = new Map<string, ReadonlySet<string>>();
function namespaceSet(namespace: string): ReadonlySet<string> {
  let set = namespaceSets.get(namespace);
  if (!set) {
    if (namespaceSets.size >= 10_000) namespaceSets.clear();
    namespaceSets.set(namespace, (set = new Set([namespace])));
  }
  return set;
}

export function prepareSpread(pod: PodInfo, cache: SchedulerCache, topo: TopologyDomains, defaultSelector: LabelSelector | undefined): SpreadState | undefined {
  const stated = pod.spread.length > 0;
  const constraints = stated ? pod.spread : defaultSelector && !defaultSelector.isEmpty() ? defaultConstraints(pod.namespace, defaultSelector) : [];
  if (constraints.length === 0) return undefined;
  const namespaces = namespaceSet(pod.namespace);
  const keys = constraints.map((c) => c.topologyKey);
  // nodeAffinityPolicy Honor (the default): only nodes the pod could land on count.
  const honorsAffinity = pod.nodeSelector !== undefined || pod.requiredNodeTerms !== undefined;
  const eligible = (n: NodeInfo): boolean => (!stated || keys.every((k) => n.labels[k] !== undefined)) && (!honorsAffinity || matchesNodeAffinity(pod, n));
  const state: SpreadState = { hard: [], soft: [], requireAll: stated };
  for (const c of constraints) {
    const counter = cache.counters.counter(c.groupKey, namespaces, c.selector);
    const counts = topo.count(c.topologyKey, counter, stated || honorsAffinity ? eligible : undefined);
    const min = !c.hard || counts.size < c.minDomains ? 0 : minCount(counts);
    const entry = { c, counter, counts, selfMatch: c.selector.matches(pod.labels) ? 1 : 0, min };
    (c.hard ? state.hard : state.soft).push(entry);
  }
  return state;
}

export function filterSpread(state: SpreadState, node: NodeInfo): FilterStatus | undefined {
  for (const h of state.hard) {
    const id = TopologyDomains.idOf(h.counts.domains, node);
    if (id < 0) return status(reasons.spreadMissingLabel, true);
  }
  for (const h of state.hard) {
    const id = TopologyDomains.idOf(h.counts.domains, node);
    const skew = h.counts.counts[id]! + h.selfMatch - h.min;
    if (skew > h.c.maxSkew) return status(reasons.spread, false);
  }
  return undefined;
}

/**
 * Raw scores for the first n feasible nodes (lower is better before normalizing): each soft
 * constraint adds the matching pods in the node's domain, weighted by log(domains + 2).
 * Returns -1 for nodes that are not scored.
 */
export function scoreSpread(state: SpreadState, feasible: readonly NodeInfo[], n: number, out: Float64Array): void {
  if (state.soft.length === 0) {
    out.fill(0, 0, n);
    return;
  }
  const weights = state.soft.map((s) => {
    if (s.c.topologyKey === hostnameLabel) return Math.log(n + 2);
    const domains = s.counts.domains.values.length;
    const seen = new Uint8Array(domains);
    let size = 0;
    // Once every domain is seen (three zones: within the first few nodes) the rest cannot add one.
    for (let i = 0; i < n && size < domains; i++) {
      const id = TopologyDomains.idOf(s.counts.domains, feasible[i]!);
      if (id >= 0 && seen[id] === 0) {
        seen[id] = 1;
        size++;
      }
    }
    return Math.log(size + 2);
  });
  for (let i = 0; i < n; i++) {
    const node = feasible[i]!;
    let score = 0;
    let ignored = false;
    for (let j = 0; j < state.soft.length; j++) {
      const s = state.soft[j]!;
      const id = TopologyDomains.idOf(s.counts.domains, node);
      if (id < 0) {
        if (state.requireAll) ignored = true;
        continue;
      }
      const count = s.c.topologyKey === hostnameLabel ? s.counter.countAt(node.slot) : s.counts.counts[id]!;
      score += count * weights[j]! + (s.c.maxSkew - 1);
    }
    out[i] = ignored ? -1 : Math.round(score);
  }
}

/** Fewer matching pods is better: upstream's (max + min - s) / max scaled to 100. */
export function normalizeSpread(scores: Float64Array, n: number): void {
  let min = Number.MAX_SAFE_INTEGER;
  let max = 0;
  for (let i = 0; i < n; i++) {
    const s = scores[i]!;
    if (s < 0) continue;
    if (s < min) min = s;
    if (s > max) max = s;
  }
  for (let i = 0; i < n; i++) {
    const s = scores[i]!;
    if (s < 0) scores[i] = 0;
    else if (max === 0) scores[i] = 100;
    else scores[i] = Math.floor((100 * (max + min - s)) / max);
  }
}
