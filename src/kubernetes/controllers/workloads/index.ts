/**
 * Deployment, ReplicaSet, StatefulSet and DaemonSet controllers. Each reads only the
 * cluster's shared informers, looking dependents up through the ownership indexes
 * (shared/owners.ts), and runs several workers: keys are reconciled concurrently, one key
 * never twice at once.
 */
import { fromInformer, type Manager } from '../../../core/reconcile/index.js';
import { controllerrevisions } from '../../apiserver/resources/controllerrevisions.js';
import { daemonsets } from '../../apiserver/resources/daemonsets.js';
import { deployments } from '../../apiserver/resources/deployments.js';
import { nodes } from '../../apiserver/resources/nodes.js';
import { persistentvolumeclaims } from '../../apiserver/resources/persistentvolumeclaims.js';
import { pods } from '../../apiserver/resources/pods.js';
import { replicasets } from '../../apiserver/resources/replicasets.js';
import { statefulsets } from '../../apiserver/resources/statefulsets.js';
import type { ClusterContext } from '../context.js';
import { DaemonSetController } from './daemonset/reconciler.js';
import { DeploymentController } from './deployment/reconciler.js';
import { ReplicaSetController } from './replicaset/reconciler.js';
import { ensureNamespaceIndex, ensureOwnerIndexes } from './shared/owners.js';
import { StatefulSetController } from './statefulset/reconciler.js';

export { DeploymentController } from './deployment/reconciler.js';
export { ReplicaSetController } from './replicaset/reconciler.js';
export { StatefulSetController } from './statefulset/reconciler.js';
export { DaemonSetController } from './daemonset/reconciler.js';

/**
 * Workers per controller: enough to keep a thousand-Deployment burst moving. Each awaits
 * its writes' commit, so more of them keep the event loop busy while a group commits.
 */
const workers = 32;

export function registerWorkloadControllers(manager: Manager, ctx: ClusterContext): void {
  const podInformer = ctx.informers.forKind(pods);
  const rsInformer = ctx.informers.forKind(replicasets);
  const deployInformer = ctx.informers.forKind(deployments);
  const stsInformer = ctx.informers.forKind(statefulsets);
  const dsInformer = ctx.informers.forKind(daemonsets);
  const revisionInformer = ctx.informers.forKind(controllerrevisions);
  const pvcInformer = ctx.informers.forKind(persistentvolumeclaims);
  const nodeInformer = ctx.informers.forKind(nodes);
  for (const i of [podInformer, rsInformer, revisionInformer]) ensureOwnerIndexes(i);
  for (const i of [rsInformer, deployInformer, stsInformer, dsInformer]) ensureNamespaceIndex(i);

  const rs = new ReplicaSetController(ctx, rsInformer, podInformer);
  manager.addController({ reconciler: rs, sources: rs.sources(fromInformer), workers });
  const deploy = new DeploymentController(ctx, deployInformer, rsInformer, podInformer);
  manager.addController({ reconciler: deploy, sources: deploy.sources(fromInformer), workers });
  const sts = new StatefulSetController(ctx, stsInformer, podInformer, revisionInformer, pvcInformer);
  manager.addController({ reconciler: sts, sources: sts.sources(fromInformer), workers: 4 });
  const ds = new DaemonSetController(ctx, dsInformer, podInformer, revisionInformer, nodeInformer);
  manager.addController({ reconciler: ds, sources: ds.sources(fromInformer), workers: 4 });
}
