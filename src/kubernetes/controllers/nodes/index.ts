/** Node lifecycle, pod GC, PodDisruptionBudget status; ResourceQuota and LimitRange admission. */
import type { Manager } from '../../../core/reconcile/index.js';
import type { ClusterContext } from '../context.js';

export function registerNodeControllers(_manager: Manager, _ctx: ClusterContext): void {
  // Filled in by the controllers.
}
