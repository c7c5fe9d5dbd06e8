/**
 * The service catalog a token carries: every enabled service with its enabled endpoints.
 * OS-EP-FILTER: a project associated with endpoints (directly, or through endpoint groups
 * whose filters match) sees only those; a project with no association sees them all.
 */
import type { Endpoint, EndpointGroup } from './model.js';
import type { IdentityRepository } from './repository.js';

export interface CatalogEndpoint {
  id: string;
  interface: string;
  region: string | null;
  region_id: string | null;
  url: string;
}

export interface CatalogEntry {
  type: string;
  name: string;
  id: string;
  endpoints: CatalogEndpoint[];
}

/** Does an endpoint satisfy an endpoint group's filters (service_id, region_id, interface)? */
export function endpointMatchesGroup(endpoint: Endpoint, group: EndpointGroup): boolean {
  return Object.entries(group.filters).every(([key, value]) => {
    switch (key) {
      case 'service_id':
        return endpoint.service_id === value;
      case 'region_id':
        return endpoint.region_id === value;
      case 'interface':
        return endpoint.interface === value;
      default:
        return false;
    }
  });
}

/** The endpoint ids a project is limited to, or undefined when it has no association. */
export function filteredEndpointIds(repo: IdentityRepository, projectId: string): Set<string> | undefined {
  const associations = repo.c.endpoint_associations.list((a) => a.project_id === projectId);
  if (associations.length === 0) return undefined;
  const ids = new Set<string>();
  for (const a of associations) {
    if (a.endpoint_id) ids.add(a.endpoint_id);
    if (a.endpoint_group_id) {
      const group = repo.c.endpoint_groups.get(a.endpoint_group_id);
      if (!group) continue;
      for (const e of repo.c.endpoints.list((e) => endpointMatchesGroup(e, group))) ids.add(e.id);
    }
  }
  return ids;
}

/** The catalog for a token scoped to `projectId` (undefined: domain or system scope, no filter). */
export function buildCatalog(repo: IdentityRepository, projectId?: string): CatalogEntry[] {
  const only = projectId ? filteredEndpointIds(repo, projectId) : undefined;
  const catalog: CatalogEntry[] = [];
  for (const service of repo.c.services.list((s) => s.enabled)) {
    const endpoints: CatalogEndpoint[] = [];
    for (const e of repo.c.endpoints.byIndex('service', service.id)) {
      if (!e.enabled || (only && !only.has(e.id))) continue;
      endpoints.push({ id: e.id, interface: e.interface, region: e.region_id, region_id: e.region_id, url: e.url });
    }
    if (endpoints.length === 0) continue;
    catalog.push({ type: service.type, name: service.name ?? '', id: service.id, endpoints });
  }
  return catalog;
}
