/** The scheduler of one cluster: binds pending pods to nodes. */
import type { Manager } from '../../core/reconcile/index.js';
import type { ClusterContext } from '../controllers/context.js';

export function registerScheduler(_manager: Manager, _ctx: ClusterContext): void {
  // Filled in by the scheduler implementation.
}
