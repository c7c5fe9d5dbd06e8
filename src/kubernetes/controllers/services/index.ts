/** Job, CronJob, Endpoints, EndpointSlice and ServiceAccount controllers; Service IP allocation. */
import type { Manager } from '../../../core/reconcile/index.js';
import type { ClusterContext } from '../context.js';

export function registerServiceControllers(_manager: Manager, _ctx: ClusterContext): void {
  // Filled in by the controllers.
}
