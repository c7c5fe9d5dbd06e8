/**
 * What the scheduler needs to know about a pod, computed once per pod rather than once
 * per node it is tried on: its resource requests (summed the way kube-scheduler sums
 * them), host ports, tolerations, node and pod affinity, spread constraints.
 */
import { labelSelectorFromObject, type LabelSelector, type LabelSelectorSpec } from '../apimachinery/index.js';
import { arrayAt, isObject, numberAt, objectAt, stringAt, type JsonObject, type KubeObject } from '../apiserver/object.js';
import { parseQuantity } from '../apiserver/resources/quantity.js';
import { nodeSelectorTerm, requiredNodeTermsOf, type NodeSelectorTerm } from './node-affinity.js';

/** Requests in the units the filters compare: millicores, bytes, bytes. */
export interface Resources {
  cpu: number;
  memory: number;
  ephemeral: number;
}

export interface HostPort {
  protocol: string;
  ip: string;
  port: number;
}

export interface Toleration {
  key: string;
  operator: string;
  value: string;
  effect: string;
}

export interface PreferredNodeTerm {
  weight: number;
  term: NodeSelectorTerm;
}

/** A pod (anti-)affinity term with its namespaces resolved. */
export interface PodAffinityTerm {
  selector: LabelSelector;
  /** Namespaces whose pods count; undefined with namespaceSelector {} means all. */
  namespaces: ReadonlySet<string> | undefined;
  topologyKey: string;
  weight: number;
  /** A stable text of selector and namespaces: the key of its match counter. */
  groupKey: string;
}

export interface SpreadConstraint {
  maxSkew: number;
  topologyKey: string;
  hard: boolean;
  minDomains: number;
  selector: LabelSelector;
  groupKey: string;
}

export interface PodInfo {
  key: string;
  namespace: string;
  name: string;
  uid: string;
  labels: Readonly<Record<string, string>>;
  priority: number;
  createdAt: number;
  nodeName: string;
  schedulerName: string;
  preemptNever: boolean;
  requests: Resources;
  /** Requests with upstream's defaults for containers that name none: used by scores only. */
  nonZero: Resources;
  hostPorts: HostPort[];
  tolerations: Toleration[];
  nodeSelector: Readonly<Record<string, string>> | undefined;
  requiredNodeTerms: NodeSelectorTerm[] | undefined;
  preferredNodeTerms: PreferredNodeTerm[];
  requiredAffinity: PodAffinityTerm[];
  requiredAntiAffinity: PodAffinityTerm[];
  preferredAffinity: PodAffinityTerm[];
  preferredAntiAffinity: PodAffinityTerm[];
  /** Constraints the pod states; system defaults are added by the spread plugin. */
  spread: SpreadConstraint[];
  /** The controller owning the pod (kind/namespace/name), for default spreading. */
  controller: { kind: string; name: string } | undefined;
  terminal: boolean;
}

/** kube-scheduler's stand-ins for a container that requests nothing (scoring only). */
export const defaultMilliCpuRequest = 100;
export const defaultMemoryRequest = 200 * 1024 * 1024;

/** A selector's canonical text; the selector that matches nothing gets its own. */
export const selectorKey = (s: LabelSelector): string => (s.isEmpty() || s.toString() !== '' ? s.toString() : '\u2205');

const milli = (q: unknown): number => {
  const v = parseQuantity(q);
  // Quantity.MilliValue rounds up.
  return v === undefined ? 0 : Math.ceil(v * 1000 - 1e-9);
};
const whole = (q: unknown): number => {
  const v = parseQuantity(q);
  return v === undefined ? 0 : Math.ceil(v - 1e-9);
};

function containerRequests(c: JsonObject, nonZero: boolean): Resources {
  const req = objectAt(objectAt(c, 'resources') ?? {}, 'requests') ?? {};
  const cpu = req.cpu === undefined ? (nonZero ? defaultMilliCpuRequest : 0) : milli(req.cpu);
  const memory = req.memory === undefined ? (nonZero ? defaultMemoryRequest : 0) : whole(req.memory);
  return { cpu, memory, ephemeral: whole(req['ephemeral-storage']) };
}

const add = (a: Resources, b: Resources): void => {
  a.cpu += b.cpu;
  a.memory += b.memory;
  a.ephemeral += b.ephemeral;
};
const max = (a: Resources, b: Resources): void => {
  a.cpu = Math.max(a.cpu, b.cpu);
  a.memory = Math.max(a.memory, b.memory);
  a.ephemeral = Math.max(a.ephemeral, b.ephemeral);
};

