/**
 * Node lifecycle, taint-based eviction, pod garbage collection, PodDisruptionBudget
 * status, ResourceQuota status; and the admission plugins that belong with them
 * (LimitRanger, ResourceQuota; DefaultTolerationSeconds is in the pods strategy), added to the registry's
 * admission chain because they read the same shared informers.
 */
import { fromInformer, type Informer, type Manager } from '../../../core/reconcile/index.js';
import type { KubeObject } from '../../apiserver/object.js';
import type { Registry } from '../../apiserver/registry.js';
import { deployments } from '../../apiserver/resources/deployments.js';
import { leases } from '../../apiserver/resources/leases.js';
import { limitranges } from '../../apiserver/resources/limitranges.js';
import { nodes } from '../../apiserver/resources/nodes.js';
import { poddisruptionbudgets } from '../../apiserver/resources/poddisruptionbudgets.js';
import { pods } from '../../apiserver/resources/pods.js';
import { replicasets } from '../../apiserver/resources/replicasets.js';
import { resourcequotas } from '../../apiserver/resources/resourcequotas.js';
import { statefulsets } from '../../apiserver/resources/statefulsets.js';
import type { ClusterContext } from '../context.js';
import { DisruptionController } from './disruption/reconciler.js';
import { ScaleFinder } from './disruption/scale.js';
import { indexByNamespace, indexPodsByNode } from './indexes.js';
import { NodeLifecycleController } from './lifecycle/reconciler.js';
import { limitRangerAdmission } from './limitranger/admission.js';
import { OrphanedPodCollector } from './podgc/orphans.js';
import { TerminatedPodCollector } from './podgc/terminated.js';
import { resourceQuotaAdmission } from './quota/admission.js';
import { trackedKinds } from './quota/kinds.js';
import { ResourceQuotaController } from './quota/reconciler.js';
import { UsageTracker } from './quota/tracker.js';
import { TaintEvictionController } from './taint-eviction/reconciler.js';

export { NodeLifecycleController, defaultNodeMonitorGracePeriodMs, nodeLeaseNamespace } from './lifecycle/reconciler.js';
export { assessNode, desiredTaints, lastHeartbeat } from './lifecycle/node-health.js';
export { TaintEvictionController } from './taint-eviction/reconciler.js';
export { decideEviction, minTolerationMs } from './taint-eviction/decision.js';
export { OrphanedPodCollector } from './podgc/orphans.js';
export { TerminatedPodCollector, defaultTerminatedPodThreshold } from './podgc/terminated.js';
export { DisruptionController } from './disruption/reconciler.js';
export { assessBudget, scaledValue } from './disruption/budget.js';
export { ResourceQuotaController } from './quota/reconciler.js';
export { UsageTracker } from './quota/tracker.js';
export { resourceQuotaAdmission } from './quota/admission.js';
export { limitRangerAdmission } from './limitranger/admission.js';

export interface NodeControllerOptions {
  /** --node-monitor-grace-period (default 40 s). */
  nodeMonitorGracePeriodMs?: number;
  /** --terminated-pod-gc-threshold (default 12500). */
  terminatedPodThreshold?: number;
}

/** The admission plugins of the last registration per registry, so a restarted manager replaces rather than doubles them. */
const installedPlugins = new WeakMap<Registry, (() => void)[]>();

export function registerNodeControllers(manager: Manager, ctx: ClusterContext, opts: NodeControllerOptions = {}): void {
  const { registry, informers, events } = ctx;
  const now = (): number => ctx.clock.now();
  const podInformer = informers.forKind(pods);
  const nodeInformer = informers.forKind(nodes);
  indexPodsByNode(podInformer);
  indexByNamespace(podInformer);

  const lifecycle = new NodeLifecycleController({
    registry,
    nodes: nodeInformer,
    leases: informers.forKind(leases),
    pods: podInformer,
    events,
    now,
    ...(opts.nodeMonitorGracePeriodMs !== undefined ? { gracePeriodMs: opts.nodeMonitorGracePeriodMs } : {}),
  });
  manager.addController({
    reconciler: lifecycle,
    sources: [fromInformer(nodeInformer, lifecycle.nodeKeys), fromInformer(informers.forKind(leases), lifecycle.leaseKeys)],
    workers: 2,
  });

  const eviction = new TaintEvictionController({ registry, nodes: nodeInformer, pods: podInformer, events, now });
  manager.addController({ reconciler: eviction, sources: [fromInformer(podInformer, eviction.podKeys), eviction.nodeSource()], workers: 2 });

  const orphans = new OrphanedPodCollector({ registry, nodes: nodeInformer, pods: podInformer, now });
  manager.addController({ reconciler: orphans, sources: [fromInformer(podInformer, orphans.podKeys), orphans.nodeSource()] });
  const terminated = new TerminatedPodCollector(registry, podInformer, now, opts.terminatedPodThreshold);
  manager.addController({ reconciler: terminated, sources: [fromInformer(podInformer, terminated.podKeys)] });

  const budgets = informers.forKind(poddisruptionbudgets);
  indexByNamespace(budgets);
  const scaleInformers = { replicasets: informers.forKind(replicasets), deployments: informers.forKind(deployments), statefulsets: informers.forKind(statefulsets) };
  const disruption = new DisruptionController({ registry, budgets, pods: podInformer, scales: new ScaleFinder(registry, scaleInformers), events, now });
  manager.addController({
    reconciler: disruption,
    sources: [
      fromInformer(budgets, disruption.budgetKeys),
      fromInformer(podInformer, disruption.podKeys),
      ...Object.values(scaleInformers).map((i) => disruption.scaleSource(i)),
    ],
    workers: 2,
  });

  const { tracker, quotas } = addLimitsAndQuotaAdmission(ctx);
  const quotaController = new ResourceQuotaController(registry, quotas, tracker);
  manager.addController({ reconciler: quotaController, sources: [fromInformer(quotas, quotaController.quotaKeys), quotaController.usageSource()], workers: 2 });
}

/**
 * LimitRanger and ResourceQuota admission on the context's registry, over its shared
 * informers. The node controllers add them; an API server whose controllers run on
 * another thread adds them alone, since its own writes must be admitted too — with the
 * quota's informers on demand (`onDemand`), started by the first create in a namespace
 * that has a ResourceQuota.
 */
export function addLimitsAndQuotaAdmission(ctx: ClusterContext, opts: { onDemand?: boolean } = {}): { tracker: UsageTracker; quotas: Informer<KubeObject> } {
  const { registry, informers } = ctx;
  const kinds = trackedKinds(informers, opts.onDemand);
  const tracker = new UsageTracker(ctx.clock, [...kinds.values()], (informer) => informers.demand(informer));
  const quotas = informers.forKind(resourcequotas);
  indexByNamespace(quotas);
  const limitRanges = informers.forKind(limitranges);
  indexByNamespace(limitRanges);
  for (const remove of installedPlugins.get(registry) ?? []) remove();
  installedPlugins.set(registry, [
    registry.admission.add(limitRangerAdmission(limitRanges)),
    registry.admission.add(resourceQuotaAdmission(tracker, quotas, kinds)),
  ]);
  return { tracker, quotas };
}
