/**
 * The garbage collector, one store key at a time. Reconciling an object:
 * - being deleted with the `orphan` finalizer: strip its ownerReference from every
 *   dependent, then drop the finalizer;
 * - being deleted with `foregroundDeletion`: once no dependent that blocks owner deletion
 *   is left, drop the finalizer (the dependents themselves are deleted when they are
 *   reconciled, as their owner is then "waiting");
 * - otherwise, if it has owners: none left standing → delete it (Foreground when it waits
 *   on a foreground owner and has dependents of its own, else by its own finalizers'
 *   policy); some standing → remove the references to the absent and waiting ones.
 * Every change of an object wakes the object, its dependents and its owners, so each
 * step's outcome triggers the next; at start every stored object is reconciled once,
 * which collects what was orphaned while no collector ran.
 */
import type { Reconciler, ReconcileResult, Source } from '../../../core/reconcile/index.js';
import type { Informer } from '../../../core/reconcile/index.js';
import { clone, type KubeObject, type OwnerReference } from '../../apiserver/object.js';
import { foregroundDeletionFinalizer, orphanFinalizer, type Registry } from '../../apiserver/registry.js';
import type { ResourceDefinition } from '../../apiserver/resource.js';
import { StatusError } from '../../apiserver/status.js';
import { byOwnerUid, byUid, sameSummary, type ObjectSummary } from '../cluster-objects.js';
import type { StoredKinds } from '../stored-kinds.js';
import { ownerState, type OwnerState } from './owners.js';

/** A delete or update that found the object gone or replaced: someone else got there first. */
const isGoneOrReplaced = (e: unknown): boolean => e instanceof StatusError && (e.code === 404 || e.code === 409);

export class GarbageCollector implements Reconciler {
  readonly name = 'garbage-collector';

  constructor(
    private readonly registry: Registry,
    private readonly kinds: StoredKinds,
    private readonly objects: Informer<ObjectSummary>,
  ) {}

  /** The keys an object's change should wake: its own, its dependents' and its owners'. */
  keysFor(key: string, object: ObjectSummary): string[] {
    const keys = [key];
    if (object.uid) keys.push(...this.objects.keysByIndex(byOwnerUid, object.uid));
    for (const ref of object.ownerReferences) keys.push(...this.objects.keysByIndex(byUid, ref.uid));
    return keys;
  }

  /**
   * The collector's source: every add and delete, but only the updates that change what it
   * decides on (uid, owners, finalizers, deletion). A status write to an owner would
   * otherwise wake each of its dependents for nothing.
   */
  source(): Source {
    const objects = this.objects;
    return {
      informer: objects,
      subscribe: (enqueue) => {
        const push = (key: string, o: ObjectSummary): void => {
          for (const k of this.keysFor(key, o)) enqueue(k);
        };
        return objects.addHandler({
          onAdd: push,
          onUpdate: (key, old, next) => {
            if (old === next || sameSummary(old, next)) return;
            push(key, old);
            push(key, next);
          },
          onDelete: push,
        });
      },
    };
  }

  async reconcile(key: string): Promise<ReconcileResult> {
    const cached = this.objects.get(key);
    // Cheap skip for the many objects that neither have owners nor wait on dependents.
    if (!cached || (cached.ownerReferences.length === 0 && !cached.deleting)) return {};
    const located = this.kinds.forKey(key);
    if (!located) return {};
    // Nothing to do while every owner stands, as far as the cache knows. The cache may
    // only err by being late: an owner's later deletion reaches it and wakes this object
    // again, and every collection is still decided on what the store says (below).
    if (!cached.deleting && cached.ownerReferences.every((ref) => this.standsInCache(ref, cached, located.def))) return {};
    const kv = await this.registry.store.get(key);
    if (!kv) return {};
    const obj = this.registry.decode(kv);
    const { def } = located;
    const finalizers = obj.metadata.finalizers ?? [];
    if (obj.metadata.deletionTimestamp) {
      if (finalizers.includes(orphanFinalizer)) await this.orphanDependents(def, obj);
      else if (finalizers.includes(foregroundDeletionFinalizer)) await this.finishForeground(def, obj);
      return {};
    }
    await this.collectIfOwnersGone(def, obj);
    return {};
  }

  /** ownerState's 'solid', answered from the cache: the named owner is cached with this uid and not being deleted. */
  private standsInCache(ref: OwnerReference, dependent: ObjectSummary, dependentDef: ResourceDefinition): boolean {
    const ownerDef = this.kinds.forOwner(ref);
    if (!ownerDef) return false;
    if (ownerDef.namespaced && !dependentDef.namespaced) return true;
    const owner = this.objects.get(this.registry.keys.key(ownerDef, ownerDef.namespaced ? dependent.namespace : undefined, ref.name));
    return owner !== undefined && owner.uid === ref.uid && !owner.deleting;
  }

