/** Nodes and pods as the scheduler's informers would hand them over. */
import type { KubeObject } from '../../../../src/kubernetes/apiserver/object.js';
import { SchedulerCache } from '../../../../src/kubernetes/scheduler/cache.js';
import { podInfoFrom, type PodInfo } from '../../../../src/kubernetes/scheduler/pod-info.js';

export interface NodeOptions {
  zone?: string;
  cpu?: string;
  memory?: string;
  pods?: string;
  ephemeral?: string;
  labels?: Record<string, string>;
  taints?: { key: string; value?: string; effect: string }[];
  unschedulable?: boolean;
}

export function node(name: string, o: NodeOptions = {}): KubeObject {
  const alloc = { cpu: o.cpu ?? '4', memory: o.memory ?? '8Gi', pods: o.pods ?? '110', 'ephemeral-storage': o.ephemeral ?? '100Gi' };
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name, labels: { 'kubernetes.io/hostname': name, ...(o.zone ? { 'topology.kubernetes.io/zone': o.zone } : {}), ...(o.labels ?? {}) } },
    spec: { ...(o.taints ? { taints: o.taints } : {}), ...(o.unschedulable ? { unschedulable: true } : {}) },
    status: { allocatable: alloc, capacity: alloc },
  };
}

let created = 0;

export function pod(name: string, spec: Record<string, unknown> = {}, meta: Partial<KubeObject['metadata']> = {}): KubeObject {
  created++;
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default', uid: `uid-${name}`, creationTimestamp: new Date(Date.UTC(2026, 0, 1, 0, 0, created)).toISOString(), ...meta },
    spec: { containers: [{ name: 'c', image: 'nginx' }], ...spec },
    status: { phase: 'Pending' },
  };
}

export const requesting = (cpu: string, memory?: string): Record<string, unknown> => ({
  containers: [{ name: 'c', image: 'nginx', resources: { requests: { cpu, ...(memory ? { memory } : {}) } } }],
});

export const info = (p: KubeObject): PodInfo => podInfoFrom(p);

/** A cache holding these nodes and these pods bound as given (pod name → node name). */
export function cacheWith(nodes: KubeObject[], bound: [KubeObject, string][] = []): SchedulerCache {
  const cache = new SchedulerCache();
  for (const n of nodes) cache.upsertNode(n);
  for (const [p, nodeName] of bound) cache.addPod({ ...podInfoFrom(p), nodeName }, false);
  return cache;
}
