/**
 * The part of JSONSchemaProps (a CRD version's openAPIV3Schema) that kos acts on:
 * defaulting, pruning and validation of custom objects. Read from untrusted JSON with
 * every field narrowed; what kos does not act on is ignored here (it is still stored and
 * published as written).
 */
import { isObject } from '../object.js';

export interface Schema {
  type?: string;
  format?: string;
  nullable?: boolean;
  properties?: Record<string, Schema>;
  /** A schema for the values of a map, or true for any value. */
  additionalProperties?: Schema | boolean;
  items?: Schema;
  required?: string[];
  enum?: unknown[];
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: boolean;
  exclusiveMaximum?: boolean;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  minItems?: number;
  maxItems?: number;
  minProperties?: number;
  maxProperties?: number;
  default?: unknown;
  hasDefault: boolean;
  preserveUnknownFields: boolean;
  intOrString: boolean;
  embeddedResource: boolean;
}

const num = (x: unknown): number | undefined => (typeof x === 'number' && Number.isFinite(x) ? x : undefined);
const str = (x: unknown): string | undefined => (typeof x === 'string' ? x : undefined);
const bool = (x: unknown): boolean | undefined => (typeof x === 'boolean' ? x : undefined);

/** Narrow a JSONSchemaProps value; anything that is not an object is the empty schema. */
export function readSchema(raw: unknown): Schema {
  const s: Schema = { hasDefault: false, preserveUnknownFields: false, intOrString: false, embeddedResource: false };
  if (!isObject(raw)) return s;
  const copy = <K extends keyof Schema>(key: K, value: Schema[K] | undefined): void => {
    if (value !== undefined) s[key] = value;
  };
  copy('type', str(raw.type));
  copy('format', str(raw.format));
  copy('nullable', bool(raw.nullable));
  copy('pattern', str(raw.pattern));
  for (const k of ['minimum', 'maximum', 'minLength', 'maxLength', 'minItems', 'maxItems', 'minProperties', 'maxProperties'] as const) copy(k, num(raw[k]));
  copy('exclusiveMinimum', bool(raw.exclusiveMinimum));
  copy('exclusiveMaximum', bool(raw.exclusiveMaximum));
  if (isObject(raw.properties)) {
    const props: Record<string, Schema> = {};
    for (const [k, v] of Object.entries(raw.properties)) props[k] = readSchema(v);
    s.properties = props;
  }
  if (raw.additionalProperties === true || raw.additionalProperties === false) s.additionalProperties = raw.additionalProperties;
  else if (isObject(raw.additionalProperties)) s.additionalProperties = readSchema(raw.additionalProperties);
  if (isObject(raw.items)) s.items = readSchema(raw.items);
  if (Array.isArray(raw.required)) s.required = raw.required.filter((r): r is string => typeof r === 'string');
  if (Array.isArray(raw.enum)) s.enum = raw.enum;
  if (Object.hasOwn(raw, 'default')) {
    s.default = raw.default;
    s.hasDefault = true;
  }
  s.preserveUnknownFields = raw['x-kubernetes-preserve-unknown-fields'] === true;
  s.intOrString = raw['x-kubernetes-int-or-string'] === true;
  s.embeddedResource = raw['x-kubernetes-embedded-resource'] === true;
  return s;
}
