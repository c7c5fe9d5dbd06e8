/**
 * The controllers of one Kubernetes cluster (its kube-controller-manager): the garbage
 * collector and the namespace controller, on one Manager and one informer over
 * everything the cluster stores.
 */
import type { Clock } from '../../core/clock.js';
import type { Logger } from '../../core/log.js';
import { fromInformer, Manager } from '../../core/reconcile/index.js';
import type { ResourceCatalog } from '../apiserver/catalog.js';
import type { Registry } from '../apiserver/registry.js';
import type { ResourceDefinition } from '../apiserver/resource.js';
import { clusterObjectsInformer } from './cluster-objects.js';
import { GarbageCollector } from './garbage-collector/reconciler.js';
import { NamespaceController } from './namespace/reconciler.js';
import { StoredKinds } from './stored-kinds.js';
import type { RegisterControllers } from './context.js';
import { EventRecorder } from './events.js';
import { SharedInformers } from './shared-informers.js';

export { clusterObjectsInformer, summarize, byOwnerUid, byUid } from './cluster-objects.js';
export type { ObjectSummary } from './cluster-objects.js';
export { GarbageCollector } from './garbage-collector/reconciler.js';
export { NamespaceController } from './namespace/reconciler.js';
export { conditionsFor, mergeConditions } from './namespace/conditions.js';
export type { ContentReport, NamespaceCondition } from './namespace/conditions.js';
export { StoredKinds } from './stored-kinds.js';

export type { ClusterContext, RegisterControllers } from './context.js';
export { EventRecorder } from './events.js';
export { SharedInformers } from './shared-informers.js';

export interface KubernetesControllersOptions {
  /** The cluster's name. */
  cluster?: string;
  registry: Registry;
  catalog: ResourceCatalog;
  namespaces: ResourceDefinition;
  clock: Clock;
  log: Logger;
  /** More controllers: the scheduler, workload controllers, kubelets. */
  extra?: readonly RegisterControllers[];
  /**
   * Run the garbage collector and the namespace controller (default true); false where
   * they run on another thread and this manager only serves the API server's side.
   */
  builtin?: boolean;
  /**
   * Check the namespace of the registry's creates against the namespace informer instead
   * of reading it from the store (Registry.namespaceLister). For a registry of the
   * controllers' own: the informer lags the store a little, which a controller's create
   * may race as upstream's do, but a client's create through the API server must not.
   */
  listNamespaces?: boolean;
}

/** A Manager with the cluster's controllers added, not yet started. */
export function kubernetesControllers(opts: KubernetesControllersOptions): Manager {
  const log = opts.log.child({ component: 'kube-controller-manager' });
  const manager = new Manager({ clock: opts.clock, logger: log });
  if (opts.builtin !== false) {
    const objects = clusterObjectsInformer(opts.registry, opts.clock, log);
    const kinds = new StoredKinds(opts.catalog, opts.registry.keys);
    const gc = new GarbageCollector(opts.registry, kinds, objects);
    manager.addController({ reconciler: gc, sources: [gc.source()], workers: 2 });
    const namespace = new NamespaceController(opts.registry, opts.namespaces, kinds, objects, opts.clock);
    manager.addController({ reconciler: namespace, sources: [fromInformer(objects, (key, o) => namespace.keysFor(key, o))] });
  }
  if (opts.extra && opts.extra.length > 0) {
    const informers = new SharedInformers(opts.registry, opts.clock, log);
    const ctx = {
      cluster: opts.cluster ?? 'default',
      registry: opts.registry,
      catalog: opts.catalog,
      clock: opts.clock,
      log,
      informers,
      events: new EventRecorder(opts.registry, opts.clock, log),
    };
    for (const register of opts.extra) register(manager, ctx);
    if (opts.listNamespaces) {
      const namespaceInformer = informers.forKind(opts.namespaces);
      const keyOf = (name: string) => opts.registry.keys.key(opts.namespaces, undefined, name);
      opts.registry.namespaceLister = (name) => (namespaceInformer.hasSynced() ? namespaceInformer.get(keyOf(name)) : undefined);
    }
    informers.addTo(manager);
  }
  return manager;
}

/** Start the cluster's controllers; resolves once their informer has synced. */
export async function startKubernetesControllers(opts: KubernetesControllersOptions): Promise<Manager> {
  const manager = kubernetesControllers(opts);
  await manager.start();
  return manager;
}
