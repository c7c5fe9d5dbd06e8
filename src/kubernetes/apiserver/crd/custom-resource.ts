/**
 * The ResourceDefinitions an established CRD serves: one per served version, the storage
 * version stored as is and every other one a view of it (conversion strategy None: only
 * apiVersion changes). Each runs the CRD's schema as its strategy — defaults, pruning,
 * validation — and prints the version's additionalPrinterColumns.
 */
import { clone, isObject, type JsonObject, type KubeObject } from '../object.js';
import { provideOpenApiSchema, type SchemaSink } from '../openapi/index.js';
import { defineResource, type ResourceDefinition, type Strategy, type SubresourceName } from '../resource.js';
import type { SchemaObject } from '../openapi/index.js';
import type { CrdModel, CrdVersion } from './crd-model.js';
import { printerColumns } from './printer-columns.js';
import { readSchema, type Schema } from './schema.js';
import { applyDefaults, prune } from './structural.js';
import { markCustomResource } from './served.js';
import { validateAgainstSchema } from './validate-schema.js';

function schemaStrategy(schema: Schema, version: CrdVersion): Strategy {
  const topLevel = Object.keys(schema.properties ?? {}).filter((k) => !['apiVersion', 'kind', 'metadata', 'status'].includes(k));
  const strategy: Strategy = {
    defaults(obj) {
      applyDefaults(schema, obj);
      prune(schema, obj);
    },
    validate: (obj) => validateAgainstSchema(schema, obj, ''),
    // Custom objects always carry a generation; the spec-like top-level fields bump it.
    generationFields: topLevel.length > 0 ? topLevel : ['spec'],
  };
  if (version.status) {
    strategy.prepareForCreate = (obj) => {
      delete obj.status;
    };
    strategy.prepareForUpdate = (next, old) => {
      if (old.status === undefined) delete next.status;
      else next.status = clone(old.status);
    };
  }
  return strategy;
}

/** `stable.example.com` → `com.example.stable`: how upstream names custom components. */
const reversedGroup = (group: string): string => group.split('.').reverse().join('.');

/** The version's openAPIV3Schema as a component, with type metadata and ObjectMeta filled in. */
function schemaProvider(crd: CrdModel, version: CrdVersion): (sink: SchemaSink) => string {
  return (sink) => {
    const name = `${reversedGroup(crd.group)}.${version.name}.${crd.names.kind}`;
    const objectMeta = sink.addMessage('meta.v1.ObjectMeta');
    const written: JsonObject = isObject(version.schema) ? clone(version.schema) : { type: 'object' };
    const properties: JsonObject = isObject(written.properties) ? written.properties : {};
    written.properties = {
      ...properties,
      apiVersion: { description: 'The versioned schema of this representation of an object.', type: 'string' },
      kind: { description: 'The REST resource this object represents, in CamelCase.', type: 'string' },
      metadata: { allOf: [{ $ref: `#/components/schemas/${objectMeta}` }] },
    };
    written['x-kubernetes-group-version-kind'] = [{ group: crd.group, kind: crd.names.kind, version: version.name }];
    // SchemaObject lists the fields kos generates; a user's schema has more and is published as written.
    sink.schemas[name] = written as SchemaObject;
    return name;
  };
}

function subresourcesOf(version: CrdVersion): SubresourceName[] {
  return [...(version.status ? (['status'] as const) : []), ...(version.scale ? (['scale'] as const) : [])];
}

export interface CustomResourceSet {
  /** One definition per served version. */
  served: ResourceDefinition[];
  /** Where the objects are stored (the storage version, served or not). */
  storage: ResourceDefinition;
}

/** Every served version of `crd` as a ResourceDefinition, and the storage one. */
export function customResourceDefinitions(crd: CrdModel): CustomResourceSet | undefined {
  const storageVersion = crd.versions.find((v) => v.storage);
  if (!storageVersion) return undefined;
  const base = (version: CrdVersion): Parameters<typeof defineResource>[0] => ({
    group: crd.group,
    version: version.name,
    kind: crd.names.kind,
    plural: crd.names.plural,
    singular: crd.names.singular,
    namespaced: crd.namespaced,
    shortNames: crd.names.shortNames,
    categories: crd.names.categories,
    subresources: subresourcesOf(version),
    strategy: schemaStrategy(readSchema(version.schema), version),
    tableColumns: printerColumns(version.columns),
  });
  const storage = defineResource(base(storageVersion));
  const defs: ResourceDefinition[] = [];
  // Served in Kubernetes version priority, so the group's preferred version is the highest (v1 before v1beta1).
  for (const version of [...crd.versions].sort((a, b) => compareVersionPriority(a.name, b.name))) {
    if (!version.served) continue;
    let def: ResourceDefinition;
    if (version === storageVersion) def = storage;
    else {
      const apiVersion = `${crd.group}/${version.name}`;
      const spec = base(version);
      const own = spec.strategy!;
      def = defineResource({
        ...spec,
        // The served version checks what the client sent against its own schema; storage does the rest.
        strategy: { validate: (obj) => validateWithDefaults(own, obj) },
        conversion: {
          storage,
          toStorage: (obj: KubeObject) => ({ ...obj, apiVersion: storage.apiVersion }),
          fromStorage: (obj: KubeObject) => ({ ...obj, apiVersion }),
        },
      });
    }
    const schema = readSchema(version.schema);
    markCustomResource(def, {
      crdName: crd.name,
      ...(version.scale ? { scale: version.scale } : {}),
      unknownFields: (obj) => prune(schema, clone(obj)),
    });
    provideOpenApiSchema(def, schemaProvider(crd, version));
    defs.push(def);
  }
  // The storage version is the one the registry writes through; keep its info even when unserved.
  if (!storageVersion.served) markCustomResource(storage, { crdName: crd.name });
  return { served: defs, storage };
}

function validateWithDefaults(strategy: Strategy, obj: KubeObject): ReturnType<NonNullable<Strategy['validate']>> {
  const copy = clone(obj);
  strategy.defaults?.(copy);
  return strategy.validate?.(copy) ?? [];
}

const versionPattern = /^v(\d+)(?:(alpha|beta)(\d+))?$/;

/**
 * Kubernetes version priority: GA before beta before alpha, higher numbers first, and
 * names that are not Kubernetes versions last, alphabetically. Negative: `a` comes first.
 */
export function compareVersionPriority(a: string, b: string): number {
  const ma = versionPattern.exec(a);
  const mb = versionPattern.exec(b);
  if (!ma || !mb) return ma ? -1 : mb ? 1 : a < b ? -1 : a > b ? 1 : 0;
  const level = (m: RegExpExecArray): number => (m[2] === undefined ? 2 : m[2] === 'beta' ? 1 : 0);
  if (level(ma) !== level(mb)) return level(mb) - level(ma);
  if (ma[1] !== mb[1]) return Number(mb[1]) - Number(ma[1]);
  return Number(mb[3] ?? 0) - Number(ma[3] ?? 0);
}
