/**
 * Indexes this module adds to the cluster's shared informers. An index name is added once
 * per informer however many of our controllers ask, and carries a prefix of its own so it
 * never collides with another module's index on the same shared informer.
 */
import type { Informer } from '../../../core/reconcile/index.js';
import type { KubeObject } from '../../apiserver/object.js';
import { nodeNameOf } from './conditions.js';

export const podsByNode = 'nodes/by-node-name';
export const byNamespace = 'nodes/by-namespace';

const added = new WeakMap<Informer<KubeObject>, Set<string>>();

export function ensureIndex(informer: Informer<KubeObject>, name: string, fn: (o: KubeObject) => string[]): void {
  let names = added.get(informer);
  if (!names) {
    names = new Set();
    added.set(informer, names);
  }
  if (names.has(name)) return;
  informer.addIndex(name, fn);
  names.add(name);
}

/** Pods filed under spec.nodeName (unbound pods under nothing). */
export function indexPodsByNode(pods: Informer<KubeObject>): void {
  ensureIndex(pods, podsByNode, (p) => {
    const node = nodeNameOf(p);
    return node ? [node] : [];
  });
}

export function indexByNamespace(informer: Informer<KubeObject>): void {
  ensureIndex(informer, byNamespace, (o) => [o.metadata.namespace ?? '']);
}

export const namespacedKey = (o: KubeObject): string => `${o.metadata.namespace ?? ''}/${o.metadata.name ?? ''}`;

export function splitKey(key: string): [string, string] {
  const i = key.indexOf('/');
  return i < 0 ? ['', key] : [key.slice(0, i), key.slice(i + 1)];
}
