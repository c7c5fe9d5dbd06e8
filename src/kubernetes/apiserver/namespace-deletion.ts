/**
 * Deleting a namespace, simply for now: the namespace is marked Terminating, everything
 * in it is deleted (objects with finalizers are only marked, like any delete), and the
 * namespace goes once nothing is left. All of it happens inside the DELETE request. The
 * real server hands this to the namespace controller and the `kubernetes` finalizer;
 * moving it into a reconciler (so a namespace with finalizing content finishes later)
 * is future work. The system namespaces may never be deleted.
 */
import { isKosError } from '../../core/errors.js';
import type { ResourceCatalog } from './catalog.js';
import { listAll } from './list.js';
import { clone, type KubeObject } from './object.js';
import { resourceOf, type DeleteOptionsBody, type DeleteResult, type Registry } from './registry.js';
import type { ResourceDefinition } from './resource.js';
import { systemNamespaces } from './resources/namespaces.js';
import { StatusError, forbidden, notFound } from './status.js';
import { rfc3339 } from './time.js';

export async function deleteNamespace(
  registry: Registry,
  catalog: ResourceCatalog,
  namespaces: ResourceDefinition,
  name: string,
  options: DeleteOptionsBody,
): Promise<DeleteResult> {
  if ((systemNamespaces as readonly string[]).includes(name)) {
    throw forbidden(resourceOf(namespaces), name, 'this namespace may not be deleted');
  }
  const current = await registry.get(namespaces, undefined, name);
  if (options.dryRun) return { object: current, deleted: false };
  const terminating = await markTerminating(registry, namespaces, current);
  for (const def of catalog.resources) {
    if (!def.namespaced) continue;
    for (const obj of await listAll(registry, def, name)) {
      try {
        await registry.delete(def, name, obj.metadata.name ?? '', {});
      } catch (e) {
        if (!(e instanceof StatusError && e.code === 404)) throw e;
      }
    }
  }
  for (const def of catalog.resources) {
    if (!def.namespaced) continue;
    const left = await registry.store.range(registry.keys.prefix(def, name), { countOnly: true });
    // Content still finalizing: the namespace stays Terminating.
    if (left.count > 0) return { object: terminating, deleted: false };
  }
  try {
    await registry.store.delete(registry.keys.key(namespaces, undefined, name));
  } catch (e) {
    if (isKosError(e) && e.kind === 'NotFound') throw notFound(resourceOf(namespaces), name);
    throw e;
  }
  return { object: terminating, deleted: true };
}

async function markTerminating(registry: Registry, namespaces: ResourceDefinition, current: KubeObject): Promise<KubeObject> {
  if (current.metadata.deletionTimestamp) return current;
  const key = registry.keys.key(namespaces, undefined, current.metadata.name ?? '');
  const marked = clone(current);
  marked.metadata.deletionTimestamp = rfc3339(registry.clock.now());
  marked.status = { phase: 'Terminating' };
  const kv = await registry.store.update(key, registry.encode(marked), Number(current.metadata.resourceVersion));
  return registry.decode(kv);
}
