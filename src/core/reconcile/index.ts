/** The reconcile runtime: informers, work queues, controllers, the manager, leader election. */
export { IndexedCache } from './cache.js';
export type { CachedObject, IndexFunc } from './cache.js';
export { Controller, fromInformer } from './controller.js';
export type { ControllerOptions, Reconciler, ReconcileResult, Source, SyncSource } from './controller.js';
export { Informer } from './informer.js';
export type { InformerHandler, InformerOptions, InformerSelection } from './informer.js';
export { LeaderElector } from './leader.js';
export type { LeaderElectionOptions } from './leader.js';
export { Manager } from './manager.js';
export type { ManagerLeaderElection, ManagerOptions } from './manager.js';
export { ReconcileMetrics, reconcileMetrics } from './metrics.js';
export type { ReconcileOutcome } from './metrics.js';
export { ExponentialBackoff, TokenBucket } from './rate-limiter.js';
export type { BackoffOptions, TokenBucketOptions } from './rate-limiter.js';
export { WorkQueue } from './workqueue.js';
export type { WorkQueueOptions } from './workqueue.js';
