/**
 * Why a node was rejected: the reasons the unschedulable message counts, and whether
 * preempting pods could ever help (upstream's Unschedulable versus
 * UnschedulableAndUnresolvable).
 */
export interface FilterStatus {
  reasons: readonly string[];
  /** True when removing pods from the node would not make it fit. */
  unresolvable: boolean;
}

const statuses = new Map<string, FilterStatus>();

/** One shared status per (reason, resolvability): rejecting a node allocates nothing. */
export function status(reason: string, unresolvable: boolean): FilterStatus {
  const key = `${unresolvable ? 'U' : 'R'}${reason}`;
  let s = statuses.get(key);
  if (!s) {
    s = { reasons: [reason], unresolvable };
    statuses.set(key, s);
  }
  return s;
}

export const reasons = {
  nodeName: "node(s) didn't match the requested node name",
  unschedulable: 'node(s) were unschedulable',
  nodeAffinity: "node(s) didn't match Pod's node affinity/selector",
  nodePorts: "node(s) didn't have free ports for the requested pod ports",
  tooManyPods: 'Too many pods',
  cpu: 'Insufficient cpu',
  memory: 'Insufficient memory',
  ephemeral: 'Insufficient ephemeral-storage',
  spread: "node(s) didn't match pod topology spread constraints",
  spreadMissingLabel: "node(s) didn't match pod topology spread constraints (missing required label)",
  affinity: "node(s) didn't match pod affinity rules",
  antiAffinity: "node(s) didn't match pod anti-affinity rules",
  existingAntiAffinity: "node(s) didn't satisfy existing pods anti-affinity rules",
} as const;

export const untoleratedTaint = (key: string, value: string): string => `node(s) had untolerated taint {${key}: ${value}}`;
