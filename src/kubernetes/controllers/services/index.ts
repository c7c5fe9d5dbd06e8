/**
 * Job, CronJob, Endpoints, EndpointSlice controllers, Service cluster IP and node port
 * allocation (an admission plugin), the `kubernetes` Service, and the `kube-root-ca.crt`
 * ConfigMap of every namespace. The `default` ServiceAccount of every namespace is the
 * API server's (apiserver/authn/default-service-account.ts), not repeated here.
 */
import { fromInformer, type Manager } from '../../../core/reconcile/index.js';
import { configmaps } from '../../apiserver/resources/configmaps.js';
import { cronjobs } from '../../apiserver/resources/cronjobs.js';
import { endpoints } from '../../apiserver/resources/endpoints.js';
import { endpointslices } from '../../apiserver/resources/endpointslices.js';
import { namespaces } from '../../apiserver/resources/index.js';
import { jobs } from '../../apiserver/resources/jobs.js';
import { nodes } from '../../apiserver/resources/nodes.js';
import { pods } from '../../apiserver/resources/pods.js';
import { services } from '../../apiserver/resources/services.js';
import type { ClusterContext, RegisterControllers } from '../context.js';
import { AdmissionPluginSource } from './allocation/admission-source.js';
import { ServiceAllocationAdmission } from './allocation/service-admission.js';
import { ServiceAllocations } from './allocation/service-allocations.js';
import { KubernetesServiceReconciler, kubernetesServiceKey } from './cluster-objects/kubernetes-service.js';
import { RootCaPublisher } from './cluster-objects/root-ca.js';
import { CronJobReconciler } from './cronjob/reconciler.js';
import { EndpointsReconciler } from './endpoints/endpoints-reconciler.js';
import { EndpointSliceReconciler } from './endpoints/endpointslice-reconciler.js';
import { ServicePods } from './endpoints/service-pods.js';
import { keyOf, ownKey } from './indexes.js';
import { JobReconciler } from './job/reconciler.js';

export interface ServiceControllerOptions {
  /** The cluster CA certificate (PEM) published as `kube-root-ca.crt`; without it no ConfigMap is written. */
  caPem?: string;
  /** The API server's port once it listens: the `kubernetes` Service's targetPort (6443 until known). */
  apiServerPort?: () => number | undefined;
  /** Service cluster IP range (default 10.96.0.0/12). */
  serviceCidr?: string;
  /** Node port range (default 30000-32767). */
  nodePortRange?: { min: number; max: number };
}

/** The controllers with options the cluster knows (its CA, its port). */
export function serviceControllers(opts: ServiceControllerOptions = {}): RegisterControllers {
  return (manager, ctx) => {
    const servicesInformer = ctx.informers.forKind(services);
    const podsInformer = ctx.informers.forKind(pods);
    const now = (): number => ctx.clock.now();

    const allocations = addServiceAllocationAdmission(manager, ctx, opts);

    const kubernetesService = new KubernetesServiceReconciler(ctx.registry, { clusterIP: allocations.firstIP(), ...(opts.apiServerPort ? { apiServerPort: opts.apiServerPort } : {}) });
    const kubeKeys = KubernetesServiceReconciler.keysFor;
    manager.addController({
      reconciler: kubernetesService,
      sources: [
        // Once at start, whether or not the objects exist yet.
        { informer: servicesInformer, subscribe: (enqueue) => (enqueue(kubernetesServiceKey), () => undefined) },
        fromInformer(servicesInformer, kubeKeys),
        fromInformer(ctx.informers.forKind(endpoints), kubeKeys),
        fromInformer(ctx.informers.forKind(endpointslices), kubeKeys),
      ],
    });

    const world = new ServicePods(ctx.registry, servicesInformer, podsInformer);
    const endpointsInformer = ctx.informers.forKind(endpoints);
    manager.addController({
      reconciler: new EndpointsReconciler(ctx.registry, world, endpointsInformer),
      sources: [...world.sources(), fromInformer(endpointsInformer, ownKey)],
      workers: 2,
    });
    const slicesInformer = ctx.informers.forKind(endpointslices);
    const nodesInformer = ctx.informers.forKind(nodes);
    manager.addController({
      reconciler: new EndpointSliceReconciler(ctx.registry, world, slicesInformer, nodesInformer),
      sources: [
        ...world.sources(),
        fromInformer(slicesInformer, EndpointSliceReconciler.sliceKeys),
        // Zones are read from the node cache; node changes (heartbeats) wake nothing.
        fromInformer(nodesInformer, () => []),
      ],
      workers: 2,
    });

    const jobsInformer = ctx.informers.forKind(jobs);
    manager.addController({
      reconciler: new JobReconciler(ctx.registry, jobsInformer, podsInformer, ctx.events, now),
      sources: [fromInformer(jobsInformer, ownKey), fromInformer(podsInformer, JobReconciler.podKeys)],
      workers: 2,
    });
    const cronjobsInformer = ctx.informers.forKind(cronjobs);
    manager.addController({
      reconciler: new CronJobReconciler(ctx.registry, cronjobsInformer, jobsInformer, ctx.events, now),
      sources: [fromInformer(cronjobsInformer, ownKey), fromInformer(jobsInformer, CronJobReconciler.jobKeys)],
    });

    if (opts.caPem) {
      const namespaceInformer = ctx.informers.forKind(namespaces);
      const configMapInformer = ctx.informers.forKind(configmaps);
      manager.addController({
        reconciler: new RootCaPublisher(ctx.registry, namespaceInformer, configMapInformer, opts.caPem),
        sources: [fromInformer(namespaceInformer, RootCaPublisher.namespaceKeys), fromInformer(configMapInformer, RootCaPublisher.configMapKeys)],
      });
    }
  };
}

/**
 * Cluster IP and node port allocation, an admission plugin on the context's registry.
 * The informer is the record of what is held; the plugin hands out. An API server whose
 * controllers run on another thread adds it on both: either side may create Services.
 */
export function addServiceAllocationAdmission(manager: Manager, ctx: ClusterContext, opts: ServiceControllerOptions = {}): ServiceAllocations {
  const servicesInformer = ctx.informers.forKind(services);
  const allocations = new ServiceAllocations({
    ...(opts.serviceCidr ? { serviceCidr: opts.serviceCidr } : {}),
    ...(opts.nodePortRange ? { nodePortRange: opts.nodePortRange } : {}),
  });
  allocations.track(servicesInformer, (svc) => keyOf(svc.metadata.namespace ?? '', svc.metadata.name ?? ''));
  manager.addInformer(new AdmissionPluginSource(ctx.registry.admission, new ServiceAllocationAdmission(services, servicesInformer, allocations, () => ctx.clock.now())));
  return allocations;
}

/** The entry point cluster.ts calls: every controller here, without the cluster's CA or port. */
export function registerServiceControllers(manager: Manager, ctx: ClusterContext): void {
  serviceControllers()(manager, ctx);
}
