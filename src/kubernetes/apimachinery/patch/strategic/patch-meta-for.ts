/**
 * patchMetaFor(gvk): the strategic merge metadata of a kind. Built-in kinds get their
 * tables (every built-in kind at least has ObjectMeta's finalizers and ownerReferences);
 * custom resources get none, so a strategic merge patch on them behaves like a JSON merge
 * patch: maps merge, lists are replaced. (The real server refuses strategic merge patches
 * on custom resources with 415; whether kos does is the API server's decision.)
 */
import { groupKindKey } from '../../gvk.js';
import type { GroupVersionKind } from '../../gvk.js';
import { builtinPatchSchemas, objectMeta } from './builtin-meta.js';
import { emptySchema } from './patch-meta.js';
import type { PatchSchema } from './patch-meta.js';

/** API groups whose kinds are compiled into the real API server (Go structs with tags). */
const BUILTIN_GROUPS: ReadonlySet<string> = new Set([
  '',
  'admissionregistration.k8s.io',
  'apiextensions.k8s.io',
  'apiregistration.k8s.io',
  'apps',
  'authentication.k8s.io',
  'authorization.k8s.io',
  'autoscaling',
  'batch',
  'certificates.k8s.io',
  'coordination.k8s.io',
  'discovery.k8s.io',
  'events.k8s.io',
  'flowcontrol.apiserver.k8s.io',
  'metrics.k8s.io',
  'networking.k8s.io',
  'node.k8s.io',
  'policy',
  'rbac.authorization.k8s.io',
  'scheduling.k8s.io',
  'storage.k8s.io',
]);

export const isBuiltinGroup = (group: string): boolean => BUILTIN_GROUPS.has(group);

export function patchMetaFor(gvk: GroupVersionKind): PatchSchema {
  const known = builtinPatchSchemas.get(groupKindKey(gvk));
  if (known) return known;
  if (isBuiltinGroup(gvk.group)) return { name: gvk.kind, fields: { metadata: { schema: objectMeta } } };
  return emptySchema(gvk.kind);
}
