/**
 * Node registration and heartbeats for every node of the cluster, one reconciler keyed
 * by node name. A pass registers the Node if it is missing, brings labels, the
 * control-plane taint and the status up to date when they differ (or when the report
 * interval has passed: the upstream kubelet posts an unchanged status every 5 minutes),
 * and renews the node's Lease in kube-node-lease — the frequent, cheap heartbeat.
 *
 * Lease renewals are staggered by node index across the renew interval so thousands of
 * nodes spread their writes evenly. The interval is 10 s (upstream) up to 1000 nodes and
 * grows with the node count to at most 20 s (5000 nodes: 250 writes/s), still well inside
 * the 40 s the node lifecycle controller waits before calling a node unreachable.
 */
import type { Reconciler, ReconcileResult } from '../../core/reconcile/index.js';
import { leases } from '../apiserver/resources/leases.js';
import { nodes } from '../apiserver/resources/nodes.js';
import { isObject, type JsonObject, type KubeObject } from '../apiserver/object.js';
import { StatusError } from '../apiserver/status.js';
import { parseTimestamp } from '../apiserver/time.js';
import type { ClusterContext } from '../controllers/context.js';
import type { NodeIdentity } from './node-identity.js';
import { conditionsOf, controlPlaneTaint, newBootId, nodeLabels, nodeSpec, nodeStatus } from './node-object.js';

export const leaseNamespace = 'kube-node-lease';
export const leaseDurationSeconds = 40;
export const nodeStatusReportMs = 5 * 60_000;

/** Renew interval for a cluster of n nodes (see the file comment). */
export const leaseRenewMs = (n: number): number => Math.min(20_000, Math.max(10_000, n * 4));

const microTime = (ms: number): string => new Date(ms).toISOString().replace(/Z$/, '000Z');

const isReason = (e: unknown, reason: string): boolean => e instanceof StatusError && e.status.reason === reason;

export class NodeHeartbeat implements Reconciler {
  readonly name = 'kubelet-node-heartbeat';
  private readonly byName: Map<string, NodeIdentity>;
  private readonly renewMs: number;
  private readonly bootIds = new Map<string, string>();
  private readonly nextRenew = new Map<string, number>();

  constructor(
    private readonly ctx: ClusterContext,
    identities: readonly NodeIdentity[],
    private readonly healthy: (name: string) => boolean,
  ) {
    this.byName = new Map(identities.map((n) => [n.name, n]));
    this.renewMs = leaseRenewMs(identities.length);
  }

  owns(name: string): boolean {
    return this.byName.has(name);
  }

  async reconcile(name: string): Promise<ReconcileResult> {
    const node = this.byName.get(name);
    if (!node || !this.healthy(name)) return {};
    const now = this.ctx.clock.now();
    let bootId = this.bootIds.get(name);
    if (!bootId) {
      bootId = newBootId(this.ctx.cluster, name, now);
      this.bootIds.set(name, bootId);
    }
    const stored = this.ctx.informers.forKind(nodes).get(this.ctx.registry.keys.key(nodes, undefined, name));
    if (!stored) await this.register(node, now, bootId);
    else await this.update(node, stored, now, bootId);
    const next = this.nextRenew.get(name);
    if (next === undefined || next <= now) {
      await this.renewLease(node, now);
      // After the first renewal each node falls into its own slot of the interval.
      const wait = next === undefined ? Math.ceil((this.renewMs * (node.index + 1)) / this.byName.size) : this.renewMs;
      this.nextRenew.set(name, now + wait);
      return { requeueAfterMs: wait };
    }
    return { requeueAfterMs: next - now };
  }

  private async register(node: NodeIdentity, now: number, bootId: string): Promise<void> {
    const body = {
      metadata: { name: node.name, labels: nodeLabels(node), annotations: { 'node.alpha.kubernetes.io/ttl': '0', 'volumes.kubernetes.io/controller-managed-attach-detach': 'true' } },
      spec: nodeSpec(node),
      status: nodeStatus(node, this.ctx.cluster, now, new Map(), bootId),
    };
    try {
      await this.ctx.registry.create(nodes, undefined, body);
    } catch (e) {
      if (!isReason(e, 'AlreadyExists')) throw e;
    }
  }

