/**
 * OS-EP-FILTER: which endpoints a project sees. A project is associated with endpoints
 * directly or with endpoint groups (a filter over endpoint attributes); the token catalog
 * (catalog-builder.ts) applies the same associations.
 */
import { KosError } from '../../../core/errors.js';
import { endpointMatchesGroup, filteredEndpointIds } from '../catalog-builder.js';
import type { Endpoint, EndpointAssociation, EndpointGroup } from '../model.js';
import type { IdentityRepository } from '../repository.js';

export const endpointAssociationId = (projectId: string, endpointId: string): string =>
  `${projectId}:endpoint:${endpointId}`;
export const groupAssociationId = (projectId: string, groupId: string): string => `${projectId}:group:${groupId}`;

export const endpointsInGroup = (repo: IdentityRepository, group: EndpointGroup): Endpoint[] =>
  repo.c.endpoints.list((e) => endpointMatchesGroup(e, group));

const associationsOf = (repo: IdentityRepository, projectId: string): EndpointAssociation[] =>
  repo.c.endpoint_associations.list((a) => a.project_id === projectId);

/** The endpoints associated with a project, directly or through its endpoint groups. */
export function endpointsForProject(repo: IdentityRepository, projectId: string): Endpoint[] {
  const ids = filteredEndpointIds(repo, projectId) ?? new Set<string>();
  return [...ids].flatMap((id) => {
    const e = repo.c.endpoints.get(id);
    return e ? [e] : [];
  });
}

export function groupsForProject(repo: IdentityRepository, projectId: string): EndpointGroup[] {
  return associationsOf(repo, projectId).flatMap((a) => {
    const g = a.endpoint_group_id ? repo.c.endpoint_groups.get(a.endpoint_group_id) : undefined;
    return g ? [g] : [];
  });
}

export function requireEndpointInProject(repo: IdentityRepository, projectId: string, endpointId: string): void {
  if (!repo.c.endpoint_associations.has(endpointAssociationId(projectId, endpointId))) {
    throw new KosError('NotFound', `Endpoint ${endpointId} not found in project ${projectId}.`);
  }
}

export async function deleteEndpointAssociations(repo: IdentityRepository, endpointId: string): Promise<void> {
  for (const a of repo.c.endpoint_associations.list((x) => x.endpoint_id === endpointId)) {
    await repo.c.endpoint_associations.delete(a.id);
  }
}

export async function deleteGroupAssociations(repo: IdentityRepository, groupId: string): Promise<void> {
  for (const a of repo.c.endpoint_associations.list((x) => x.endpoint_group_id === groupId)) {
    await repo.c.endpoint_associations.delete(a.id);
  }
}

/** When a project goes away its associations go too (the projects module may call this). */
export async function deleteProjectAssociations(repo: IdentityRepository, projectId: string): Promise<void> {
  for (const a of associationsOf(repo, projectId)) await repo.c.endpoint_associations.delete(a.id);
}
