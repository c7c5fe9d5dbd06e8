/**
 * Which nodes a cluster's kubelets run, from the configured groups: names
 * `<prefix>-<i>`, zones round-robin, and for each a cluster-wide index from which its
 * addresses come deterministically — InternalIP from 10.0.0.0/16 and a /24 pod CIDR
 * from 10.64.0.0/10 (16 384 nodes; the Kubernetes limit is 5000).
 */
import type { KubeNodeGroupConfig } from '../../core/config.js';

export interface NodeIdentity {
  name: string;
  /** Position among all of the cluster's nodes (config order). */
  index: number;
  group: KubeNodeGroupConfig;
  zone: string;
  internalIP: string;
  podCIDR: string;
}

export const region = 'RegionOne';
export const maxNodes = 1 << 14;

const dotted = (n: number): string => [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');

/** 10.0.0.10 upward: the first addresses of the subnet stay for gateways. */
export function internalIPFor(index: number): string {
  return dotted(((10 << 24) >>> 0) + 10 + index);
}

export function podCIDRFor(index: number): string {
  if (index >= maxNodes) throw new Error(`node index ${index} is beyond the ${maxNodes} pod CIDRs of 10.64.0.0/10`);
  return `${dotted(((10 << 24) >>> 0) + (64 << 16) + (index << 8))}/24`;
}

export function nodeIdentities(groups: readonly KubeNodeGroupConfig[]): NodeIdentity[] {
  const out: NodeIdentity[] = [];
  for (const group of groups) {
    const zones = group.zones.length > 0 ? group.zones : ['nova'];
    for (let i = 0; i < group.count; i++) {
      const index = out.length;
      out.push({ name: `${group.prefix}-${i}`, index, group, zone: zones[i % zones.length]!, internalIP: internalIPFor(index), podCIDR: podCIDRFor(index) });
    }
  }
  return out;
}
