/**
 * Whether a node should run a DaemonSet's pod (upstream's NodeShouldRunDaemonPod): the
 * pod's nodeSelector and required node affinity must match the node, and every taint
 * with effect NoSchedule or NoExecute must be tolerated — counting the tolerations every
 * daemon pod gets automatically. An untolerated NoExecute taint also means a pod already
 * there must go.
 */
import { arrayAt, isObject, objectAt, stringAt, type JsonObject, type KubeObject } from '../../../apiserver/object.js';
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

/** One nodeSelectorTerm's expressions and fields against a node. */
function termMatches(term: JsonObject, node: KubeObject): boolean {
  const labels = node.metadata.labels ?? {};
  const exprs = (arrayAt(term, 'matchExpressions') ?? []).filter(isObject);
  const fields = (arrayAt(term, 'matchFields') ?? []).filter(isObject);
  if (exprs.length === 0 && fields.length === 0) return false;
  const check = (e: JsonObject, value: string | undefined): boolean => {
    const values = (arrayAt(e, 'values') ?? []).map(String);
    switch (e.operator) {
      case 'In':
        return value !== undefined && values.includes(value);
      case 'NotIn':
        return value === undefined || !values.includes(value);
      case 'Exists':
        return value !== undefined;
      case 'DoesNotExist':
        return value === undefined;
      case 'Gt':
      case 'Lt': {
        const n = Number(value);
        const v = Number(values[0]);
        if (value === undefined || !Number.isInteger(n) || !Number.isInteger(v)) return false;
        return e.operator === 'Gt' ? n > v : n < v;
      }
      default:
        return false;
    }
  };
  return exprs.every((e) => check(e, labels[String(e.key)])) && fields.every((f) => check(f, f.key === 'metadata.name' ? node.metadata.name : undefined));
}

/** nodeSelector and required node affinity (any term) both match. */
export function nodeMatches(podSpec: JsonObject, node: KubeObject): boolean {
  const labels = node.metadata.labels ?? {};
  const selector = objectAt(podSpec, 'nodeSelector') ?? {};
  if (!Object.entries(selector).every(([k, v]) => labels[k] === v)) return false;
  const required = objectAt(objectAt(objectAt(podSpec, 'affinity') ?? {}, 'nodeAffinity') ?? {}, 'requiredDuringSchedulingIgnoredDuringExecution');
  if (!required) return true;
  return (arrayAt(required, 'nodeSelectorTerms') ?? []).filter(isObject).some((t) => termMatches(t, node));
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
  const required = objectAt(objectAt(objectAt(spec, 'affinity') ?? {}, 'nodeAffinity') ?? {}, 'requiredDuringSchedulingIgnoredDuringExecution');
  for (const term of (arrayAt(required ?? {}, 'nodeSelectorTerms') ?? []).filter(isObject)) {
    for (const f of (arrayAt(term, 'matchFields') ?? []).filter(isObject)) {
      const values = arrayAt(f, 'values') ?? [];
      if (f.key === 'metadata.name' && f.operator === 'In' && values.length === 1) return String(values[0]);
    }
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
