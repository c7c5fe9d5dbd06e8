/**
 * Counts, per node, the bound pods matching a (namespaces, label selector) pair: what
 * topology spreading and inter-pod affinity ask for every pod they schedule. A counter
 * is built once from the label index (or a scan, for selectors that pin no label) and
 * then kept current as pods come and go, so no scheduling decision scans all pods.
 */
import type { LabelSelector } from '../apimachinery/index.js';
import type { PodInfo } from './pod-info.js';
import type { KeyDomains } from './topology.js';

export class MatchCounter {
  /** Matching pods per node slot. */
  perNode: Int32Array;
  total = 0;
  /** Per-domain tallies for topology keys asked about, kept current by add(). */
  private readonly tallies = new Map<string, { domains: KeyDomains; counts: Int32Array }>();

  constructor(
    readonly key: string,
    /** undefined: every namespace. */
    readonly namespaces: ReadonlySet<string> | undefined,
    readonly selector: LabelSelector,
    slots: number,
  ) {
    this.perNode = new Int32Array(Math.max(16, slots));
  }

  matches(pod: PodInfo): boolean {
    return (this.namespaces === undefined || this.namespaces.has(pod.namespace)) && this.selector.matches(pod.labels);
  }

  add(slot: number, delta: number): void {
    if (slot >= this.perNode.length) {
      const grown = new Int32Array(Math.max(slot + 1, this.perNode.length * 2));
      grown.set(this.perNode);
      this.perNode = grown;
    }
    this.perNode[slot]! += delta;
    this.total += delta;
    for (const t of this.tallies.values()) {
      const id = slot < t.domains.ids.length ? t.domains.ids[slot]! : -1;
      if (id >= 0) t.counts[id]! += delta;
    }
  }

  /** Matching pods per domain of `domains`; rebuilt when the domains were (node labels changed). */
  domainCounts(domains: KeyDomains): Int32Array {
    const t = this.tallies.get(domains.key);
    if (t && t.domains === domains) return t.counts;
    const counts = new Int32Array(domains.values.length);
    const n = Math.min(domains.ids.length, this.perNode.length);
    for (let s = 0; s < n; s++) {
      const id = domains.ids[s]!;
      if (id >= 0) counts[id]! += this.perNode[s]!;
    }
    this.tallies.set(domains.key, { domains, counts });
    return counts;
  }

  countAt(slot: number): number {
    return slot < this.perNode.length ? this.perNode[slot]! : 0;
  }
}

/** The label pair a selector pins, if any: counters are indexed by it. */
export function anchorOf(selector: LabelSelector): string | undefined {
  for (const r of selector.requirements) {
    if (r.values.length === 1 && (r.operator === '=' || r.operator === '==' || r.operator === 'in')) return `${r.key}=${r.values[0]!}`;
  }
  return undefined;
}

export interface BoundPodSource {
  /** Bound pods carrying the label pair `k=v`. */
  podsWithLabel(pair: string): Iterable<PodInfo>;
  allBoundPods(): Iterable<PodInfo>;
  slotOf(pod: PodInfo): number | undefined;
  slotCount(): number;
}

export class MatchCounters {
  private readonly byKey = new Map<string, MatchCounter>();
  private readonly anchored = new Map<string, MatchCounter[]>();
  private readonly unanchored: MatchCounter[] = [];

  constructor(private readonly source: BoundPodSource) {}

  get size(): number {
    return this.byKey.size;
  }

  /** The counter for a selector, created (and filled) on first use. */
  counter(key: string, namespaces: ReadonlySet<string> | undefined, selector: LabelSelector): MatchCounter {
    let c = this.byKey.get(key);
    if (c) return c;
    c = new MatchCounter(key, namespaces, selector, this.source.slotCount());
    const anchor = anchorOf(selector);
    const candidates = anchor !== undefined ? this.source.podsWithLabel(anchor) : this.source.allBoundPods();
    for (const pod of candidates) {
      if (!c.matches(pod)) continue;
      const slot = this.source.slotOf(pod);
      if (slot !== undefined) c.add(slot, 1);
    }
    this.byKey.set(key, c);
    if (anchor === undefined) this.unanchored.push(c);
    else {
      const list = this.anchored.get(anchor);
      if (list) list.push(c);
      else this.anchored.set(anchor, [c]);
    }
    return c;
  }

  /** A pod was bound to (delta 1) or left (delta -1) the node in `slot`. */
  podChanged(pod: PodInfo, slot: number, delta: 1 | -1): void {
    for (const k in pod.labels) {
      const list = this.anchored.get(`${k}=${pod.labels[k]!}`);
      if (!list) continue;
      for (const c of list) if (c.matches(pod)) c.add(slot, delta);
    }
    for (const c of this.unanchored) if (c.matches(pod)) c.add(slot, delta);
  }
}