  private dependentKeys(uid: string | undefined): string[] {
    return uid ? this.objects.keysByIndex(byOwnerUid, uid) : [];
  }

  private async orphanDependents(def: ResourceDefinition, owner: KubeObject): Promise<void> {
    const uid = owner.metadata.uid;
    for (const key of this.dependentKeys(uid)) {
      const dep = this.kinds.forKey(key);
      if (!dep) continue;
      await this.updateIgnoringGone(dep.def, dep.namespace, dep.name, (cur) => withoutOwners(cur, new Set([uid ?? ''])));
    }
    await this.removeFinalizer(def, owner, orphanFinalizer);
  }

  private async finishForeground(def: ResourceDefinition, owner: KubeObject): Promise<void> {
    const uid = owner.metadata.uid ?? '';
    const blocking = this.dependentKeys(uid).filter((key) =>
      this.objects.get(key)?.ownerReferences.some((r) => r.uid === uid && r.blockOwnerDeletion === true),
    );
    // The blocking dependents' own reconciles delete them; their deletion wakes us again.
    if (blocking.length > 0) return;
    await this.removeFinalizer(def, owner, foregroundDeletionFinalizer);
  }

  private async collectIfOwnersGone(def: ResourceDefinition, obj: KubeObject): Promise<void> {
    const refs = obj.metadata.ownerReferences ?? [];
    if (refs.length === 0) return;
    const states = new Map<string, OwnerState>();
    const uidKnown = (uid: string): boolean => this.objects.keysByIndex(byUid, uid).length > 0;
    for (const ref of refs) states.set(ref.uid, await ownerState(this.registry, this.kinds, obj, def, ref, uidKnown));
    const solid = refs.filter((r) => states.get(r.uid) === 'solid');
    const waiting = refs.filter((r) => states.get(r.uid) === 'waiting');
    const ns = obj.metadata.namespace;
    const name = obj.metadata.name ?? '';
    if (solid.length > 0) {
      const stale = new Set(refs.filter((r) => states.get(r.uid) !== 'solid').map((r) => r.uid));
      if (stale.size > 0) await this.updateIgnoringGone(def, ns, name, (cur) => withoutOwners(cur, stale, obj.metadata.uid));
      return;
    }
    const finalizers = obj.metadata.finalizers ?? [];
    const policy =
      waiting.length > 0 && this.dependentKeys(obj.metadata.uid).length > 0
        ? 'Foreground'
        : finalizers.includes(orphanFinalizer)
          ? 'Orphan'
          : finalizers.includes(foregroundDeletionFinalizer)
            ? 'Foreground'
            : 'Background';
    try {
      await this.registry.delete(def, ns, name, { propagationPolicy: policy, preconditions: { uid: obj.metadata.uid ?? '' } });
    } catch (e) {
      if (!isGoneOrReplaced(e)) throw e;
    }
  }

  private async removeFinalizer(def: ResourceDefinition, obj: KubeObject, finalizer: string): Promise<void> {
    const uid = obj.metadata.uid;
    await this.updateIgnoringGone(def, obj.metadata.namespace, obj.metadata.name ?? '', (cur) => {
      if (cur.metadata.uid !== uid) return cur;
      const next = clone(cur);
      next.metadata.finalizers = (cur.metadata.finalizers ?? []).filter((f) => f !== finalizer);
      return next;
    });
  }

  private async updateIgnoringGone(
    def: ResourceDefinition,
    namespace: string | undefined,
    name: string,
    desired: (current: KubeObject) => KubeObject,
  ): Promise<void> {
    try {
      await this.registry.updateWith(def, namespace, name, desired);
    } catch (e) {
      if (!isGoneOrReplaced(e)) throw e;
    }
  }
}

/** The object without its references to these owners; unchanged if it is another object by now. */
function withoutOwners(cur: KubeObject, owners: ReadonlySet<string>, expectedUid?: string): KubeObject {
  if (expectedUid !== undefined && cur.metadata.uid !== expectedUid) return cur;
  const refs: OwnerReference[] = cur.metadata.ownerReferences ?? [];
  const kept = refs.filter((r) => !owners.has(r.uid));
  if (kept.length === refs.length) return cur;
  const next = clone(cur);
  if (kept.length > 0) next.metadata.ownerReferences = kept;
  else delete next.metadata.ownerReferences;
  return next;
}
