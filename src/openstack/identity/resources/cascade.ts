/**
 * What goes away with a user, group, project, role or domain, and whose tokens stop working
 * because of it. Every function here runs inside `repo.writes` and returns the revocations
 * to record once the write section is left (the revoker writes too, and the mutex is not
 * re-entrant).
 */
import type { RevocationCriteria } from '../deps.js';
import type { IdentityDeps } from '../deps.js';
import type { Identified } from '../../common/collection.js';
import type { Collection } from '../../common/collection.js';
import type { IdentityRepository } from '../repository.js';
import { subtreeOf } from './hierarchy.js';

async function deleteAll<T extends Identified>(c: Collection<T>, items: T[]): Promise<void> {
  for (const item of items) await c.deleteIfExists(item.id);
}

/** The members of a group: their tokens carry the group's roles. */
export const memberIdsOf = (repo: IdentityRepository, groupId: string): string[] =>
  repo.c.memberships.byIndex('group', groupId).map((m) => m.user_id);

export async function deleteUserCascade(repo: IdentityRepository, userId: string): Promise<RevocationCriteria[]> {
  const c = repo.c;
  await deleteAll(c.role_assignments, c.role_assignments.byIndex('actor', `user:${userId}`));
  await deleteAll(c.memberships, c.memberships.byIndex('user', userId));
  await deleteAll(c.application_credentials, c.application_credentials.byIndex('user', userId));
  await deleteAll(c.access_rules, c.access_rules.list((r) => r.user_id === userId));
  await deleteAll(c.credentials, c.credentials.list((r) => r.user_id === userId));
  await deleteAll(c.trusts, c.trusts.list((t) => t.trustor_user_id === userId || t.trustee_user_id === userId));
  await c.users.deleteIfExists(userId);
  return [{ user_id: userId }];
}

export async function deleteGroupCascade(repo: IdentityRepository, groupId: string): Promise<RevocationCriteria[]> {
  const c = repo.c;
  const members = memberIdsOf(repo, groupId);
  await deleteAll(c.role_assignments, c.role_assignments.byIndex('actor', `group:${groupId}`));
  await deleteAll(c.memberships, c.memberships.byIndex('group', groupId));
  await c.groups.deleteIfExists(groupId);
  return members.map((user_id) => ({ user_id }));
}

/** One project (not its children: the caller deletes leaves first). */
export async function deleteProjectCascade(repo: IdentityRepository, projectId: string): Promise<RevocationCriteria[]> {
  const c = repo.c;
  await deleteAll(c.role_assignments, c.role_assignments.byIndex('target', `project:${projectId}`));
  await deleteAll(c.application_credentials, c.application_credentials.list((a) => a.project_id === projectId));
  await deleteAll(c.credentials, c.credentials.list((r) => r.project_id === projectId));
  await deleteAll(c.trusts, c.trusts.list((t) => t.project_id === projectId));
  await deleteAll(c.limits, c.limits.list((l) => l.project_id === projectId));
  await deleteAll(c.endpoint_associations, c.endpoint_associations.list((e) => e.project_id === projectId));
  await c.projects.deleteIfExists(projectId);
  return [{ project_id: projectId }];
}

export async function deleteRoleCascade(repo: IdentityRepository, roleId: string): Promise<RevocationCriteria[]> {
  const c = repo.c;
  await deleteAll(c.role_assignments, c.role_assignments.byIndex('role', roleId));
  await deleteAll(c.implied_roles, c.implied_roles.list((r) => r.prior_role_id === roleId || r.implied_role_id === roleId));
  await c.roles.deleteIfExists(roleId);
  return [{ role_id: roleId }];
}

/** Everything a domain owns, then the domain itself. */
export async function deleteDomainCascade(repo: IdentityRepository, domainId: string): Promise<RevocationCriteria[]> {
  const c = repo.c;
  const out: RevocationCriteria[] = [];
  const roots = c.projects.byIndex('domain', domainId).filter((p) => p.parent_id === domainId);
  for (const root of roots) {
    // Leaves first, so no project is ever left pointing at a deleted parent.
    for (const p of [root, ...subtreeOf(repo, root.id)].reverse()) out.push(...(await deleteProjectCascade(repo, p.id)));
  }
  // Projects whose parent chain is broken still belong to the domain.
  for (const p of c.projects.byIndex('domain', domainId)) out.push(...(await deleteProjectCascade(repo, p.id)));
  for (const u of c.users.list((x) => x.domain_id === domainId)) out.push(...(await deleteUserCascade(repo, u.id)));
  for (const g of c.groups.list((x) => x.domain_id === domainId)) out.push(...(await deleteGroupCascade(repo, g.id)));
  for (const r of c.roles.list((x) => x.domain_id === domainId)) out.push(...(await deleteRoleCascade(repo, r.id)));
  await deleteAll(c.role_assignments, c.role_assignments.byIndex('target', `domain:${domainId}`));
  await deleteAll(c.limits, c.limits.list((l) => l.domain_id === domainId));
  await c.domain_configs.deleteIfExists(domainId);
  await c.domains.deleteIfExists(domainId);
  out.push({ domain_id: domainId });
  return out;
}

/** Record revocations after a write section; duplicates are recorded once. */
export async function revokeAll(deps: IdentityDeps, criteria: RevocationCriteria[]): Promise<void> {
  const seen = new Set<string>();
  for (const c of criteria) {
    const key = JSON.stringify(c);
    if (seen.has(key)) continue;
    seen.add(key);
    await deps.revoker.revoke(c);
  }
}
