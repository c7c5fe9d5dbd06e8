/**
 * Label and field selectors for lists, watches and deletecollection, parsed and matched
 * by `src/kubernetes/apimachinery` (which also knows each kind's selectable fields and
 * answers unknown ones with the server's 400).
 */
import { FieldSelector, parseLabelSelector } from '../apimachinery/index.js';
import type { KubeObject } from './object.js';
import type { ResourceDefinition } from './resource.js';

/** Decides whether an object is wanted. */
export type ObjectFilter = (obj: KubeObject) => boolean;

export const matchEverything: ObjectFilter = () => true;

export function compileFilter(def: ResourceDefinition, labelSelector: string | undefined, fieldSelector: string | undefined): ObjectFilter {
  const labels = (labelSelector ?? '').trim();
  const fields = (fieldSelector ?? '').trim();
  if (!labels && !fields) return matchEverything;
  const gvk = { group: def.group, version: def.version, kind: def.kind };
  const labelMatch = labels ? parseLabelSelector(labels) : undefined;
  const fieldMatch = fields ? FieldSelector.parse(fields, gvk) : undefined;
  return (obj) => (labelMatch?.matches(obj.metadata.labels ?? {}) ?? true) && (fieldMatch?.matches(obj, gvk) ?? true);
}
