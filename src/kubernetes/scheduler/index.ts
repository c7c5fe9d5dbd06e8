/** The scheduler of one cluster: binds pending pods to nodes. */
import type { Informer, Manager, Source } from '../../core/reconcile/index.js';
import type { KubeObject } from '../apiserver/object.js';
import { nodes } from '../apiserver/resources/nodes.js';
import { pods } from '../apiserver/resources/pods.js';
import { replicasets } from '../apiserver/resources/replicasets.js';
import { statefulsets } from '../apiserver/resources/statefulsets.js';
import type { ClusterContext } from '../controllers/context.js';
import { Scheduler } from './scheduler.js';

export { Scheduler, schedulerName } from './scheduler.js';
export type { SchedulerOptions } from './scheduler.js';

/** The one key of the scheduler's controller: "the active queue has pods". */
const drainKey = 'active-queue';

export function createScheduler(ctx: ClusterContext): Scheduler {
  const owners = new Map([
    ['ReplicaSet', { def: replicasets, informer: ctx.informers.forKind(replicasets) }],
    ['StatefulSet', { def: statefulsets, informer: ctx.informers.forKind(statefulsets) }],
  ]);
  return new Scheduler({
    registry: ctx.registry,
    clock: ctx.clock,
    log: ctx.log,
    events: ctx.events,
    pods: ctx.informers.forKind(pods),
    nodes: ctx.informers.forKind(nodes),
    owners,
  });
}

/**
 * A source that only says "drain": the scheduler's own informer handlers keep its cache
 * and queue, and wake the controller through this. The controller brings leader
 * election and waits for the pod and node informers to sync before the first decision.
 */
function wakeSource(informer: Informer<KubeObject>, scheduler: Scheduler | undefined): Source {
  return {
    informer,
    subscribe(enqueue) {
      if (!scheduler) return () => undefined;
      scheduler.setWake(() => enqueue(drainKey));
      enqueue(drainKey);
      return () => scheduler.setWake(undefined);
    },
  };
}

/** Add the scheduler's controller to a manager; the scheduler is returned for inspection (tests, bench). */
export function addScheduler(manager: Manager, ctx: ClusterContext): Scheduler {
  const scheduler = createScheduler(ctx);
  manager.addController({
    reconciler: scheduler,
    sources: [wakeSource(ctx.informers.forKind(pods), scheduler), wakeSource(ctx.informers.forKind(nodes), undefined)],
    workers: 1,
  });
  return scheduler;
}

export function registerScheduler(manager: Manager, ctx: ClusterContext): void {
  addScheduler(manager, ctx);
}
