/**
 * The node lifecycle controller: one key per node. It notices a kubelet gone silent
 * (neither Lease nor Ready heartbeat renewed within the grace period), marks the node's
 * conditions Unknown, keeps the condition taints in step (unreachable / not-ready and
 * their NoExecute twins, which the taint-eviction controller acts on), and marks the
 * node's pods not Ready as upstream's MarkPodsNotReady does, so Services stop sending
 * them traffic.
 */
import type { Informer, Reconciler, ReconcileResult } from '../../../../core/reconcile/index.js';
import { objectAt, type KubeObject } from '../../../apiserver/object.js';
import type { Registry } from '../../../apiserver/registry.js';
import { leases } from '../../../apiserver/resources/leases.js';
import { nodes } from '../../../apiserver/resources/nodes.js';
import { pods } from '../../../apiserver/resources/pods.js';
import { StatusError } from '../../../apiserver/status.js';
import { rfc3339 } from '../../../apiserver/time.js';
import type { EventRecorder } from '../../events.js';
import { conditionsOf, conditionStatus, isPodTerminal, withCondition } from '../conditions.js';
import { podsByNode } from '../indexes.js';
import { assessNode } from './node-health.js';

export const nodeLeaseNamespace = 'kube-node-lease';
/** kube-controller-manager's --node-monitor-grace-period. */
export const defaultNodeMonitorGracePeriodMs = 40_000;

const component = { component: 'node-controller' };

export interface NodeLifecycleOptions {
  registry: Registry;
  nodes: Informer<KubeObject>;
  leases: Informer<KubeObject>;
  /** Indexed by indexPodsByNode. */
  pods: Informer<KubeObject>;
  events: EventRecorder;
  now: () => number;
  gracePeriodMs?: number;
}

const isNotFound = (e: unknown): boolean => e instanceof StatusError && e.status.reason === 'NotFound';

export class NodeLifecycleController implements Reconciler {
  readonly name = 'node-lifecycle';
  private readonly grace: number;

  constructor(private readonly o: NodeLifecycleOptions) {
    this.grace = o.gracePeriodMs ?? defaultNodeMonitorGracePeriodMs;
  }

  /** Node events wake the node; lease events in kube-node-lease wake the node of the same name. */
  nodeKeys = (_key: string, node: KubeObject): string[] => [node.metadata.name ?? ''];
  leaseKeys = (_key: string, lease: KubeObject): string[] => (lease.metadata.namespace === nodeLeaseNamespace ? [lease.metadata.name ?? ''] : []);

  async reconcile(name: string): Promise<ReconcileResult> {
    const { registry } = this.o;
    const node = this.o.nodes.get(registry.keys.key(nodes, undefined, name));
    if (!node) return {};
    const lease = this.o.leases.get(registry.keys.key(leases, nodeLeaseNamespace, name));
    const now = this.o.now();
    const health = assessNode(node, lease, now, this.grace);
    try {
      if (health.conditions) {
        // Decide again on the fresh object: the kubelet may have posted in between.
        const written = await registry.updateWith(
          nodes,
          undefined,
          name,
          (current) => {
            const fresh = assessNode(current, lease, now, this.grace).conditions;
            return fresh ? { ...current, status: { ...(objectAt(current, 'status') ?? {}), conditions: fresh } } : current;
          },
          { subresource: 'status' },
        );
        if (health.readyBefore !== 'Unknown' && conditionStatus(written, 'Ready') === 'Unknown') {
          this.o.events.record(written, 'Normal', 'NodeNotReady', `Node ${name} status is now: NodeNotReady`, component);
        }
      }
      if (health.taints) {
        await registry.updateWith(nodes, undefined, name, (current) => {
          const fresh = assessNode(current, lease, now, this.grace);
          return fresh.taints ? { ...current, spec: { ...(objectAt(current, 'spec') ?? {}), taints: fresh.taints } } : current;
        });
      }
    } catch (e) {
      if (isNotFound(e)) return {};
      throw e;
    }
    if (health.ready !== '' && health.ready !== 'True') await this.markPodsNotReady(name, now);
    return health.recheckInMs === undefined ? {} : { requeueAfterMs: health.recheckInMs };
  }

  /** Every pod on the node whose Ready condition is not yet False becomes not Ready. */
  private async markPodsNotReady(nodeName: string, now: number): Promise<void> {
    const nowText = rfc3339(now);
    for (const pod of this.o.pods.byIndex(podsByNode, nodeName)) {
      if (isPodTerminal(pod) || conditionStatus(pod, 'Ready') === 'False') continue;
      try {
        const updated = await this.o.registry.updateWith(
          pods,
          pod.metadata.namespace,
          pod.metadata.name ?? '',
          (current) => {
            if (conditionStatus(current, 'Ready') === 'False') return current;
            const ready = conditionsOf(current).find((c) => c.type === 'Ready') ?? { type: 'Ready' };
            const conditions = withCondition(conditionsOf(current), { ...ready, status: 'False', lastProbeTime: null }, nowText);
            return { ...current, status: { ...(objectAt(current, 'status') ?? {}), conditions } };
          },
          { subresource: 'status' },
        );
        this.o.events.record(updated, 'Warning', 'NodeNotReady', 'Node is not ready', component);
      } catch (e) {
        if (!isNotFound(e)) throw e;
      }
    }
  }
}
