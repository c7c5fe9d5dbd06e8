/**
 * The filters that look at one node and the pod alone, in upstream's order:
 * NodeUnschedulable, NodeName, TaintToleration, NodeAffinity, NodePorts, NodeResourcesFit.
 */
import { matchesNodeSelector } from './node-affinity.js';
import type { NodeInfo, Taint } from './node-info.js';
import type { HostPort, PodInfo, Toleration } from './pod-info.js';
import { reasons, status, untoleratedTaint, type FilterStatus } from './status.js';

export const unschedulableTaintKey = 'node.kubernetes.io/unschedulable';

export function tolerates(t: Toleration, taint: Taint): boolean {
  if (t.effect !== '' && t.effect !== taint.effect) return false;
  if (t.key === '') return t.operator === 'Exists';
  if (t.key !== taint.key) return false;
  return t.operator === 'Exists' || t.value === taint.value;
}

export const toleratesAny = (tolerations: readonly Toleration[], taint: Taint): boolean => tolerations.some((t) => tolerates(t, taint));

export function filterUnschedulable(pod: PodInfo, node: NodeInfo): FilterStatus | undefined {
  if (!node.unschedulable) return undefined;
  return toleratesAny(pod.tolerations, { key: unschedulableTaintKey, value: '', effect: 'NoSchedule' }) ? undefined : status(reasons.unschedulable, true);
}

export function filterNodeName(pod: PodInfo, node: NodeInfo): FilterStatus | undefined {
  return pod.nodeName === '' || pod.nodeName === node.name ? undefined : status(reasons.nodeName, true);
}

/** NoSchedule and NoExecute taints must be tolerated; the first one that is not is reported. */
export function filterTaints(pod: PodInfo, node: NodeInfo): FilterStatus | undefined {
  for (const taint of node.taints) {
    if (taint.effect !== 'NoSchedule' && taint.effect !== 'NoExecute') continue;
    if (!toleratesAny(pod.tolerations, taint)) return status(untoleratedTaint(taint.key, taint.value), true);
  }
  return undefined;
}

// Scoring reads preferred terms through this module.
export { termMatchesNode } from './node-affinity.js';

/** nodeSelector and the required node affinity terms (any term) both hold. */
export function matchesNodeAffinity(pod: PodInfo, node: NodeInfo): boolean {
  return matchesNodeSelector(pod.nodeSelector, pod.requiredNodeTerms, node);
}

export function filterNodeAffinity(pod: PodInfo, node: NodeInfo): FilterStatus | undefined {
  return matchesNodeAffinity(pod, node) ? undefined : status(reasons.nodeAffinity, true);
}

const wildcard = '0.0.0.0';
const portsConflict = (a: HostPort, b: HostPort): boolean =>
  a.port === b.port && a.protocol === b.protocol && (a.ip === b.ip || a.ip === wildcard || b.ip === wildcard);

export function filterPorts(pod: PodInfo, node: NodeInfo): FilterStatus | undefined {
  if (pod.hostPorts.length === 0 || node.ports.length === 0) return undefined;
  for (const want of pod.hostPorts) for (const used of node.ports) if (portsConflict(want, used)) return status(reasons.nodePorts, false);
  return undefined;
}

/** Every resource the node lacks is a reason of its own ("Insufficient cpu", …). */
export function filterResources(pod: PodInfo, node: NodeInfo): FilterStatus | undefined {
  const r = pod.requests;
  const pods = node.pods.size + 1 > node.allocPods;
  const cpu = r.cpu > 0 && r.cpu > node.allocCpu - node.reqCpu;
  const memory = r.memory > 0 && r.memory > node.allocMemory - node.reqMemory;
  const ephemeral = r.ephemeral > 0 && r.ephemeral > node.allocEphemeral - node.reqEphemeral;
  if (!pods && !cpu && !memory && !ephemeral) return undefined;
  const list: string[] = [];
  if (pods) list.push(reasons.tooManyPods);
  if (cpu) list.push(reasons.cpu);
  if (memory) list.push(reasons.memory);
  if (ephemeral) list.push(reasons.ephemeral);
  return list.length === 1 ? status(list[0]!, false) : { reasons: list, unresolvable: false };
}