  private async update(node: NodeIdentity, stored: KubeObject, now: number, bootId: string): Promise<void> {
    const labels = nodeLabels(node);
    const have = stored.metadata.labels ?? {};
    const spec = isObject(stored.spec) ? stored.spec : {};
    const taints = Array.isArray(spec.taints) ? (spec.taints as JsonObject[]) : [];
    const wantTaint = node.group.role === 'control-plane' && !taints.some((t) => t.key === controlPlaneTaint.key && t.effect === controlPlaneTaint.effect);
    const labelsDiffer = Object.entries(labels).some(([k, v]) => have[k] !== v);
    if (labelsDiffer || wantTaint || spec.podCIDR !== node.podCIDR) {
      await this.ctx.registry.updateWith(nodes, undefined, node.name, (cur) => {
        const curSpec = isObject(cur.spec) ? cur.spec : {};
        const curTaints = Array.isArray(curSpec.taints) ? (curSpec.taints as JsonObject[]) : [];
        const mine = nodeSpec(node);
        const merged = [...curTaints, ...((mine.taints as JsonObject[] | undefined) ?? []).filter((t) => !curTaints.some((c) => c.key === t.key && c.effect === t.effect))];
        return {
          ...cur,
          metadata: { ...cur.metadata, labels: { ...(cur.metadata.labels ?? {}), ...labels } },
          spec: { ...curSpec, podCIDR: node.podCIDR, podCIDRs: [node.podCIDR], ...(merged.length ? { taints: merged } : {}) },
        };
      });
    }
    const conditions = conditionsOf(stored);
    const desired = nodeStatus(node, this.ctx.cluster, now, new Map(), bootId);
    const desiredConditions = desired.conditions as JsonObject[];
    const changed = desiredConditions.some((c) => conditions.get(String(c.type))?.status !== c.status);
    const heartbeat = parseTimestamp(conditions.get('Ready')?.lastHeartbeatTime) ?? 0;
    const storedStatus = isObject(stored.status) ? stored.status : {};
    const infoDiffers = JSON.stringify(storedStatus.capacity) !== JSON.stringify(desired.capacity) || JSON.stringify(storedStatus.addresses) !== JSON.stringify(desired.addresses);
    if (!changed && !infoDiffers && now - heartbeat < nodeStatusReportMs) return;
    await this.ctx.registry.updateWith(
      nodes,
      undefined,
      node.name,
      (cur) => {
        const curConditions = conditionsOf(cur);
        const transitions = new Map<string, string>();
        for (const c of desiredConditions) {
          const old = curConditions.get(String(c.type));
          if (old && old.status === c.status && typeof old.lastTransitionTime === 'string') transitions.set(String(c.type), old.lastTransitionTime);
        }
        const curStatus = isObject(cur.status) ? cur.status : {};
        return { ...cur, status: { ...curStatus, ...nodeStatus(node, this.ctx.cluster, now, transitions, bootId) } };
      },
      { subresource: 'status' },
    );
  }

  private async renewLease(node: NodeIdentity, now: number): Promise<void> {
    const renewTime = microTime(now);
    try {
      await this.ctx.registry.updateWith(leases, leaseNamespace, node.name, (cur) => ({
        ...cur,
        spec: { ...(isObject(cur.spec) ? cur.spec : {}), holderIdentity: node.name, leaseDurationSeconds, renewTime },
      }));
    } catch (e) {
      if (!isReason(e, 'NotFound')) throw e;
      const stored = this.ctx.informers.forKind(nodes).get(this.ctx.registry.keys.key(nodes, undefined, node.name));
      const owner = stored?.metadata.uid ? [{ apiVersion: 'v1', kind: 'Node', name: node.name, uid: stored.metadata.uid }] : undefined;
      try {
        await this.ctx.registry.create(leases, leaseNamespace, {
          metadata: { name: node.name, ...(owner ? { ownerReferences: owner } : {}) },
          spec: { holderIdentity: node.name, leaseDurationSeconds, renewTime },
        });
      } catch (err) {
        if (!isReason(err, 'AlreadyExists')) throw err;
      }
    }
  }
}
