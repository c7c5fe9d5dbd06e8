/**
 * Controller references and the informer indexes the workload controllers look objects
 * up by: dependents by their controller's uid, and per namespace the objects that have
 * no controller (the only candidates for adoption, usually none) — so a reconcile never
 * scans every pod.
 */
import type { Informer } from '../../../../core/reconcile/index.js';
import type { KubeObject, OwnerReference } from '../../../apiserver/object.js';
import type { KeyLayout } from '../../../apiserver/keys.js';
import type { ResourceDefinition } from '../../../apiserver/resource.js';
import { labelSelectorFromObject, type LabelSelectorSpec } from '../../../apimachinery/labels/selector.js';
import { specOf } from './pod-state.js';

export const byControllerUid = 'workloads/controller-uid';
export const orphansByNamespace = 'workloads/orphans-by-namespace';
export const byNamespace = 'workloads/namespace';

export const controllerRefOf = (o: KubeObject): OwnerReference | undefined => (o.metadata.ownerReferences ?? []).find((r) => r.controller === true);

/** The ownerReference a controller writes on what it creates: controller and blocking. */
export function controllerRefTo(owner: KubeObject, def: ResourceDefinition): OwnerReference {
  return { apiVersion: def.apiVersion, kind: def.kind, name: owner.metadata.name ?? '', uid: owner.metadata.uid ?? '', controller: true, blockOwnerDeletion: true };
}

const indexed = new WeakSet<Informer<KubeObject>>();

/** Add the ownership indexes to a shared informer once, whichever controller asks first. */
export function ensureOwnerIndexes(informer: Informer<KubeObject>): void {
  if (indexed.has(informer)) return;
  indexed.add(informer);
  informer.addIndex(byControllerUid, (o) => {
    const ref = controllerRefOf(o);
    return ref ? [ref.uid] : [];
  });
  informer.addIndex(orphansByNamespace, (o) => (controllerRefOf(o) ? [] : [o.metadata.namespace ?? '']));
}

const nsIndexed = new WeakSet<Informer<KubeObject>>();

/** Owners of a kind per namespace: for mapping an orphan to the owners that may adopt it. */
export function ensureNamespaceIndex(informer: Informer<KubeObject>): void {
  if (nsIndexed.has(informer)) return;
  nsIndexed.add(informer);
  informer.addIndex(byNamespace, (o) => [o.metadata.namespace ?? '']);
}

/** Whether `ref` points at an owner of this kind (any version of its group). */
export function refersTo(ref: OwnerReference | undefined, def: ResourceDefinition): ref is OwnerReference {
  if (!ref || ref.kind !== def.kind) return false;
  const group = ref.apiVersion.includes('/') ? ref.apiVersion.split('/')[0] : '';
  return group === def.group;
}

/**
 * The store keys of the `def` controllers an object wakes: its controlling owner when that
 * is a `def`; for a pod with no controller, every `def` in its namespace whose selector
 * matches it (the ones that may adopt it).
 */
export function controllerKeysFor(o: KubeObject, def: ResourceDefinition, sets: Informer<KubeObject>, keys: KeyLayout): string[] {
  const ref = controllerRefOf(o);
  if (ref) return refersTo(ref, def) ? [keys.key(def, o.metadata.namespace, ref.name)] : [];
  if (o.kind !== 'Pod') return [];
  const labels = o.metadata.labels ?? {};
  return sets
    .byIndex(byNamespace, o.metadata.namespace ?? '')
    .filter((s) => labelSelectorFromObject(specOf(s).selector as LabelSelectorSpec).matches(labels))
    .map((s) => keys.key(def, s.metadata.namespace, s.metadata.name ?? ''));
}
