/**
 * metrics.k8s.io/v1beta1 NodeMetrics and PodMetrics, get and list only, answered from a
 * MetricsProvider rather than the store (metrics-server's role). `emptyMetrics` answers
 * nothing; the kubelet issue supplies a provider fed by the pod runtime.
 */
import type { KubeObject } from '../object.js';
import { defineResource, type ObjectSource, type ResourceDefinition } from '../resource.js';

export interface MetricsProvider {
  /** NodeMetrics objects (`timestamp`, `window`, `usage`). */
  nodes(): Promise<KubeObject[]>;
  /** PodMetrics objects (`timestamp`, `window`, `containers[].usage`), all namespaces when undefined. */
  pods(namespace: string | undefined): Promise<KubeObject[]>;
}

export const emptyMetrics: MetricsProvider = {
  nodes: async () => [],
  pods: async () => [],
};

const byName = (objects: KubeObject[], namespace: string | undefined, name: string): KubeObject | undefined =>
  objects.find((o) => o.metadata.name === name && (namespace === undefined || o.metadata.namespace === namespace));

function nodeSource(provider: MetricsProvider): ObjectSource {
  return {
    list: () => provider.nodes(),
    get: async (_namespace, name) => byName(await provider.nodes(), undefined, name),
  };
}

function podSource(provider: MetricsProvider): ObjectSource {
  return {
    list: (namespace) => provider.pods(namespace),
    get: async (namespace, name) => byName(await provider.pods(namespace), namespace, name),
  };
}

/** The two metrics kinds over a provider; pass them in a cluster's resource list. */
export function metricsResources(provider: MetricsProvider): ResourceDefinition[] {
  const common = { group: 'metrics.k8s.io', version: 'v1beta1', singular: '', verbs: ['get', 'list'] as const };
  return [
    defineResource({ ...common, kind: 'NodeMetrics', plural: 'nodes', namespaced: false, source: nodeSource(provider) }),
    defineResource({ ...common, kind: 'PodMetrics', plural: 'pods', namespaced: true, source: podSource(provider) }),
  ];
}
