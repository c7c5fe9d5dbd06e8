/**
 * kos's Kubernetes API server: one logical cluster per call to startKubernetesCluster,
 * each with its own HTTPS endpoint, CA and key prefix in the store.
 */
export { startKubernetesCluster, bootstrapCluster, type KubernetesCluster, type KubernetesClusterOptions } from './cluster.js';
export { Registry, type DeleteOptionsBody, type WriteOptions, type UpdateOptions } from './registry.js';
export { listObjects, type ListOptions, type ObjectList } from './list.js';
export { runWatch, type WatchEvent, type WatchOptions } from './watch.js';
export { defineResource, type ResourceDefinition, type ResourceSpec, type Strategy, type TableColumn } from './resource.js';
export { ResourceCatalog } from './catalog.js';
export { builtinResources } from './resources/index.js';
export { StatusError, type StatusObject } from './status.js';
export type { KubeObject, ObjectMeta } from './object.js';
