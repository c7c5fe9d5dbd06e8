/**
 * What the real server does to a custom object before validating it: apply `default`s
 * where a field is absent, and prune fields the schema does not know (unless
 * x-kubernetes-preserve-unknown-fields says to keep them). Both mutate in place.
 */
import { clone, isObject, type JsonObject } from '../object.js';
import type { Schema } from './schema.js';

/** apiVersion, kind and metadata are never pruned at the root or in embedded resources. */
const typeMetaFields = new Set(['apiVersion', 'kind', 'metadata']);

export function applyDefaults(schema: Schema, value: unknown): void {
  if (Array.isArray(value)) {
    if (schema.items) for (const item of value) applyDefaults(schema.items, item);
    return;
  }
  if (!isObject(value)) return;
  for (const [k, prop] of Object.entries(schema.properties ?? {})) {
    if (value[k] === undefined && prop.hasDefault) value[k] = clone(prop.default);
    if (value[k] !== undefined) applyDefaults(prop, value[k]);
  }
  if (typeof schema.additionalProperties === 'object') {
    for (const [k, v] of Object.entries(value)) if (!schema.properties?.[k]) applyDefaults(schema.additionalProperties, v);
  }
}

/**
 * Remove what the schema does not know; returns the paths removed (`spec.bogus`), which
 * fieldValidation=Strict|Warn reports as unknown fields.
 */
export function prune(schema: Schema, value: unknown, path = ''): string[] {
  const removed: string[] = [];
  const isRoot = path === '';
  if (Array.isArray(value)) {
    if (schema.items) value.forEach((item, i) => removed.push(...prune(schema.items!, item, `${path}[${i}]`)));
    return removed;
  }
  if (!isObject(value)) return removed;
  const keepTypeMeta = isRoot || schema.embeddedResource;
  for (const k of Object.keys(value)) {
    const child = isRoot ? k : `${path}.${k}`;
    const prop = schema.properties?.[k];
    if (prop) removed.push(...prune(prop, value[k], child));
    else if (typeof schema.additionalProperties === 'object') removed.push(...prune(schema.additionalProperties, value[k], child));
    else if (keepTypeMeta && typeMetaFields.has(k)) continue;
    else if (!schema.preserveUnknownFields && schema.additionalProperties !== true) {
      delete (value as JsonObject)[k];
      removed.push(child);
    }
  }
  return removed;
}
