/**
 * Component schemas generated from the protobuf descriptor tables: one component per
 * message reachable from the roots, named as upstream names it, with formats from the
 * scalar types, `required` from omitempty (less the listed exceptions), list topology
 * and patch strategies from their tables. Inline structs are flattened; named slices
 * (`ExtraValue`) become plain arrays.
 */
import type { FieldDescriptor, MessageRegistry } from '../../apimachinery/protobuf/index.js';
import type { ValueType } from '../../apimachinery/protobuf/descriptor.js';
import { jsonFields } from './message-fields.js';
import type { PatchExtensionTable } from './patch-extensions.js';
import { listTopology, optionalWithoutOmitEmpty } from './schema-facts.js';
import { componentName } from './schema-names.js';
import { refTo, type GroupVersionKindRef, type SchemaObject } from './schema-object.js';
import { specialSchemas } from './special-schemas.js';

export interface KindInfo {
  readonly gvk: GroupVersionKindRef;
  readonly description: string;
}

export interface ComponentContext {
  readonly registry: MessageRegistry;
  readonly patch: PatchExtensionTable;
  /** Messages that are top-level kinds: they get apiVersion, kind and their GVK. */
  readonly kinds: ReadonlyMap<string, KindInfo>;
}

const scalarSchemas: Readonly<Record<string, SchemaObject>> = {
  string: { type: 'string' },
  int32: { type: 'integer', format: 'int32' },
  int64: { type: 'integer', format: 'int64' },
  bool: { type: 'boolean' },
  bytes: { type: 'string', format: 'byte' },
};

export const typeMetaProperties: Readonly<Record<string, SchemaObject>> = {
  apiVersion: { description: 'The versioned schema of this representation of an object.', type: 'string' },
  kind: { description: 'The REST resource this object represents, in CamelCase.', type: 'string' },
};

export class ComponentBuilder {
  readonly schemas: Record<string, SchemaObject> = {};

  constructor(private readonly ctx: ComponentContext) {}

  /** Add the component for a qualified message (and all it reaches); returns its name. */
  add(message: string): string {
    const name = componentName(message);
    if (Object.hasOwn(this.schemas, name)) return name;
    const special = specialSchemas.get(message);
    if (special) {
      this.schemas[name] = special;
      return name;
    }
    // Placeholder first: messages may reach themselves (JSONSchemaProps does).
    this.schemas[name] = {};
    this.schemas[name] = this.structSchema(message);
    return name;
  }

  private structSchema(message: string): SchemaObject {
    const properties: Record<string, SchemaObject> = {};
    const required: string[] = [];
    const kind = this.ctx.kinds.get(message);
    if (kind) Object.assign(properties, typeMetaProperties);
    const optional = optionalWithoutOmitEmpty[message] ?? [];
    for (const [json, { field, owner }] of jsonFields(this.ctx.registry, message)) {
      properties[json] = this.fieldSchema(field, owner, json);
      const ownerOptional = owner === message ? optional : optionalWithoutOmitEmpty[owner] ?? [];
      if (!field.omitEmpty && !field.omitZero && !ownerOptional.includes(json)) required.push(json);
    }
    const schema: SchemaObject = { type: 'object', properties };
    if (kind) schema.description = kind.description;
    if (required.length > 0) schema.required = required;
    if (kind) schema['x-kubernetes-group-version-kind'] = [kind.gvk];
    return schema;
  }

  private valueSchema(value: ValueType): SchemaObject {
    if (value.kind === 'scalar') return { ...scalarSchemas[value.scalar] };
    const d = this.ctx.registry.message(value.message);
    if (d?.kind === 'slice') return { type: 'array', items: this.valueSchema(d.element) };
    if (d === undefined && !specialSchemas.has(value.message)) throw new Error(`no descriptor for ${value.message}`);
    return refTo(this.add(value.message));
  }

  private fieldSchema(field: FieldDescriptor, owner: string, json: string): SchemaObject {
    const value = this.valueSchema(field.value);
    let schema: SchemaObject;
    if (field.cardinality === 'repeated') schema = { type: 'array', items: value };
    else if (field.cardinality === 'map') schema = { type: 'object', additionalProperties: value };
    // A lone $ref may carry no siblings in OpenAPI 3.0: wrap it, as upstream does.
    else schema = value.$ref ? { allOf: [value] } : value;
    const patch = this.ctx.patch.get(owner)?.get(json);
    if (patch?.strategy) schema['x-kubernetes-patch-strategy'] = patch.strategy;
    if (patch?.mergeKey) schema['x-kubernetes-patch-merge-key'] = patch.mergeKey;
    const topology = listTopology[owner]?.[json];
    if (topology) {
      schema['x-kubernetes-list-type'] = topology.type;
      if (topology.type === 'map') schema['x-kubernetes-list-map-keys'] = [...topology.keys];
    }
    return schema;
  }
}
