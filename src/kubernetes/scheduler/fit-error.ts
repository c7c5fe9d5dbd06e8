/**
 * The message of a pod that fits nowhere, word for word as kube-scheduler writes it
 * (FitError.Error plus the DefaultPreemption post-filter's own FitError): reasons
 * counted over nodes, "<count> <reason>" strings sorted as strings, each part ending in
 * ". " — which is why upstream's message ends in "..". Preemption is not implemented:
 * nodes whose failure preemption could address are reported as having no victims,
 * which is what upstream says when no pod of lower priority is there to evict.
 */

export interface Diagnosis {
  numAllNodes: number;
  /** Reason → number of nodes that gave it. */
  reasons: Map<string, number>;
  /** Nodes rejected for reasons preemption cannot fix, and those it might. */
  unresolvableNodes: number;
  resolvableNodes: number;
  preemptNever: boolean;
}

const podDependentReasons = new Set<string>([
  "node(s) didn't match pod affinity rules",
  "node(s) didn't match pod anti-affinity rules",
  "node(s) didn't satisfy existing pods anti-affinity rules",
  "node(s) didn't match pod topology spread constraints",
]);

/** Whether some node failed for a reason another pod's placement can change. */
export const waitsForPods = (d: Diagnosis): boolean => [...d.reasons.keys()].some((r) => podDependentReasons.has(r));

export const noNodesAvailable = 'no nodes available to schedule pods';

function histogram(reasons: Map<string, number>): string {
  return [...reasons].map(([reason, n]) => `${n} ${reason}`).sort().join(', ');
}

function fitError(numAllNodes: number, reasons: Map<string, number>, postFilter: string | undefined): string {
  let msg = `0/${numAllNodes} nodes are available:`;
  const counted = histogram(reasons);
  if (counted !== '') msg += ` ${counted}.`;
  if (postFilter !== undefined) msg += ` ${postFilter}.`;
  return msg;
}

export function unschedulableMessage(d: Diagnosis): string {
  if (d.numAllNodes === 0) return noNodesAvailable;
  let preemption: string;
  if (d.preemptNever) preemption = 'preemption: not eligible due to preemptionPolicy=Never.';
  else {
    const outcome = new Map<string, number>();
    if (d.unresolvableNodes > 0) outcome.set('Preemption is not helpful for scheduling', d.unresolvableNodes);
    if (d.resolvableNodes > 0) outcome.set('No preemption victims found for incoming pod', d.resolvableNodes);
    preemption = `preemption: ${fitError(d.numAllNodes, outcome, undefined)}`;
  }
  return fitError(d.numAllNodes, d.reasons, preemption);
}
