/**
 * Legacy discovery documents: `/api` (APIVersions), `/apis` (APIGroupList) and
 * `/api/v1`, `/apis/<g>/<v>` (APIResourceList with subresources as `pods/status`).
 * Aggregated discovery (apidiscovery.k8s.io) is not served; clients fall back to these.
 */
import { createHash } from 'node:crypto';
import type { GroupVersion, ResourceCatalog } from './catalog.js';
import type { ResourceDefinition, SubresourceName, Verb } from './resource.js';

export interface APIResource {
  name: string;
  singularName: string;
  namespaced: boolean;
  group?: string;
  version?: string;
  kind: string;
  verbs: string[];
  shortNames?: string[];
  categories?: string[];
  storageVersionHash?: string;
}

interface SubresourceShape {
  kind: string;
  verbs: Verb[];
  group?: string;
  version?: string;
}

/** What each subresource answers with, and which verbs it takes. */
function subresourceShape(def: ResourceDefinition, sub: SubresourceName): SubresourceShape {
  switch (sub) {
    case 'status':
      return { kind: def.kind, verbs: ['get', 'patch', 'update'] };
    case 'scale':
      return { kind: 'Scale', verbs: ['get', 'patch', 'update'], group: 'autoscaling', version: 'v1' };
    case 'log':
      return { kind: 'Pod', verbs: ['get'] };
    case 'exec':
      return { kind: 'PodExecOptions', verbs: ['create', 'get'] };
    case 'attach':
      return { kind: 'PodAttachOptions', verbs: ['create', 'get'] };
    case 'portforward':
      return { kind: 'PodPortForwardOptions', verbs: ['create', 'get'] };
    case 'binding':
      return { kind: 'Binding', verbs: ['create'] };
    case 'eviction':
      return { kind: 'Eviction', verbs: ['create'], group: 'policy', version: 'v1' };
    case 'token':
      return { kind: 'TokenRequest', verbs: ['create'], group: 'authentication.k8s.io', version: 'v1' };
  }
}

/** A stable hash of where a resource is stored, as clients use to notice storage changes. */
const storageVersionHash = (def: ResourceDefinition): string => {
  // Every version of a resource reports where its objects are stored, so the hash is shared.
  const stored = def.conversion?.storage ?? def;
  return createHash('sha256').update(`${stored.group}/${stored.version}/${stored.kind}`).digest('base64').slice(0, 11);
};

export function apiResourceList(catalog: ResourceCatalog, gv: GroupVersion): Record<string, unknown> {
  const resources: APIResource[] = [];
  for (const def of catalog.inGroupVersion(gv)) {
    const main: APIResource = {
      name: def.plural,
      singularName: def.singular,
      namespaced: def.namespaced,
      kind: def.kind,
      verbs: [...def.verbs],
    };
    if (def.shortNames.length) main.shortNames = [...def.shortNames];
    if (def.categories.length) main.categories = [...def.categories];
    main.storageVersionHash = storageVersionHash(def);
    resources.push(main);
    for (const sub of def.subresources) {
      const shape = subresourceShape(def, sub);
      const entry: APIResource = { name: `${def.plural}/${sub}`, singularName: '', namespaced: def.namespaced, kind: shape.kind, verbs: shape.verbs };
      if (shape.group !== undefined) entry.group = shape.group;
      if (shape.version !== undefined) entry.version = shape.version;
      resources.push(entry);
    }
  }
  return { kind: 'APIResourceList', apiVersion: 'v1', groupVersion: gv.group ? `${gv.group}/${gv.version}` : gv.version, resources };
}

export function apiVersions(serverAddress: string): Record<string, unknown> {
  return { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }] };
}

export function apiGroupList(catalog: ResourceCatalog): Record<string, unknown> {
  const groups = catalog
    .groups()
    .filter((g) => g.name !== '')
    .map((g) => {
      const versions = g.versions.map((v) => ({ groupVersion: `${g.name}/${v}`, version: v }));
      return { name: g.name, versions, preferredVersion: versions[0] };
    });
  return { kind: 'APIGroupList', apiVersion: 'v1', groups };
}

export function apiGroup(catalog: ResourceCatalog, name: string): Record<string, unknown> | undefined {
  const g = catalog.groups().find((x) => x.name === name && name !== '');
  if (!g) return undefined;
  const versions = g.versions.map((v) => ({ groupVersion: `${g.name}/${v}`, version: v }));
  return { kind: 'APIGroup', apiVersion: 'v1', name: g.name, versions, preferredVersion: versions[0] };
}
