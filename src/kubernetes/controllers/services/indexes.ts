/**
 * Indexes the service controllers put on shared informers. Several controllers may want
 * the same plain index (pods by namespace): the first to ask adds it, the rest reuse it,
 * so 150 000 pods are filed once.
 */
import type { Informer } from '../../../core/reconcile/index.js';
import type { KubeObject } from '../../apiserver/object.js';

/** Index: metadata.namespace. */
export const byNamespace = 'namespace';
/** Index: the uid of the object's controller (the ownerReference with controller: true). */
export const byControllerUid = 'controller-uid';

function ensureIndex(informer: Informer<KubeObject>, name: string, fn: (o: KubeObject) => string[]): void {
  try {
    informer.addIndex(name, fn);
  } catch (e) {
    // Already added by another controller with the same meaning.
    if (!(e instanceof Error && e.message.includes('already exists'))) throw e;
  }
}

export function indexByNamespace(informer: Informer<KubeObject>): void {
  ensureIndex(informer, byNamespace, (o) => (o.metadata.namespace ? [o.metadata.namespace] : []));
}

export function indexByControllerUid(informer: Informer<KubeObject>): void {
  ensureIndex(informer, byControllerUid, (o) => {
    const ref = controllerOf(o);
    return ref ? [ref.uid] : [];
  });
}

/** The ownerReference that marks an object's managing controller. */
export function controllerOf(o: KubeObject): { apiVersion: string; kind: string; name: string; uid: string } | undefined {
  return (o.metadata.ownerReferences ?? []).find((r) => r.controller === true);
}

/** `namespace/name`, the key every controller here is reconciled by. */
export const keyOf = (namespace: string, name: string): string => `${namespace}/${name}`;

/** A source's key function for the controller's own kind: an object wakes its own key. */
export const ownKey = (_key: string, o: KubeObject): string[] => [keyOf(o.metadata.namespace ?? '', o.metadata.name ?? '')];

export function splitKey(key: string): { namespace: string; name: string } {
  const slash = key.indexOf('/');
  return { namespace: key.slice(0, slash), name: key.slice(slash + 1) };
}
