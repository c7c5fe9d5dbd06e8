/**
 * What the handlers need to know about a served custom resource beyond its
 * ResourceDefinition: that it is one (strategic merge patch is refused), which CRD
 * serves it, and where its scale subresource reads and writes replicas.
 */
import type { ResourceDefinition } from '../resource.js';
import type { ScalePaths } from './crd-model.js';

export interface CustomResourceInfo {
  crdName: string;
  scale?: ScalePaths;
  /** Paths of the fields the schema would prune from `obj` (for fieldValidation Strict/Warn). */
  unknownFields?(obj: unknown): string[];
}

const infos = new WeakMap<ResourceDefinition, CustomResourceInfo>();

export function markCustomResource(def: ResourceDefinition, info: CustomResourceInfo): void {
  infos.set(def, info);
}

export const customResourceInfo = (def: ResourceDefinition): CustomResourceInfo | undefined => infos.get(def);
