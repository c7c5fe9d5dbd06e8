/**
 * How server-side apply sees a kind's structure: which lists are atomic, sets or maps
 * keyed by some item fields. Read from the OpenAPI schemas the server publishes (whose
 * `x-kubernetes-list-type` / `x-kubernetes-list-map-keys` come from openapi/schema-facts),
 * so apply, `kubectl explain` and client-side apply agree on one table.
 */
import type { ResourceCatalog } from '../catalog.js';
import { buildOpenApiDocuments, documentKey, type OpenApiDocument } from '../openapi/documents.js';
import { componentRefPrefix, type SchemaObject } from '../openapi/schema-object.js';
import type { ResourceDefinition } from '../resource.js';

export type ListSemantics = { readonly type: 'atomic' } | { readonly type: 'set' } | { readonly type: 'map'; readonly keys: readonly string[] };

/** The structure of one value: its fields' shapes, its items' shape, its list semantics. */
export interface Shape {
  field(name: string): Shape;
  item(): Shape;
  readonly list: ListSemantics;
}

const atomic: ListSemantics = { type: 'atomic' };

/** A value without a schema: maps are granular, lists atomic (as the real server treats them). */
export const untypedShape: Shape = { field: () => untypedShape, item: () => untypedShape, list: atomic };

/** A shape over OpenAPI component schemas, resolving `$ref` and single `allOf` lazily. */
export function schemaShape(schemas: Readonly<Record<string, SchemaObject>>, schema: SchemaObject, depth = 0): Shape {
  const resolve = (s: SchemaObject, d: number): SchemaObject => {
    if (d > 8) return s;
    if (s.$ref) {
      const target = schemas[s.$ref.slice(componentRefPrefix.length)];
      return target ? resolve(target, d + 1) : s;
    }
    const only = s.allOf?.length === 1 ? s.allOf[0] : undefined;
    return only && !s.properties ? resolve(only, d + 1) : s;
  };
  if (depth > 64) return untypedShape;
  const s = resolve(schema, 0);
  const listType = s['x-kubernetes-list-type'];
  const keys = s['x-kubernetes-list-map-keys'];
  const list: ListSemantics = listType === 'set' ? { type: 'set' } : listType === 'map' && keys?.length ? { type: 'map', keys } : atomic;
  return {
    list,
    field: (name) => {
      const prop = s.properties?.[name] ?? s.additionalProperties;
      return prop ? schemaShape(schemas, prop, depth + 1) : untypedShape;
    },
    item: () => (s.items ? schemaShape(schemas, s.items, depth + 1) : untypedShape),
  };
}

/** Shapes of the kinds one catalog serves; the documents are rebuilt when the catalog changes. */
export class ShapeCatalog {
  private docs: { resources: readonly ResourceDefinition[]; count: number; byKey: Map<string, OpenApiDocument> } | undefined;

  constructor(private readonly catalog: ResourceCatalog) {}

  shapeOf(def: ResourceDefinition): Shape {
    const resources = this.catalog.resources;
    if (!this.docs || this.docs.resources !== resources || this.docs.count !== resources.length) {
      this.docs = { resources, count: resources.length, byKey: buildOpenApiDocuments(resources) };
    }
    const doc = this.docs.byKey.get(documentKey(def.group, def.version));
    if (!doc) return untypedShape;
    const root = Object.entries(doc.components.schemas).find(([, s]) =>
      s['x-kubernetes-group-version-kind']?.some((g) => g.group === def.group && g.version === def.version && g.kind === def.kind));
    return root ? schemaShape(doc.components.schemas, root[1]) : untypedShape;
  }
}

const shapeCatalogs = new WeakMap<ResourceCatalog, ShapeCatalog>();

/** The catalog's shapes, made on first use. */
export function shapesFor(catalog: ResourceCatalog): ShapeCatalog {
  let s = shapeCatalogs.get(catalog);
  if (!s) {
    s = new ShapeCatalog(catalog);
    shapeCatalogs.set(catalog, s);
  }
  return s;
}
