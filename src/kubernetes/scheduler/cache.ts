/**
 * The scheduler's cache: every node and the pods bound (or assumed bound) to each, fed
 * incrementally by the informers. "Assumed" pods are the ones this scheduler has just
 * chosen a node for and is still binding: they count on their node at once, so the next
 * decision does not double-book resources the informer has not reported yet.
 */
import type { KubeObject } from '../apiserver/object.js';
import { MatchCounters, type BoundPodSource } from './match-counts.js';
import { NodeInfo } from './node-info.js';
import type { PodInfo } from './pod-info.js';

interface CachedPod {
  info: PodInfo;
  node: NodeInfo;
  assumed: boolean;
}

export class SchedulerCache implements BoundPodSource {
  private readonly nodes = new Map<string, NodeInfo>();
  private readonly slots: NodeInfo[] = [];
  private readonly pods = new Map<string, CachedPod>();
  private readonly byLabel = new Map<string, Set<PodInfo>>();
  /** Bound pods with required anti-affinity: every incoming pod must respect them. */
  readonly withRequiredAntiAffinity = new Set<PodInfo>();
  readonly counters = new MatchCounters(this);
  /** Bumped whenever a node's labels or presence change: topology domains are rebuilt then. */
  topologyVersion = 0;
  private order: NodeInfo[] = [];
  private orderDirty = true;
  private present = 0;

  /** Add or refresh a node; true when something a filter reads changed. */
  upsertNode(node: KubeObject): boolean {
    const info = this.slotFor(node.metadata.name ?? '');
    const wasPresent = info.present;
    const oldZone = info.zone;
    const oldLabels = info.labels;
    const changed = info.setNode(node);
    if (!wasPresent) this.present++;
    if (!wasPresent || !sameLabels(oldLabels, info.labels)) this.topologyVersion++;
    if (!wasPresent || oldZone !== info.zone) this.orderDirty = true;
    return changed;
  }

  removeNode(name: string): void {
    const info = this.nodes.get(name);
    if (!info?.present) return;
    info.present = false;
    this.present--;
    this.orderDirty = true;
    this.topologyVersion++;
  }

  node(name: string): NodeInfo | undefined {
    return this.nodes.get(name);
  }

  /** Every node slot, present or not, indexed by slot. */
  allSlots(): readonly NodeInfo[] {
    return this.slots;
  }

  nodeCount(): number {
    return this.present;
  }

  /**
   * Present nodes, zones interleaved (a node of az1, of az2, of az3, then the next of
   * each), as upstream's node tree lists them: a sample of consecutive nodes from any
   * start then covers every zone.
   */
  nodeOrder(): readonly NodeInfo[] {
    if (!this.orderDirty) return this.order;
    const byZone = new Map<string, NodeInfo[]>();
    for (const n of this.slots) {
      if (!n.present) continue;
      const list = byZone.get(n.zone);
      if (list) list.push(n);
      else byZone.set(n.zone, [n]);
    }
    const zones = [...byZone.values()];
    const order: NodeInfo[] = [];
    for (let i = 0; order.length < this.present; i++) {
      for (const list of zones) {
        const n = list[i];
        if (n) order.push(n);
      }
    }
    this.order = order;
    this.orderDirty = false;
    return order;
  }

  /** The cached entry of a pod bound or assumed: its info and node. */
  pod(key: string): { info: PodInfo; node: NodeInfo; assumed: boolean } | undefined {
    return this.pods.get(key);
  }

  /**
   * Record a pod bound to info.nodeName (or assumed there). An assumed pod confirmed by
   * the informer is replaced by the stored one; a pod moved elsewhere leaves its old node.
   */
  addPod(info: PodInfo, assumed: boolean): void {
    const existing = this.pods.get(info.key);
    if (existing) {
      if (existing.node.name === info.nodeName && existing.info.uid === info.uid && sameLabels(existing.info.labels, info.labels) && !assumed) {
        existing.assumed = false;
        return;
      }
      this.removePod(info.key);
    }
    const node = this.slotFor(info.nodeName);
    node.addPod(info);
    this.pods.set(info.key, { info, node, assumed });
    for (const k in info.labels) {
      const pair = `${k}=${info.labels[k]!}`;
      const set = this.byLabel.get(pair);
      if (set) set.add(info);
      else this.byLabel.set(pair, new Set([info]));
    }
    if (info.requiredAntiAffinity.length > 0) this.withRequiredAntiAffinity.add(info);
    this.counters.podChanged(info, node.slot, 1);
  }

  /** Forget a pod (deleted, finished, or an assumption whose binding failed). */
  removePod(key: string): PodInfo | undefined {
    const entry = this.pods.get(key);
    if (!entry) return undefined;
    this.pods.delete(key);
    entry.node.removePod(entry.info);
    for (const k in entry.info.labels) {
      const pair = `${k}=${entry.info.labels[k]!}`;
      const set = this.byLabel.get(pair);
      set?.delete(entry.info);
      if (set?.size === 0) this.byLabel.delete(pair);
    }
    this.withRequiredAntiAffinity.delete(entry.info);
    this.counters.podChanged(entry.info, entry.node.slot, -1);
    return entry.info;
  }

  boundPodCount(): number {
    return this.pods.size;
  }

  // BoundPodSource, for the match counters.
  podsWithLabel(pair: string): Iterable<PodInfo> {
    return this.byLabel.get(pair) ?? [];
  }

  *allBoundPods(): Iterable<PodInfo> {
    for (const e of this.pods.values()) yield e.info;
  }

  slotOf(pod: PodInfo): number | undefined {
    return this.pods.get(pod.key)?.node.slot;
  }

  slotCount(): number {
    return this.slots.length;
  }

  private slotFor(name: string): NodeInfo {
    let info = this.nodes.get(name);
    if (!info) {
      info = new NodeInfo(this.slots.length, name);
      this.slots.push(info);
      this.nodes.set(name, info);
    }
    return info;
  }
}

function sameLabels(a: Readonly<Record<string, string>>, b: Readonly<Record<string, string>>): boolean {
  if (a === b) return true;
  const ka = Object.keys(a);
  if (ka.length !== Object.keys(b).length) return false;
  return ka.every((k) => a[k] === b[k]);
}
