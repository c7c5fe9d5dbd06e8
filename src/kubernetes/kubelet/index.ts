/**
 * The kubelets of one cluster: one reconciler per configured node, running the node's
 * pods through a runtime driver; the same driver answers logs, exec and metrics.
 */
import type { KubeNodeGroupConfig } from '../../core/config.js';
import type { Manager } from '../../core/reconcile/index.js';
import type { MetricsProvider } from '../apiserver/resources/metrics.js';
import { emptyMetrics } from '../apiserver/resources/metrics.js';
import type { ClusterContext } from '../controllers/context.js';
import { noRuntime, type RuntimeResolver } from '../runtime/index.js';

export interface NodeAgentsOptions {
  /** The cluster's node groups (config `kubernetes.nodes`). */
  nodes: readonly KubeNodeGroupConfig[];
}

export interface NodeAgents {
  register(manager: Manager, ctx: ClusterContext): void;
  /** For the API server's pods/log, exec, attach and portforward. */
  runtime: RuntimeResolver;
  /** For metrics.k8s.io. */
  metrics: MetricsProvider;
}

export function createNodeAgents(_opts: NodeAgentsOptions): NodeAgents {
  return { register: () => undefined, runtime: noRuntime, metrics: emptyMetrics };
}
