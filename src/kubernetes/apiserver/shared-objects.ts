/**
 * Objects shared between the informers of a thread and the writes that made them are
 * read-only to everyone who holds them. With KOS_CACHE_MUTATION_DETECTOR=true (the test
 * suite sets it, as client-go's KUBE_CACHE_MUTATION_DETECTOR does for its caches) they
 * are frozen, so that code changing one throws where it does so instead of corrupting
 * what every other holder sees. Off, sharing costs nothing.
 */
import type { KubeObject } from './object.js';

const detectSharedMutation = process.env.KOS_CACHE_MUTATION_DETECTOR === 'true';

function freezeDeep(value: unknown): void {
  if (typeof value !== 'object' || value === null || Object.isFrozen(value)) return;
  for (const child of Object.values(value)) freezeDeep(child);
  Object.freeze(value);
}

/**
 * Freezes `obj` when the detector is on. `metadata.resourceVersion` stays writable: the
 * registry fills it in once the store has given the revision.
 */
export function markShared(obj: KubeObject): void {
  if (!detectSharedMutation) return;
  const meta = obj.metadata as Record<string, unknown>;
  for (const [key, child] of Object.entries(meta)) {
    if (key === 'resourceVersion') continue;
    freezeDeep(child);
    Object.defineProperty(meta, key, { writable: false, configurable: false });
  }
  for (const [key, child] of Object.entries(obj)) if (key !== 'metadata') freezeDeep(child);
  Object.freeze(obj);
}
