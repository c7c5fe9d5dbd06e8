/**
 * Adoption and release (upstream's ControllerRefManager): an owner claims the orphans its
 * selector matches by adding itself as controller, and lets go of dependents that no
 * longer match. Both are conditional writes on the current object, so two owners racing
 * for one orphan cannot both win.
 */
import { clone, type KubeObject } from '../../../apiserver/object.js';
import type { Registry } from '../../../apiserver/registry.js';
import type { ResourceDefinition } from '../../../apiserver/resource.js';
import { StatusError } from '../../../apiserver/status.js';
import type { LabelSelector } from '../../../apimachinery/labels/selector.js';
import { controllerRefOf, controllerRefTo } from './owners.js';

export interface ClaimInput {
  registry: Registry;
  owner: KubeObject;
  ownerDef: ResourceDefinition;
  dependentDef: ResourceDefinition;
  selector: LabelSelector;
  /** Dependents whose controller is the owner. */
  owned: readonly KubeObject[];
  /** Objects in the namespace without a controller. */
  orphans: readonly KubeObject[];
  /** Extra filter on what may be claimed (e.g. a pod-name pattern). */
  accept?: (o: KubeObject) => boolean;
}

const ignorable = (e: unknown): boolean => e instanceof StatusError && (e.code === 404 || e.code === 409 || e.code === 422);

/** The dependents the owner controls after adopting and releasing. */
export async function claim(input: ClaimInput): Promise<KubeObject[]> {
  const { owner, selector } = input;
  const uid = owner.metadata.uid ?? '';
  const accept = (o: KubeObject): boolean => selector.matches(o.metadata.labels ?? {}) && (input.accept?.(o) ?? true);
  const claimed: KubeObject[] = [];
  for (const o of input.owned) {
    if (accept(o)) {
      claimed.push(o);
      continue;
    }
    // A dependent being deleted is left alone, as upstream does.
    if (o.metadata.deletionTimestamp) continue;
    await write(input, o, (cur) => {
      if (controllerRefOf(cur)?.uid !== uid) return cur;
      const next = clone(cur);
      next.metadata.ownerReferences = (cur.metadata.ownerReferences ?? []).filter((r) => r.uid !== uid);
      return next;
    });
  }
  // A controller being deleted adopts nothing.
  if (owner.metadata.deletionTimestamp) return claimed;
  for (const o of input.orphans) {
    if (o.metadata.deletionTimestamp || !accept(o)) continue;
    const adopted = await write(input, o, (cur) => {
      if (controllerRefOf(cur) || cur.metadata.uid !== o.metadata.uid) return cur;
      const next = clone(cur);
      next.metadata.ownerReferences = [...(cur.metadata.ownerReferences ?? []), controllerRefTo(owner, input.ownerDef)];
      return next;
    });
    if (adopted && controllerRefOf(adopted)?.uid === uid) claimed.push(adopted);
  }
  return claimed;
}

async function write(input: ClaimInput, o: KubeObject, fn: (cur: KubeObject) => KubeObject): Promise<KubeObject | undefined> {
  try {
    return await input.registry.updateWith(input.dependentDef, o.metadata.namespace, o.metadata.name ?? '', fn);
  } catch (e) {
    if (ignorable(e)) return undefined;
    throw e;
  }
}
