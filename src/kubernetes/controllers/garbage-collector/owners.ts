/**
 * What an ownerReference points at right now, read from the store (never the cache: a
 * stale cache must not get a live object's dependents deleted). Absent means deleted or
 * replaced by a new object of the same name (another uid).
 */
import type { KubeObject, OwnerReference } from '../../apiserver/object.js';
import { foregroundDeletionFinalizer, type Registry } from '../../apiserver/registry.js';
import type { ResourceDefinition } from '../../apiserver/resource.js';
import type { StoredKinds } from '../stored-kinds.js';

/** solid: exists and stays; waiting: being deleted in the foreground, waiting for its dependents; absent: gone. */
export type OwnerState = 'solid' | 'waiting' | 'absent';

export function isWaitingForDependents(obj: { metadata: { deletionTimestamp?: string; finalizers?: string[] } }): boolean {
  return obj.metadata.deletionTimestamp !== undefined && (obj.metadata.finalizers ?? []).includes(foregroundDeletionFinalizer);
}

export async function ownerState(
  registry: Registry,
  kinds: StoredKinds,
  dependent: KubeObject,
  dependentDef: ResourceDefinition,
  ref: OwnerReference,
  uidKnown: (uid: string) => boolean,
): Promise<OwnerState> {
  const ownerDef = kinds.forOwner(ref);
  // A kind not served (yet): whether its uid is stored anywhere in the cluster decides.
  if (!ownerDef) return uidKnown(ref.uid) ? 'solid' : 'absent';
  // A cluster-scoped dependent cannot name a namespaced owner: unresolvable, never collected.
  if (ownerDef.namespaced && !dependentDef.namespaced) return 'solid';
  const kv = await registry.store.get(registry.keys.key(ownerDef, ownerDef.namespaced ? dependent.metadata.namespace : undefined, ref.name));
  if (!kv) return 'absent';
  const owner = registry.decode(kv);
  if (owner.metadata.uid !== ref.uid) return 'absent';
  return isWaitingForDependents(owner) ? 'waiting' : 'solid';
}
