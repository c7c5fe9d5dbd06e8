/**
 * What every controller of one cluster is given: the registry it writes through, the
 * clock, a logger, one shared informer per stored kind, and the event recorder. Each
 * controller module exports `register<Name>(manager, ctx)` which adds its controllers
 * (and the informers they read) to the cluster's Manager before it starts.
 */
import type { Clock } from '../../core/clock.js';
import type { Logger } from '../../core/log.js';
import type { Manager } from '../../core/reconcile/index.js';
import type { ResourceCatalog } from '../apiserver/catalog.js';
import type { Registry } from '../apiserver/registry.js';
import type { EventRecorder } from './events.js';
import type { SharedInformers } from './shared-informers.js';

export interface ClusterContext {
  /** The cluster's name (its key prefix). */
  cluster: string;
  registry: Registry;
  catalog: ResourceCatalog;
  clock: Clock;
  log: Logger;
  informers: SharedInformers;
  events: EventRecorder;
}

/** How a controller module plugs into the cluster's controller manager. */
export type RegisterControllers = (manager: Manager, ctx: ClusterContext) => void;
