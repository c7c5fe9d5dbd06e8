/**
 * What the node lifecycle controller decides for one node at one instant, as a pure
 * function (pkg/controller/nodelifecycle): whether the kubelet's heartbeats (its Lease in
 * kube-node-lease, or the Ready condition's lastHeartbeatTime) are older than the grace
 * period, the conditions that follow (Unknown, "Kubelet stopped posting node status."),
 * and the taints that mirror the conditions (TaintNodesByCondition and the NoExecute
 * taints that drive taint-based eviction).
 */
import { objectAt, stringAt, type JsonObject, type KubeObject } from '../../../apiserver/object.js';
import { rfc3339, parseTimestamp } from '../../../apiserver/time.js';
import { conditionsOf } from '../conditions.js';
import { notReadyTaintKey, sameTaint, taintsOf, unreachableTaintKey, unschedulableTaintKey, type Taint } from '../taints.js';

/** Conditions the controller marks Unknown when the kubelet goes silent (NetworkUnavailable is not the kubelet's). */
export const kubeletConditions = ['Ready', 'MemoryPressure', 'DiskPressure', 'PIDPressure'] as const;

/** Condition → the NoSchedule taint it brings while True (TaintNodesByCondition). */
const pressureTaints: Record<string, string> = {
  MemoryPressure: 'node.kubernetes.io/memory-pressure',
  DiskPressure: 'node.kubernetes.io/disk-pressure',
  PIDPressure: 'node.kubernetes.io/pid-pressure',
  NetworkUnavailable: 'node.kubernetes.io/network-unavailable',
};

/** Every taint key this controller owns: others' taints are never touched. */
const managedKeys = new Set([notReadyTaintKey, unreachableTaintKey, unschedulableTaintKey, ...Object.values(pressureTaints)]);

export const stoppedPostingReason = 'NodeStatusUnknown';
export const stoppedPostingMessage = 'Kubelet stopped posting node status.';
export const neverPostedReason = 'NodeStatusNeverUpdated';
export const neverPostedMessage = 'Kubelet never posted node status.';

export interface NodeHealth {
  /** The last heartbeat is older than the grace period. */
  stale: boolean;
  /** The status.conditions to write, or undefined when they stay as they are. */
  conditions: JsonObject[] | undefined;
  /** The spec.taints to write, or undefined when they stay as they are. */
  taints: Taint[] | undefined;
  /** The Ready status after the change ('' when the node has none yet). */
  ready: string;
  /** The Ready status before. */
  readyBefore: string;
  /** When to look again if nothing else changes (ms from now); undefined once stale. */
  recheckInMs: number | undefined;
}

/** The newest of the lease's renewTime, the Ready heartbeat and the node's creation. */
export function lastHeartbeat(node: KubeObject, lease: KubeObject | undefined): number {
  const ready = conditionsOf(node).find((c) => c.type === 'Ready');
  const times = [
    parseTimestamp(lease ? objectAt(lease, 'spec')?.renewTime : undefined),
    parseTimestamp(ready?.lastHeartbeatTime),
    parseTimestamp(node.metadata.creationTimestamp),
  ].filter((t): t is number => t !== undefined);
  return times.length ? Math.max(...times) : 0;
}

function staleConditions(node: KubeObject, nowText: string): JsonObject[] | undefined {
  const current = conditionsOf(node);
  let changed = false;
  const out = current.map((c) => ({ ...c }));
  for (const type of kubeletConditions) {
    const c = out.find((x) => x.type === type);
    if (!c) {
      changed = true;
      out.push({
        type,
        status: 'Unknown',
        lastHeartbeatTime: node.metadata.creationTimestamp ?? nowText,
        lastTransitionTime: nowText,
        reason: neverPostedReason,
        message: neverPostedMessage,
      });
    } else if (c.status !== 'Unknown') {
      changed = true;
      c.status = 'Unknown';
      c.reason = stoppedPostingReason;
      c.message = stoppedPostingMessage;
      c.lastTransitionTime = nowText;
    }
  }
  return changed ? out : undefined;
}

/** The controller-owned taints the conditions and spec.unschedulable call for. */
export function desiredTaints(node: KubeObject, conditions: readonly JsonObject[]): Taint[] {
  const status = (type: string): string | undefined => stringAt(conditions.find((c) => c.type === type) ?? {}, 'status');
  const out: Taint[] = [];
  const ready = status('Ready');
  const readyKey = ready === 'False' ? notReadyTaintKey : ready === 'Unknown' ? unreachableTaintKey : undefined;
  if (readyKey) out.push({ key: readyKey, effect: 'NoSchedule' }, { key: readyKey, effect: 'NoExecute' });
  for (const [type, key] of Object.entries(pressureTaints)) if (status(type) === 'True') out.push({ key, effect: 'NoSchedule' });
  if (objectAt(node, 'spec')?.unschedulable === true) out.push({ key: unschedulableTaintKey, effect: 'NoSchedule' });
  return out;
}

/** Keep others' taints and the wanted ones already there (their timeAdded too); add the missing ones stamped now. */
function reconcileTaints(current: readonly Taint[], wanted: readonly Taint[], nowText: string): Taint[] | undefined {
  const kept = current.filter((t) => !managedKeys.has(t.key) || wanted.some((w) => sameTaint(w, t)));
  const added = wanted.filter((w) => !current.some((t) => sameTaint(w, t))).map((w) => ({ ...w, timeAdded: nowText }));
  if (added.length === 0 && kept.length === current.length) return undefined;
  return [...kept, ...added];
}

export function assessNode(node: KubeObject, lease: KubeObject | undefined, now: number, gracePeriodMs: number): NodeHealth {
  const nowText = rfc3339(now);
  const sinceHeartbeat = now - lastHeartbeat(node, lease);
  const stale = sinceHeartbeat > gracePeriodMs;
  const readyBefore = stringAt(conditionsOf(node).find((c) => c.type === 'Ready') ?? {}, 'status') ?? '';
  const conditions = stale ? staleConditions(node, nowText) : undefined;
  const effective = conditions ?? conditionsOf(node);
  const taints = reconcileTaints(taintsOf(node), desiredTaints(node, effective), nowText);
  const ready = stringAt(effective.find((c) => c.type === 'Ready') ?? {}, 'status') ?? '';
  return { stale, conditions, taints, ready, readyBefore, recheckInMs: stale ? undefined : gracePeriodMs - sinceHeartbeat + 1 };
}
