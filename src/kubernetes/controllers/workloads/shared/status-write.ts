/** Status writes that are skipped when nothing changed, and tolerate the object being gone. */
import { objectAt, type KubeObject } from '../../../apiserver/object.js';
import type { Registry } from '../../../apiserver/registry.js';
import type { ResourceDefinition } from '../../../apiserver/resource.js';
import { StatusError } from '../../../apiserver/status.js';
import { sameJson } from './hash.js';

export const isNotFound = (e: unknown): boolean => e instanceof StatusError && e.code === 404;

/** Write `status` through the status subresource unless the cached object already has it. */
export async function writeStatus(registry: Registry, def: ResourceDefinition, cached: KubeObject, status: Record<string, unknown>): Promise<void> {
  if (sameJson(objectAt(cached, 'status') ?? {}, status)) return;
  try {
    await registry.updateWith(def, cached.metadata.namespace, cached.metadata.name ?? '', (cur) => (cur.metadata.uid === cached.metadata.uid ? { ...cur, status } : cur), { subresource: 'status', copyOnWrite: true });
  } catch (e) {
    if (!isNotFound(e)) throw e;
  }
}
