/** Deployment, ReplicaSet, StatefulSet and DaemonSet controllers. */
import type { Manager } from '../../../core/reconcile/index.js';
import type { ClusterContext } from '../context.js';

export function registerWorkloadControllers(_manager: Manager, _ctx: ClusterContext): void {
  // Filled in by the workload controllers.
}
