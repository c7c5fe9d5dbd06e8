/**
 * Deleting a namespace, as the real server does it: DELETE only marks the namespace
 * Terminating (deletionTimestamp, status.phase) while spec.finalizers holds `kubernetes`;
 * the namespace controller (src/kubernetes/controllers/namespace) deletes the content and
 * then removes that finalizer through the `finalize` subresource, and the namespace goes
 * once no finalizer of either kind is left. The system namespaces may never be deleted.
 */
import { isKosError } from '../../core/errors.js';
import { asKubeObject, clone, isObject, type KubeObject } from './object.js';
import {
  checkDeleteOptions,
  resourceOf,
  withPropagationFinalizers,
  type DeleteOptionsBody,
  type DeleteResult,
  type Registry,
  type WriteOptions,
} from './registry.js';
import type { ResourceDefinition } from './resource.js';
import { systemNamespaces } from './resources/namespaces.js';
import { badRequest, conflict, forbidden, modifiedConflict, notFound } from './status.js';
import { rfc3339 } from './time.js';

/** The finalizer in spec.finalizers the namespace controller owns. */
export const kubernetesFinalizer = 'kubernetes';

const conflictRetries = 10;

/** spec.finalizers of a namespace (not metadata.finalizers). */
export function namespaceFinalizers(ns: KubeObject): string[] {
  const spec = ns.spec;
  if (!isObject(spec) || !Array.isArray(spec.finalizers)) return [];
  return spec.finalizers.filter((f): f is string => typeof f === 'string');
}

export async function deleteNamespace(
  registry: Registry,
  namespaces: ResourceDefinition,
  name: string,
  options: DeleteOptionsBody,
): Promise<DeleteResult> {
  if ((systemNamespaces as readonly string[]).includes(name)) {
    throw forbidden(resourceOf(namespaces), name, 'this namespace may not be deleted');
  }
  checkDeleteOptions(options);
  const key = registry.keys.key(namespaces, undefined, name);
  for (let attempt = 0; ; attempt++) {
    const current = await registry.get(namespaces, undefined, name);
    registry.checkPreconditions(namespaces, current, options.preconditions);
    if (namespaceFinalizers(current).length === 0) {
      // Nothing left for the namespace controller: an ordinary delete.
      return registry.delete(namespaces, undefined, name, options);
    }
    if (current.metadata.deletionTimestamp) {
      throw conflict(
        resourceOf(namespaces),
        name,
        'The system is ensuring all content is removed from this namespace.  Upon completion, this namespace will automatically be purged by the system.',
      );
    }
    const marked = clone(current);
    marked.metadata.deletionTimestamp = rfc3339(registry.clock.now());
    const finalizers = withPropagationFinalizers(current.metadata.finalizers ?? [], options.propagationPolicy);
    if (finalizers.length > 0) marked.metadata.finalizers = finalizers;
    else delete marked.metadata.finalizers;
    marked.status = { ...(isObject(current.status) ? current.status : {}), phase: 'Terminating' };
    if (options.dryRun) return { object: marked, deleted: false };
    try {
      const kv = await registry.store.update(key, registry.encode(marked), Number(current.metadata.resourceVersion));
      return { object: registry.decode(kv), deleted: false };
    } catch (e) {
      if (!isKosError(e) || (e.kind !== 'Conflict' && e.kind !== 'NotFound')) throw e;
      if (e.kind === 'NotFound') throw notFound(resourceOf(namespaces), name);
      if (attempt >= conflictRetries) throw modifiedConflict(resourceOf(namespaces), name);
    }
  }
}

/**
 * The `finalize` subresource (PUT /api/v1/namespaces/<name>/finalize): only
 * spec.finalizers is taken from the body. A namespace being deleted whose last finalizer
 * goes is deleted here.
 */
export async function finalizeNamespace(
  registry: Registry,
  namespaces: ResourceDefinition,
  name: string,
  body: unknown,
  opts: WriteOptions = {},
): Promise<KubeObject> {
  const wanted = asKubeObject(body, namespaces.apiVersion, namespaces.kind);
  if (wanted.metadata.name !== undefined && wanted.metadata.name !== name) {
    throw badRequest(`the name of the object (${wanted.metadata.name}) does not match the name on the URL (${name})`);
  }
  if (isObject(wanted.spec) && wanted.spec.finalizers !== undefined) {
    const f = wanted.spec.finalizers;
    if (!Array.isArray(f) || !f.every((x) => typeof x === 'string')) throw badRequest('spec.finalizers must be a list of strings');
  }
  const finalizers = namespaceFinalizers(wanted);
  const key = registry.keys.key(namespaces, undefined, name);
  for (let attempt = 0; ; attempt++) {
    const current = await registry.get(namespaces, undefined, name);
    const precondition = wanted.metadata.resourceVersion;
    if (precondition && precondition !== current.metadata.resourceVersion) throw modifiedConflict(resourceOf(namespaces), name);
    const next = clone(current);
    next.spec = { ...(isObject(current.spec) ? current.spec : {}), finalizers };
    if (JSON.stringify(namespaceFinalizers(current)) === JSON.stringify(finalizers)) return current;
    if (opts.dryRun) return next;
    const revision = Number(current.metadata.resourceVersion);
    try {
      if (next.metadata.deletionTimestamp && finalizers.length === 0 && (next.metadata.finalizers ?? []).length === 0) {
        await registry.store.delete(key, { expectedModRevision: revision });
        return next;
      }
      return registry.decode(await registry.store.update(key, registry.encode(next), revision));
    } catch (e) {
      if (!isKosError(e) || (e.kind !== 'Conflict' && e.kind !== 'NotFound')) throw e;
      if (e.kind === 'NotFound') throw notFound(resourceOf(namespaces), name);
      if (precondition || attempt >= conflictRetries) throw modifiedConflict(resourceOf(namespaces), name);
    }
  }
}
