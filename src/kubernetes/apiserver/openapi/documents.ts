/**
 * One OpenAPI v3 document per served group-version, derived from the resource catalog
 * and the protobuf descriptor tables at the time it is called. A served kind without a
 * descriptor throws (MissingSchemaError): kubectl trusts what it gets (explain, apply,
 * field validation), so a partial document is never published.
 */
import { builtinRegistry, type MessageRegistry } from '../../apimachinery/protobuf/index.js';
import { builtinTables } from '../../apimachinery/protobuf/tables/index.js';
import type { ResourceDefinition } from '../resource.js';
import { kubernetesVersion } from '../version.js';
import { ComponentBuilder, typeMetaProperties, type KindInfo } from './component-schemas.js';
import { kindDescription } from './kind-descriptions.js';
import { resourcePaths, type OperationSchemas, type PathItem } from './operations.js';
import { collectPatchExtensions, type KindMessage } from './patch-extensions.js';
import { refTo, type SchemaObject } from './schema-object.js';
import { providedSchemaOf } from './provided-schemas.js';

export class MissingSchemaError extends Error {
  constructor(readonly resource: ResourceDefinition) {
    super(`no schema for served kind ${resource.apiVersion} ${resource.kind}: describe it in src/kubernetes/apimachinery/protobuf/tables`);
    this.name = 'MissingSchemaError';
  }
}

export interface OpenApiDocument {
  openapi: '3.0.0';
  info: { title: string; version: string };
  paths: Record<string, PathItem>;
  components: { schemas: Record<string, SchemaObject>; securitySchemes: Record<string, unknown> };
}

/** `api/v1`, `apis/apps/v1`: the key of a group-version in /openapi/v3. */
export const documentKey = (group: string, version: string): string => (group ? `apis/${group}/${version}` : `api/${version}`);

const splitApiVersion = (apiVersion: string): { group: string; version: string } => {
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? { group: '', version: apiVersion } : { group: apiVersion.slice(0, slash), version: apiVersion.slice(slash + 1) };
};

/** Descriptor packages by the API group-version whose kinds they hold. */
function packagesByGroupVersion(): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const t of builtinTables) {
    const list = out.get(t.groupVersion) ?? [];
    if (!list.includes(t.package)) list.push(t.package);
    out.set(t.groupVersion, list);
  }
  return out;
}

function kindMessageOf(registry: MessageRegistry, packages: Map<string, string[]>, def: ResourceDefinition): string {
  for (const pkg of packages.get(def.apiVersion) ?? []) {
    const name = `${pkg}.${def.kind}`;
    if (registry.message(name)?.kind === 'struct') return name;
  }
  throw new MissingSchemaError(def);
}

/** Every top-level kind a component may be: served ones and those the tables declare. */
function kindInfos(registry: MessageRegistry, served: readonly KindMessage[]): Map<string, KindInfo> {
  const out = new Map<string, KindInfo>();
  const add = (message: string, apiVersion: string, kind: string): void => {
    const { group, version } = splitApiVersion(apiVersion);
    out.set(message, { gvk: { group, kind, version }, description: kindDescription(kind, apiVersion) });
  };
  for (const t of builtinTables) {
    for (const kind of t.kinds) if (registry.message(`${t.package}.${kind}`)) add(`${t.package}.${kind}`, t.groupVersion, kind);
  }
  for (const k of served) add(k.message, k.gvk.group ? `${k.gvk.group}/${k.gvk.version}` : k.gvk.version, k.gvk.kind);
  return out;
}

const patchSchema: SchemaObject = {
  description: 'A patch body: JSON patch, merge patch, strategic merge patch or apply configuration, by content type.',
  type: 'object',
};

/** All documents for the resources served, keyed by documentKey. */
export function buildOpenApiDocuments(resources: readonly ResourceDefinition[]): Map<string, OpenApiDocument> {
  const registry = builtinRegistry();
  const packages = packagesByGroupVersion();
  // Kinds with a provided schema (CRDs, custom resources) bring their own components.
  const served = resources.map((def) => {
    const provider = providedSchemaOf(def);
    return provider ? { def, message: '', provider } : { def, message: kindMessageOf(registry, packages, def), provider };
  });
  const kindMessages: KindMessage[] = served
    .filter(({ provider }) => !provider)
    .map(({ def, message }) => ({
      gvk: { group: def.group, version: def.version, kind: def.kind },
      message,
    }));
  const ctx = { registry, patch: collectPatchExtensions(registry, kindMessages), kinds: kindInfos(registry, kindMessages) };

  const byKey = new Map<string, typeof served>();
  for (const s of served) {
    const key = documentKey(s.def.group, s.def.version);
    byKey.set(key, [...(byKey.get(key) ?? []), s]);
  }
  const docs = new Map<string, OpenApiDocument>();
  for (const [key, entries] of byKey) {
    const components = new ComponentBuilder(ctx);
    const common = {
      status: components.add('meta.v1.Status'),
      deleteOptions: components.add('meta.v1.DeleteOptions'),
      patch: 'io.k8s.apimachinery.pkg.apis.meta.v1.Patch',
    };
    components.schemas[common.patch] = patchSchema;
    const paths: Record<string, PathItem> = {};
    for (const { def, message, provider } of entries) {
      const kind = provider ? provider({ addMessage: (m) => components.add(m), schemas: components.schemas }) : components.add(message);
      const list = `${kind}List`;
      components.schemas[list] = {
        description: `A list of ${def.kind} objects.`,
        type: 'object',
        properties: {
          ...typeMetaProperties,
          items: { type: 'array', items: refTo(kind) },
          metadata: { allOf: [refTo(components.add('meta.v1.ListMeta'))] },
        },
        required: ['items'],
        'x-kubernetes-group-version-kind': [{ group: def.group, kind: def.listKind, version: def.version }],
      };
      const subs: readonly string[] = def.subresources;
      const schemas: OperationSchemas = {
        ...common,
        kind,
        list,
        scale: subs.includes('scale') ? components.add('autoscaling.v1.Scale') : '',
        binding: subs.includes('binding') ? components.add('core.v1.Binding') : '',
        eviction: subs.includes('eviction') ? components.add('policy.v1.Eviction') : '',
      };
      Object.assign(paths, resourcePaths(def, schemas));
    }
    docs.set(key, {
      openapi: '3.0.0',
      info: { title: 'Kubernetes', version: kubernetesVersion.gitVersion },
      paths,
      components: {
        schemas: components.schemas,
        securitySchemes: {
          BearerToken: { type: 'apiKey', description: 'Bearer token authentication', name: 'authorization', in: 'header' },
        },
      },
    });
  }
  return docs;
}