/**
 * The pod's effective requests as upstream computes them: the sum over containers;
 * sidecar init containers (restartPolicy Always) run alongside and add to it; each plain
 * init container runs alone (beside the sidecars started before it), so the pod needs at
 * least the largest of those; then the runtime overhead on top.
 */
export function podRequests(spec: JsonObject, nonZero: boolean): Resources {
  const total: Resources = { cpu: 0, memory: 0, ephemeral: 0 };
  for (const c of arrayAt(spec, 'containers') ?? []) if (isObject(c)) add(total, containerRequests(c, nonZero));
  const sidecars: Resources = { cpu: 0, memory: 0, ephemeral: 0 };
  const initPeak: Resources = { cpu: 0, memory: 0, ephemeral: 0 };
  for (const c of arrayAt(spec, 'initContainers') ?? []) {
    if (!isObject(c)) continue;
    const r = containerRequests(c, nonZero);
    if (c.restartPolicy === 'Always') {
      add(total, r);
      add(sidecars, r);
      max(initPeak, sidecars);
    } else {
      add(r, sidecars);
      max(initPeak, r);
    }
  }
  max(total, initPeak);
  const overhead = objectAt(spec, 'overhead');
  if (overhead) add(total, { cpu: milli(overhead.cpu), memory: whole(overhead.memory), ephemeral: whole(overhead['ephemeral-storage']) });
  return total;
}

function hostPortsOf(spec: JsonObject): HostPort[] {
  const out: HostPort[] = [];
  for (const c of [...(arrayAt(spec, 'containers') ?? []), ...(arrayAt(spec, 'initContainers') ?? [])]) {
    if (!isObject(c)) continue;
    for (const p of arrayAt(c, 'ports') ?? []) {
      if (!isObject(p)) continue;
      const port = numberAt(p, 'hostPort') ?? 0;
      if (port <= 0) continue;
      out.push({ protocol: stringAt(p, 'protocol') ?? 'TCP', ip: stringAt(p, 'hostIP') || '0.0.0.0', port });
    }
  }
  return out;
}

function tolerationsOf(spec: JsonObject): Toleration[] {
  return (arrayAt(spec, 'tolerations') ?? []).filter(isObject).map((t) => ({
    key: stringAt(t, 'key') ?? '',
    operator: stringAt(t, 'operator') || 'Equal',
    value: stringAt(t, 'value') ?? '',
    effect: stringAt(t, 'effect') ?? '',
  }));
}

function affinityTerms(list: unknown[] | undefined, namespace: string, weighted: boolean): PodAffinityTerm[] {
  const out: PodAffinityTerm[] = [];
  for (const entry of list ?? []) {
    if (!isObject(entry)) continue;
    const term = weighted ? objectAt(entry, 'podAffinityTerm') : entry;
    if (!term) continue;
    const selectorSpec = objectAt(term, 'labelSelector');
    // A term without a selector matches no pod (upstream treats nil as "nothing").
    const selector = labelSelectorFromObject((selectorSpec ?? null) as LabelSelectorSpec | null);
    const listed = (arrayAt(term, 'namespaces') ?? []).filter((n): n is string => typeof n === 'string');
    const nsSelector = objectAt(term, 'namespaceSelector');
    // An empty namespaceSelector selects every namespace; other namespace selectors are
    // not evaluated here (they would need the namespaces' labels) and count as none.
    const all = nsSelector !== undefined && Object.keys(nsSelector).length === 0;
    const namespaces = all ? undefined : new Set(listed.length > 0 || nsSelector ? listed : [namespace]);
    const topologyKey = stringAt(term, 'topologyKey') ?? '';
    out.push({
      selector,
      namespaces,
      topologyKey,
      weight: weighted ? (numberAt(entry, 'weight') ?? 0) : 1,
      groupKey: `${namespaces ? [...namespaces].sort().join(',') : '*'}|${selectorKey(selector)}`,
    });
  }
  return out;
}

