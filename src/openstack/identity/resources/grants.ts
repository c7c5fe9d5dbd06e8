/**
 * Grants: a role given to a user or group on a project, a domain or the system, optionally
 * inherited to the projects below (OS-INHERIT). Stored one per (actor, target, role,
 * inherited) under a deterministic id, so granting twice is one grant. Taking a grant away
 * revokes the tokens that carried it: the user's, or every member's of a group.
 */
import { KosError } from '../../../core/errors.js';
import { assignmentId } from '../bootstrap.js';
import type { RevocationCriteria } from '../deps.js';
import type { IdentityDeps } from '../deps.js';
import type { ActorType, Role, RoleAssignment, TargetType } from '../model.js';
import { memberIdsOf, revokeAll } from './cascade.js';

export interface GrantSubject {
  actorType: ActorType;
  actorId: string;
  targetType: TargetType;
  /** Project or domain id; `all` for the system. */
  targetId: string;
  inherited: boolean;
}

/** 404s in Keystone's order: the actor, then the target. */
export function requireSubject(deps: IdentityDeps, s: GrantSubject): void {
  const c = deps.repo.c;
  if (s.actorType === 'user') c.users.require(s.actorId);
  else c.groups.require(s.actorId);
  if (s.targetType === 'project') c.projects.require(s.targetId);
  else if (s.targetType === 'domain') c.domains.require(s.targetId);
}

const fieldsOf = (s: GrantSubject, roleId: string): Omit<RoleAssignment, 'id'> => ({
  actor_type: s.actorType,
  actor_id: s.actorId,
  target_type: s.targetType,
  target_id: s.targetId,
  role_id: roleId,
  inherited: s.inherited,
});

const idOf = (s: GrantSubject, roleId: string): string => assignmentId(fieldsOf(s, roleId));

function notFound(s: GrantSubject, roleId: string): KosError {
  return new KosError(
    'NotFound',
    `Could not find role assignment with role: ${roleId}, user or group: ${s.actorId}, project, domain, or system: ${s.targetId}.`,
  );
}

export async function createGrant(deps: IdentityDeps, s: GrantSubject, roleId: string): Promise<void> {
  await deps.repo.writes.run(async () => {
    const c = deps.repo.c;
    const role = c.roles.require(roleId);
    requireSubject(deps, s);
    if (s.targetType === 'project' && role.domain_id !== null) {
      const project = c.projects.require(s.targetId);
      if (project.domain_id !== role.domain_id) {
        throw new KosError('Forbidden', `Project ${project.id} must be in the same domain as the role ${role.id} being assigned.`);
      }
    }
    const id = idOf(s, roleId);
    if (c.role_assignments.has(id)) return;
    await c.role_assignments.create({ id, ...fieldsOf(s, roleId) });
  });
}

export function checkGrant(deps: IdentityDeps, s: GrantSubject, roleId: string): void {
  deps.repo.c.roles.require(roleId);
  requireSubject(deps, s);
  if (!deps.repo.c.role_assignments.has(idOf(s, roleId))) throw notFound(s, roleId);
}

/** The roles granted to the actor on exactly this target (and inheritance). */
export function listGrants(deps: IdentityDeps, s: GrantSubject): Role[] {
  requireSubject(deps, s);
  const c = deps.repo.c;
  return c.role_assignments
    .byIndex('actor', `${s.actorType}:${s.actorId}`)
    .filter((a) => a.target_type === s.targetType && a.target_id === s.targetId && a.inherited === s.inherited)
    .map((a) => c.roles.get(a.role_id))
    .filter((r) => r !== undefined);
}

/** Whose tokens carried the grant: the user's, or each member's of a group. */
function revocationsFor(deps: IdentityDeps, s: GrantSubject): RevocationCriteria[] {
  const users = s.actorType === 'user' ? [s.actorId] : memberIdsOf(deps.repo, s.actorId);
  // A direct project grant only ever reached tokens scoped to that project.
  const narrow = s.targetType === 'project' && !s.inherited;
  return users.map((user_id) => (narrow ? { user_id, project_id: s.targetId } : { user_id }));
}

export async function revokeGrant(deps: IdentityDeps, s: GrantSubject, roleId: string): Promise<void> {
  await deps.repo.writes.run(async () => {
    const c = deps.repo.c;
    c.roles.require(roleId);
    const id = idOf(s, roleId);
    if (!c.role_assignments.has(id)) {
      requireSubject(deps, s);
      throw notFound(s, roleId);
    }
    await c.role_assignments.delete(id);
    // Keystone drops a user's application credentials on a project it loses a role on.
    if (s.actorType === 'user' && s.targetType === 'project' && !s.inherited) {
      for (const ac of c.application_credentials.byIndex('user', s.actorId)) {
        if (ac.project_id === s.targetId) await c.application_credentials.deleteIfExists(ac.id);
      }
    }
  });
  await revokeAll(deps, revocationsFor(deps, s));
}
