/**
 * Reconcile the bootstrap roles and bindings at every start, as the real server's
 * post-start hook does: missing ones are created; existing ones marked
 * `rbac.authorization.kubernetes.io/autoupdate: "true"` get back any labels,
 * annotations, rules, selectors and subjects they lost (extra ones an administrator
 * added are kept); `"false"` leaves an object alone. A binding whose roleRef changed is
 * recreated, since roleRef is immutable.
 */
import { jsonEqual } from '../../apimachinery/index.js';
import type { KubeObject } from '../object.js';
import type { Registry } from '../registry.js';
import type { ResourceDefinition } from '../resource.js';
import { StatusError } from '../status.js';
import {
  bootstrapClusterRoleBindings,
  bootstrapClusterRoles,
  clusterRoleBindingObject,
  clusterRoleObject,
} from './bootstrap-policy.js';
import { autoUpdateAnnotation } from './policy.js';

function withMissing(current: unknown, wanted: unknown[]): unknown[] {
  const have = Array.isArray(current) ? [...(current as unknown[])] : [];
  for (const w of wanted) if (!have.some((h) => jsonEqual(h, w))) have.push(w);
  return have;
}

function mergeMeta(obj: KubeObject, wanted: KubeObject): void {
  obj.metadata.labels = { ...wanted.metadata.labels, ...obj.metadata.labels };
  obj.metadata.annotations = { ...wanted.metadata.annotations, ...obj.metadata.annotations };
}

async function getOrUndefined(registry: Registry, def: ResourceDefinition, name: string): Promise<KubeObject | undefined> {
  try {
    return await registry.get(def, undefined, name);
  } catch (e) {
    if (e instanceof StatusError && e.status.reason === 'NotFound') return undefined;
    throw e;
  }
}

async function createIgnoringRace(registry: Registry, def: ResourceDefinition, obj: Record<string, unknown>): Promise<void> {
  try {
    await registry.create(def, undefined, obj);
  } catch (e) {
    if (!(e instanceof StatusError && e.status.reason === 'AlreadyExists')) throw e;
  }
}

export async function reconcileBootstrapPolicy(registry: Registry, kinds: { clusterRoles: ResourceDefinition; clusterRoleBindings: ResourceDefinition }): Promise<void> {
  for (const r of bootstrapClusterRoles) {
    const wanted = clusterRoleObject(r) as KubeObject;
    const existing = await getOrUndefined(registry, kinds.clusterRoles, r.name);
    if (!existing) {
      await createIgnoringRace(registry, kinds.clusterRoles, wanted);
      continue;
    }
    if (existing.metadata.annotations?.[autoUpdateAnnotation] === 'false') continue;
    await registry.updateWith(kinds.clusterRoles, undefined, r.name, (current) => {
      mergeMeta(current, wanted);
      // Aggregated roles' rules belong to the aggregation controller.
      if (r.aggregatesLabel) {
        const rule = (current.aggregationRule ?? {}) as { clusterRoleSelectors?: unknown };
        current.aggregationRule = { ...rule, clusterRoleSelectors: withMissing(rule.clusterRoleSelectors, (wanted.aggregationRule as { clusterRoleSelectors: unknown[] }).clusterRoleSelectors) };
      } else {
        current.rules = withMissing(current.rules, r.rules);
      }
      return current;
    });
  }
  for (const b of bootstrapClusterRoleBindings) {
    const wanted = clusterRoleBindingObject(b) as KubeObject;
    const existing = await getOrUndefined(registry, kinds.clusterRoleBindings, b.name);
    if (existing && existing.metadata.annotations?.[autoUpdateAnnotation] === 'false') continue;
    if (existing && !jsonEqual(existing.roleRef, wanted.roleRef)) {
      // roleRef cannot change: replace the binding, keeping the subjects it had.
      await registry.delete(kinds.clusterRoleBindings, undefined, b.name);
      await createIgnoringRace(registry, kinds.clusterRoleBindings, { ...wanted, subjects: withMissing(existing.subjects, wanted.subjects as unknown[]) });
      continue;
    }
    if (!existing) {
      await createIgnoringRace(registry, kinds.clusterRoleBindings, wanted);
      continue;
    }
    await registry.updateWith(kinds.clusterRoleBindings, undefined, b.name, (current) => {
      mergeMeta(current, wanted);
      current.subjects = withMissing(current.subjects, wanted.subjects as unknown[]);
      return current;
    });
  }
}
