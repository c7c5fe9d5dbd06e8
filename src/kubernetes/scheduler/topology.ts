/**
 * Topology domains: for a topology key, which domain (label value) each node is in,
 * numbered so that counting pods per domain is a loop over two typed arrays. Rebuilt
 * only when node labels change, not per decision.
 */
import type { SchedulerCache } from './cache.js';
import type { MatchCounter } from './match-counts.js';
import type { NodeInfo } from './node-info.js';

export interface KeyDomains {
  key: string;
  /** Domain id per node slot; -1 where the node is absent or lacks the key. */
  ids: Int32Array;
  values: string[];
}

export interface DomainCounts {
  domains: KeyDomains;
  /** Matching pods per domain id, over eligible nodes. */
  counts: Int32Array;
  /** 1 where some eligible node is in the domain; undefined: every domain has one. */
  exists: Uint8Array | undefined;
  /** How many domains exist among eligible nodes. */
  size: number;
}

/** The smallest count among existing domains (0 when none exist): O(domains), asked only by hard constraints. */
export function minCount(d: DomainCounts): number {
  let min = Number.MAX_SAFE_INTEGER;
  for (let i = 0; i < d.counts.length; i++) {
    if (d.exists && !d.exists[i]) continue;
    if (d.counts[i]! < min) min = d.counts[i]!;
  }
  return d.size === 0 ? 0 : min;
}

export class TopologyDomains {
  private version = -1;
  private readonly byKey = new Map<string, KeyDomains>();

  constructor(private readonly cache: SchedulerCache) {}

  forKey(key: string): KeyDomains {
    if (this.version !== this.cache.topologyVersion) {
      this.byKey.clear();
      this.version = this.cache.topologyVersion;
    }
    let d = this.byKey.get(key);
    if (d) return d;
    const slots = this.cache.allSlots();
    const ids = new Int32Array(slots.length).fill(-1);
    const values: string[] = [];
    const idOf = new Map<string, number>();
    for (const n of slots) {
      if (!n.present) continue;
      const v = n.labels[key];
      if (v === undefined) continue;
      let id = idOf.get(v);
      if (id === undefined) {
        id = values.length;
        values.push(v);
        idOf.set(v, id);
      }
      ids[n.slot] = id;
    }
    d = { key, ids, values };
    this.byKey.set(key, d);
    return d;
  }

  /** The domain id of a node for a key (-1: none). */
  static idOf(d: KeyDomains, node: NodeInfo): number {
    return node.slot < d.ids.length ? d.ids[node.slot]! : -1;
  }

  /**
   * Count a counter's pods per domain over nodes `eligible` accepts. Without a filter the
   * counter's own per-domain tally (kept current as pods come and go) is returned, so the
   * common case costs nothing per decision.
   */
  count(key: string, counter: MatchCounter, eligible?: (n: NodeInfo) => boolean): DomainCounts {
    const domains = this.forKey(key);
    if (!eligible) return { domains, counts: counter.domainCounts(domains), exists: undefined, size: domains.values.length };
    const counts = new Int32Array(domains.values.length);
    const exists = new Uint8Array(domains.values.length);
    const ids = domains.ids;
    const per = counter.perNode;
    const slots = this.cache.allSlots();
    const n = Math.min(ids.length, slots.length);
    for (let s = 0; s < n; s++) {
      const id = ids[s]!;
      if (id < 0) continue;
      if (!eligible(slots[s]!)) continue;
      exists[id] = 1;
      if (s < per.length) counts[id]! += per[s]!;
    }
    let size = 0;
    for (let i = 0; i < exists.length; i++) size += exists[i]!;
    return { domains, counts, exists, size };
  }
}