function spreadConstraints(spec: JsonObject, namespace: string, labels: Record<string, string>): SpreadConstraint[] {
  const out: SpreadConstraint[] = [];
  for (const c of arrayAt(spec, 'topologySpreadConstraints') ?? []) {
    if (!isObject(c)) continue;
    let selectorSpec = objectAt(c, 'labelSelector') as LabelSelectorSpec | undefined;
    const matchLabelKeys = (arrayAt(c, 'matchLabelKeys') ?? []).filter((k): k is string => typeof k === 'string');
    if (matchLabelKeys.length > 0) {
      // matchLabelKeys: the pod's own values for those keys join the selector.
      const extra = matchLabelKeys.filter((k) => labels[k] !== undefined).map((k) => ({ key: k, operator: 'In', values: [labels[k]!] }));
      selectorSpec = { ...(selectorSpec ?? {}), matchExpressions: [...(selectorSpec?.matchExpressions ?? []), ...extra] };
    }
    const selector = labelSelectorFromObject(selectorSpec ?? null);
    out.push({
      maxSkew: numberAt(c, 'maxSkew') ?? 1,
      topologyKey: stringAt(c, 'topologyKey') ?? '',
      hard: (stringAt(c, 'whenUnsatisfiable') ?? 'DoNotSchedule') === 'DoNotSchedule',
      minDomains: numberAt(c, 'minDomains') ?? 1,
      selector,
      groupKey: `${namespace}|${selectorKey(selector)}`,
    });
  }
  return out;
}

export function isTerminal(pod: KubeObject): boolean {
  const phase = stringAt(objectAt(pod, 'status') ?? {}, 'phase');
  return phase === 'Succeeded' || phase === 'Failed';
}

export function podKeyOf(pod: KubeObject): string {
  return `${pod.metadata.namespace ?? ''}/${pod.metadata.name ?? ''}`;
}

export function podInfoFrom(pod: KubeObject): PodInfo {
  const spec = objectAt(pod, 'spec') ?? {};
  const meta = pod.metadata;
  const namespace = meta.namespace ?? '';
  const labels = meta.labels ?? {};
  const affinity = objectAt(spec, 'affinity') ?? {};
  const nodeAffinity = objectAt(affinity, 'nodeAffinity') ?? {};
  const podAffinity = objectAt(affinity, 'podAffinity') ?? {};
  const podAntiAffinity = objectAt(affinity, 'podAntiAffinity') ?? {};
  const nodeSelector = objectAt(spec, 'nodeSelector') as Record<string, string> | undefined;
  const owner = (meta.ownerReferences ?? []).find((r) => r.controller === true);
  const created = Date.parse(meta.creationTimestamp ?? '');
  return {
    key: `${namespace}/${meta.name ?? ''}`,
    namespace,
    name: meta.name ?? '',
    uid: meta.uid ?? '',
    labels,
    priority: numberAt(spec, 'priority') ?? 0,
    createdAt: Number.isNaN(created) ? 0 : created,
    nodeName: stringAt(spec, 'nodeName') ?? '',
    schedulerName: stringAt(spec, 'schedulerName') ?? '',
    preemptNever: stringAt(spec, 'preemptionPolicy') === 'Never',
    requests: podRequests(spec, false),
    nonZero: podRequests(spec, true),
    hostPorts: hostPortsOf(spec),
    tolerations: tolerationsOf(spec),
    nodeSelector: nodeSelector && Object.keys(nodeSelector).length > 0 ? nodeSelector : undefined,
    requiredNodeTerms: requiredNodeTermsOf(spec),
    preferredNodeTerms: (arrayAt(nodeAffinity, 'preferredDuringSchedulingIgnoredDuringExecution') ?? []).filter(isObject).map((p) => ({
      weight: numberAt(p, 'weight') ?? 0,
      term: nodeSelectorTerm(objectAt(p, 'preference') ?? {}),
    })),
    requiredAffinity: affinityTerms(arrayAt(podAffinity, 'requiredDuringSchedulingIgnoredDuringExecution'), namespace, false),
    requiredAntiAffinity: affinityTerms(arrayAt(podAntiAffinity, 'requiredDuringSchedulingIgnoredDuringExecution'), namespace, false),
    preferredAffinity: affinityTerms(arrayAt(podAffinity, 'preferredDuringSchedulingIgnoredDuringExecution'), namespace, true),
    preferredAntiAffinity: affinityTerms(arrayAt(podAntiAffinity, 'preferredDuringSchedulingIgnoredDuringExecution'), namespace, true),
    spread: spreadConstraints(spec, namespace, labels),
    controller: owner ? { kind: owner.kind, name: owner.name } : undefined,
    terminal: isTerminal(pod),
  };
}

/** Whether a term's namespaces include the pod's and its selector its labels. */
export function termMatches(term: PodAffinityTerm, pod: Pick<PodInfo, 'namespace' | 'labels'>): boolean {
  return (term.namespaces === undefined || term.namespaces.has(pod.namespace)) && term.selector.matches(pod.labels);
}
