/**
 * Whether a node should run a DaemonSet's pod (upstream's NodeShouldRunDaemonPod): the
 * pod's nodeSelector and required node affinity must match the node, and every taint
 * with effect NoSchedule or NoExecute must be tolerated — counting the tolerations every
 * daemon pod gets automatically. An untolerated NoExecute taint also means a pod already
 * there must go.
 */
import { arrayAt, isObject, objectAt, stringAt, type JsonObject, type KubeObject } from '../../../apiserver/object.js';
import { matchesNodeSelector, requiredNodeTermsOf } from '../../../scheduler/node-affinity.js';
import { specOf } from '../shared/pod-state.js';

export interface Toleration {
  key?: string;
  operator?: string;
  value?: string;
  effect?: string;
}

export interface Taint {
  key: string;
  value?: string;
  effect: string;
}

/** The tolerations added to every daemon pod (upstream's AddOrUpdateDaemonPodTolerations). */
export function daemonTolerations(hostNetwork: boolean): Toleration[] {
  const t: Toleration[] = [
    { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute' },
    { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute' },
    { key: 'node.kubernetes.io/disk-pressure', operator: 'Exists', effect: 'NoSchedule' },
    { key: 'node.kubernetes.io/memory-pressure', operator: 'Exists', effect: 'NoSchedule' },
    { key: 'node.kubernetes.io/pid-pressure', operator: 'Exists', effect: 'NoSchedule' },
    { key: 'node.kubernetes.io/unschedulable', operator: 'Exists', effect: 'NoSchedule' },
  ];
  if (hostNetwork) t.push({ key: 'node.kubernetes.io/network-unavailable', operator: 'Exists', effect: 'NoSchedule' });
  return t;
}

/** The pod's tolerations plus the automatic ones it lacks. */
export function withDaemonTolerations(podSpec: JsonObject): Toleration[] {
  const own = (arrayAt(podSpec, 'tolerations') ?? []).filter(isObject) as Toleration[];
  const out = [...own];
  for (const t of daemonTolerations(podSpec.hostNetwork === true)) {
    if (!own.some((o) => o.key === t.key && o.effect === t.effect)) out.push(t);
  }
  return out;
}

export function tolerates(t: Toleration, taint: Taint): boolean {
  if (t.effect && t.effect !== taint.effect) return false;
  const op = t.operator ?? 'Equal';
  if (op === 'Exists') return !t.key || t.key === taint.key;
  return t.key === taint.key && (t.value ?? '') === (taint.value ?? '');
}

const taintsOf = (node: KubeObject): Taint[] => (arrayAt(specOf(node), 'taints') ?? []).filter(isObject) as unknown as Taint[];

/** nodeSelector and required node affinity (any term) both match, judged as the scheduler judges them. */
export function nodeMatches(podSpec: JsonObject, node: KubeObject): boolean {
  const nodeSelector = objectAt(podSpec, 'nodeSelector') as Record<string, string> | undefined;
  return matchesNodeSelector(nodeSelector, requiredNodeTermsOf(podSpec), { name: node.metadata.name ?? '', labels: node.metadata.labels ?? {} });
}

export interface Placement {
  shouldRun: boolean;
  shouldContinueRunning: boolean;
}

export function placement(podSpec: JsonObject, node: KubeObject): Placement {
  if (node.metadata.deletionTimestamp || !nodeMatches(podSpec, node)) return { shouldRun: false, shouldContinueRunning: false };
  const tolerations = withDaemonTolerations(podSpec);
  let shouldRun = true;
  let shouldContinueRunning = true;
  for (const taint of taintsOf(node)) {
    if (taint.effect !== 'NoSchedule' && taint.effect !== 'NoExecute') continue;
    if (tolerations.some((t) => tolerates(t, taint))) continue;
    shouldRun = false;
    if (taint.effect === 'NoExecute') shouldContinueRunning = false;
  }
  return { shouldRun, shouldContinueRunning };
}

/** The node a daemon pod is for: its nodeName, or the node its affinity pins it to. */
export function targetNode(pod: KubeObject): string | undefined {
  const spec = specOf(pod);
  const bound = stringAt(spec, 'nodeName');
  if (bound) return bound;
  for (const term of requiredNodeTermsOf(spec) ?? []) {
    for (const f of term.matchFields) if (f.key === 'metadata.name' && f.operator === 'In' && f.values.length === 1) return f.values[0];
  }
  return undefined;
}

/**
 * The daemon pod's spec pinned to one node the way upstream does it: required node
 * affinity replaced by matchFields metadata.name In [node] (the scheduler then binds it),
 * and the automatic tolerations added.
 */
export function pinToNode(podSpec: JsonObject, nodeName: string): void {
  const affinity = objectAt(podSpec, 'affinity') ?? {};
  const nodeAffinity = objectAt(affinity, 'nodeAffinity') ?? {};
  nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution = {
    nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: [nodeName] }] }],
  };
  affinity.nodeAffinity = nodeAffinity;
  podSpec.affinity = affinity;
  podSpec.tolerations = withDaemonTolerations(podSpec);
}
