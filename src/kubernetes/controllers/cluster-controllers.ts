/**
 * Which controllers a cluster runs beyond the garbage collector and the namespace
 * controller, in one place for both ways of running them: beside the API server, or on
 * a thread of their own (thread/), where the API server keeps only the admission
 * plugins its own writes need and the kubelets.
 */
import { registerScheduler } from '../scheduler/index.js';
import type { RegisterControllers } from './context.js';
import { addLimitsAndQuotaAdmission, registerNodeControllers } from './nodes/index.js';
import { addServiceAllocationAdmission, serviceControllers } from './services/index.js';
import { registerWorkloadControllers } from './workloads/index.js';

export interface ClusterControllerOptions {
  /** The cluster CA certificate (PEM), published as `kube-root-ca.crt`. */
  caPem?: string;
  /** The API server's port once it listens. */
  apiServerPort?: () => number | undefined;
}

/** Node lifecycle, services, workloads and the scheduler. */
export function clusterControllers(opts: ClusterControllerOptions): RegisterControllers[] {
  return [registerNodeControllers, serviceControllers(opts), registerWorkloadControllers, registerScheduler];
}

/**
 * The admission plugins that live with those controllers (LimitRanger, ResourceQuota,
 * Service allocation), for an API server whose controllers run elsewhere: requests it
 * serves itself must be admitted as the controllers' own writes are.
 */
export const apiServerAdmission: RegisterControllers = (manager, ctx) => {
  addLimitsAndQuotaAdmission(ctx, { onDemand: true });
  addServiceAllocationAdmission(manager, ctx);
};
