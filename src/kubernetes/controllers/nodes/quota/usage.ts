/**
 * What one object counts against a ResourceQuota (the quota evaluators of
 * pkg/quota/v1/evaluator/core): pods their requests and limits and `pods` while not
 * finished; services their node ports and load balancers; claims their storage; every
 * kind its `count/<resource>`. Pure functions over one object.
 */
import { arrayAt, isObject, objectAt, stringAt, type JsonObject, type KubeObject } from '../../../apiserver/object.js';
import { amountOf } from '../quantity.js';

/** Resource name → amount; `binary` remembers which resources were written in Ki/Mi/Gi. */
export interface Usage {
  values: Map<string, number>;
  binary: Set<string>;
}

/** The scope class of a pod (BestEffort, Terminating) or 'other' for everything else. */
export interface ScopeFlags {
  pod: boolean;
  bestEffort: boolean;
  terminating: boolean;
}

export const notPod: ScopeFlags = { pod: false, bestEffort: false, terminating: false };

/** Kinds quota counts, by plural and group; `legacy` is the pre-`count/` name. */
export interface CountedKind {
  plural: string;
  group: string;
  legacy?: string;
}

export const countName = (k: CountedKind): string => `count/${k.group ? `${k.plural}.${k.group}` : k.plural}`;

const computeResources = ['cpu', 'memory', 'ephemeral-storage'];

export const emptyUsage = (): Usage => ({ values: new Map(), binary: new Set() });

function add(u: Usage, name: string, value: number, binary: boolean): void {
  u.values.set(name, (u.values.get(name) ?? 0) + value);
  if (binary) u.binary.add(name);
}

/** Sum of one resource list field over a container list, per resource name. */
function sumList(containers: readonly JsonObject[], field: 'requests' | 'limits'): Map<string, { value: number; binary: boolean }> {
  const out = new Map<string, { value: number; binary: boolean }>();
  for (const c of containers) {
    const list = objectAt(objectAt(c, 'resources') ?? {}, field) ?? {};
    for (const [name, q] of Object.entries(list)) {
      const a = amountOf(q);
      if (!a) continue;
      const prev = out.get(name);
      out.set(name, { value: (prev?.value ?? 0) + a.value, binary: prev?.binary ?? a.binary });
    }
  }
  return out;
}

/** The pod's effective requests or limits: containers summed, then raised to any single init container's (plus overhead). */
export function podResources(spec: JsonObject, field: 'requests' | 'limits'): Map<string, { value: number; binary: boolean }> {
  const total = sumList((arrayAt(spec, 'containers') ?? []).filter(isObject), field);
  for (const init of (arrayAt(spec, 'initContainers') ?? []).filter(isObject)) {
    for (const [name, a] of sumList([init], field)) {
      const cur = total.get(name);
      if (!cur || cur.value < a.value) total.set(name, { value: a.value, binary: cur?.binary ?? a.binary });
    }
  }
  for (const [name, q] of Object.entries(objectAt(spec, 'overhead') ?? {})) {
    const a = amountOf(q);
    if (!a) continue;
    const cur = total.get(name);
    if (cur) total.set(name, { value: cur.value + a.value, binary: cur.binary });
  }
  return total;
}

const isTerminal = (pod: KubeObject): boolean => {
  const phase = stringAt(objectAt(pod, 'status') ?? {}, 'phase');
  return phase === 'Succeeded' || phase === 'Failed';
};

export function podScope(pod: KubeObject): ScopeFlags {
  const spec = objectAt(pod, 'spec') ?? {};
  const containers = [...(arrayAt(spec, 'containers') ?? []), ...(arrayAt(spec, 'initContainers') ?? [])].filter(isObject);
  const bestEffort = containers.every((c) => {
    const res = objectAt(c, 'resources') ?? {};
    const has = (f: string): boolean => ['cpu', 'memory'].some((r) => objectAt(res, f)?.[r] !== undefined);
    return !has('requests') && !has('limits');
  });
  return { pod: true, bestEffort, terminating: typeof spec.activeDeadlineSeconds === 'number' && spec.activeDeadlineSeconds >= 0 };
}

export function podUsage(pod: KubeObject): Usage {
  const u = emptyUsage();
  // count/pods tracks every stored pod; the rest only pods still running or waiting to.
  add(u, 'count/pods', 1, false);
  if (isTerminal(pod)) return u;
  add(u, 'pods', 1, false);
  const spec = objectAt(pod, 'spec') ?? {};
  for (const [name, a] of podResources(spec, 'requests')) {
    add(u, `requests.${name}`, a.value, a.binary);
    if (computeResources.includes(name)) add(u, name, a.value, a.binary);
  }
  for (const [name, a] of podResources(spec, 'limits')) add(u, `limits.${name}`, a.value, a.binary);
  return u;
}

export function serviceUsage(svc: KubeObject): Usage {
  const u = emptyUsage();
  add(u, 'services', 1, false);
  add(u, 'count/services', 1, false);
  const spec = objectAt(svc, 'spec') ?? {};
  const type = stringAt(spec, 'type') ?? 'ClusterIP';
  const ports = (arrayAt(spec, 'ports') ?? []).length;
  if (type === 'NodePort') add(u, 'services.nodeports', ports, false);
  if (type === 'LoadBalancer') {
    add(u, 'services.loadbalancers', 1, false);
    if (spec.allocateLoadBalancerNodePorts !== false) add(u, 'services.nodeports', ports, false);
  }
  return u;
}

export function claimUsage(pvc: KubeObject): Usage {
  const u = emptyUsage();
  add(u, 'persistentvolumeclaims', 1, false);
  add(u, 'count/persistentvolumeclaims', 1, false);
  const spec = objectAt(pvc, 'spec') ?? {};
  const storage = amountOf(objectAt(objectAt(spec, 'resources') ?? {}, 'requests')?.storage);
  const cls = stringAt(spec, 'storageClassName');
  if (storage) add(u, 'requests.storage', storage.value, storage.binary);
  if (cls) {
    add(u, `${cls}.storageclass.storage.k8s.io/persistentvolumeclaims`, 1, false);
    if (storage) add(u, `${cls}.storageclass.storage.k8s.io/requests.storage`, storage.value, storage.binary);
  }
  return u;
}

export function countUsage(kind: CountedKind): Usage {
  const u = emptyUsage();
  add(u, countName(kind), 1, false);
  if (kind.legacy) add(u, kind.legacy, 1, false);
  return u;
}

/** Whether a quota scope list admits an object of these flags (scopes only ever select pods). */
export function scopesMatch(scopes: readonly string[], flags: ScopeFlags): boolean {
  return scopes.every((s) => {
    switch (s) {
      case 'BestEffort':
        return flags.pod && flags.bestEffort;
      case 'NotBestEffort':
        return flags.pod && !flags.bestEffort;
      case 'Terminating':
        return flags.pod && flags.terminating;
      case 'NotTerminating':
        return flags.pod && !flags.terminating;
      default:
        // PriorityClass and CrossNamespacePodAffinity need scopeSelector matching kos does not do yet.
        return false;
    }
  });
}

/** Resources a scoped quota may track: BestEffort quotas only count pods (upstream). */
export function scopeAllows(scopes: readonly string[], resource: string): boolean {
  if (scopes.length === 0) return true;
  if (scopes.includes('BestEffort')) return resource === 'pods' || resource === 'count/pods';
  return resource === 'pods' || resource === 'count/pods' || computeResources.includes(resource) || resource.startsWith('requests.') || resource.startsWith('limits.');
}
