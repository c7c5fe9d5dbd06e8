/**
 * Unknown fields of a request body, found against the same schemas the documents publish
 * — what fieldValidation=Strict rejects and =Warn reports. Paths are written as the real
 * server writes them (`spec.template.spec.containers[0].imagePullPolicyy`). apiVersion and
 * kind are known everywhere a kind is; objects whose schema keeps unknown fields
 * (RawExtension) and free-form maps are not looked into.
 */
import type { ResourceCatalog } from '../catalog.js';
import type { ResourceDefinition } from '../resource.js';
import { buildOpenApiDocuments, documentKey, type OpenApiDocument } from './documents.js';
import { componentRefPrefix, type SchemaObject } from './schema-object.js';

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Follow `$ref` and single-element `allOf` to the schema that has the properties. */
function resolve(schemas: Readonly<Record<string, SchemaObject>>, schema: SchemaObject, depth = 0): SchemaObject {
  if (depth > 8) return schema;
  if (schema.$ref) {
    const target = schemas[schema.$ref.slice(componentRefPrefix.length)];
    return target ? resolve(schemas, target, depth + 1) : schema;
  }
  const only = schema.allOf?.length === 1 ? schema.allOf[0] : undefined;
  return only && !schema.properties ? resolve(schemas, only, depth + 1) : schema;
}

export function unknownFieldPaths(schemas: Readonly<Record<string, SchemaObject>>, root: string, value: unknown): string[] {
  const out: string[] = [];
  const walk = (schemaIn: SchemaObject, v: unknown, path: string, depth: number): void => {
    if (depth > 64) return;
    const schema = resolve(schemas, schemaIn);
    if (schema['x-kubernetes-preserve-unknown-fields']) return;
    if (Array.isArray(v)) {
      if (schema.items) v.forEach((item, i) => walk(schema.items!, item, `${path}[${i}]`, depth + 1));
      return;
    }
    if (!isObject(v)) return;
    if (schema.properties) {
      for (const [k, child] of Object.entries(v)) {
        const childPath = path ? `${path}.${k}` : k;
        const prop = schema.properties[k];
        if (prop) walk(prop, child, childPath, depth + 1);
        else out.push(childPath);
      }
    } else if (schema.additionalProperties) {
      for (const [k, child] of Object.entries(v)) walk(schema.additionalProperties, child, path ? `${path}.${k}` : k, depth + 1);
    }
  };
  walk({ $ref: `${componentRefPrefix}${root}` }, value, '', 0);
  return out;
}

/** The Status message of a Strict rejection, worded as the real server words it. */
export function strictDecodingMessage(def: Pick<ResourceDefinition, 'kind' | 'version'>, paths: readonly string[]): string {
  const fields = paths.map((p) => `unknown field "${p}"`).join(', ');
  return `${def.kind} in version "${def.version}" cannot be handled as a ${def.kind}: strict decoding error: ${fields}`;
}

/** Unknown-field checks for the kinds a catalog serves, schemas built on first use. */
export class UnknownFieldChecker {
  private docs: { resources: readonly ResourceDefinition[]; count: number; byKey: Map<string, OpenApiDocument> } | undefined;

  constructor(private readonly catalog: ResourceCatalog) {}

  /** Unknown field paths of `body` as an object of the resource's kind. */
  check(def: ResourceDefinition, body: unknown): string[] {
    const resources = this.catalog.resources;
    if (!this.docs || this.docs.resources !== resources || this.docs.count !== resources.length) {
      this.docs = { resources, count: resources.length, byKey: buildOpenApiDocuments(resources) };
    }
    const doc = this.docs.byKey.get(documentKey(def.group, def.version));
    if (!doc) return [];
    const root = Object.entries(doc.components.schemas).find(([, s]) =>
      s['x-kubernetes-group-version-kind']?.some((g) => g.group === def.group && g.version === def.version && g.kind === def.kind));
    return root ? unknownFieldPaths(doc.components.schemas, root[0], body) : [];
  }
}
