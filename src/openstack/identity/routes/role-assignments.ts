/**
 * Grants and their listing: PUT/GET/HEAD/DELETE a role for a user or group on a project, a
 * domain or the system, the OS-INHERIT forms (inherited to the projects below), the lists
 * of roles per actor and target, and GET /v3/role_assignments with Keystone's filters,
 * effective mode, names and subtree.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { KosError } from '../../../core/errors.js';
import { anyOf, isAdmin, isSystemReader, ownsDomain, type PolicyTarget, type Rule } from '../../common/policy.js';
import { directRow, effectiveAssignments, formatAssignment, subtreeOf, type AssignmentRow } from '../assignments.js';
import type { IdentityDeps, IdentityRouteModule } from '../deps.js';
import type { ActorType, TargetType } from '../model.js';
import { callContext, paramOf } from '../crud.js';
import { checkGrant, createGrant, listGrants, revokeGrant, type GrantSubject } from '../resources/grants.js';
import { roleView } from '../resources/views.js';
import { baseUrlOf, collectionLinks, queryFlag, queryOf } from '../wire.js';

const adminOrReader = anyOf(isAdmin, isSystemReader);

/** A project admin may list the assignments of its own project's tree. */
const adminOfTargetProject: Rule = (a, t) =>
  a.scope.kind === 'project' && a.roles.some((r) => r.name === 'admin') && a.scope.projectId === t.project_id;

interface TargetRoute {
  type: TargetType;
  segment: string;
  param?: string;
}
interface ActorRoute {
  type: ActorType;
  segment: string;
  param: string;
}

const targets: TargetRoute[] = [
  { type: 'project', segment: 'projects/:project_id', param: 'project_id' },
  { type: 'domain', segment: 'domains/:domain_id', param: 'domain_id' },
  { type: 'system', segment: 'system' },
];
const actors: ActorRoute[] = [
  { type: 'user', segment: 'users/:user_id', param: 'user_id' },
  { type: 'group', segment: 'groups/:group_id', param: 'group_id' },
];

type Action = 'check' | 'list' | 'create' | 'revoke';

function ruleName(action: Action, target: TargetType, actor: ActorType): string {
  if (target === 'system') {
    return action === 'list' ? `identity:list_system_grants_for_${actor}` : `identity:${action}_system_grant_for_${actor}`;
  }
  return { check: 'identity:check_grant', list: 'identity:list_grants', create: 'identity:create_grant', revoke: 'identity:revoke_grant' }[action];
}

function policyTarget(deps: IdentityDeps, s: GrantSubject): PolicyTarget {
  const t: PolicyTarget = s.actorType === 'user' ? { user_id: s.actorId } : { group_id: s.actorId };
  if (s.targetType === 'project') {
    t.project_id = s.targetId;
    t.domain_id = deps.repo.c.projects.get(s.targetId)?.domain_id ?? null;
  } else if (s.targetType === 'domain') {
    t.domain_id = s.targetId;
  }
  return t;
}

function registerGrantRoutes(app: Parameters<IdentityRouteModule['register']>[0], deps: IdentityDeps): void {
  const opts = { preHandler: deps.authenticated };
  for (const target of targets) {
    for (const actor of actors) {
      for (const inherited of target.type === 'system' ? [false] : [false, true]) {
        const prefix = inherited ? '/v3/OS-INHERIT' : '/v3';
        const suffix = inherited ? '/inherited_to_projects' : '';
        const base = `${prefix}/${target.segment}/${actor.segment}/roles`;
        const subject = (req: FastifyRequest): GrantSubject => ({
          actorType: actor.type,
          actorId: paramOf(req, actor.param),
          targetType: target.type,
          targetId: target.param ? paramOf(req, target.param) : 'all',
          inherited,
        });
        const enforce = (req: FastifyRequest, action: Action, s: GrantSubject) =>
          deps.policy.enforce(ruleName(action, target.type, actor.type), callContext(req, deps).auth, policyTarget(deps, s));

        app.get(`${base}${suffix}`, opts, async (req) => {
          const s = subject(req);
          const roles = listGrants(deps, s);
          enforce(req, 'list', s);
          return { roles: roles.map((r) => roleView(req, r)), links: collectionLinks(req) };
        });
        app.get(`${base}/:role_id${suffix}`, opts, async (req, reply: FastifyReply) => {
          const s = subject(req);
          enforce(req, 'check', s);
          checkGrant(deps, s, paramOf(req, 'role_id'));
          return reply.code(204).send();
        });
        app.put(`${base}/:role_id${suffix}`, opts, async (req, reply: FastifyReply) => {
          const s = subject(req);
          enforce(req, 'create', s);
          await createGrant(deps, s, paramOf(req, 'role_id'));
          return reply.code(204).send();
        });
        app.delete(`${base}/:role_id${suffix}`, opts, async (req, reply: FastifyReply) => {
          const s = subject(req);
          enforce(req, 'revoke', s);
          await revokeGrant(deps, s, paramOf(req, 'role_id'));
          return reply.code(204).send();
        });
      }
    }
  }
}

/** Stored grants matching the filters, unexpanded. */
function directRows(deps: IdentityDeps, f: ListFilters): AssignmentRow[] {
  let projects: Set<string> | undefined;
  if (f.projectId) {
    projects = new Set([f.projectId]);
    if (f.includeSubtree) for (const p of subtreeOf(deps.repo, f.projectId)) projects.add(p.id);
  }
  return deps.repo.c.role_assignments
    .list((a) => {
      if (f.roleId && a.role_id !== f.roleId) return false;
      if (f.userId && !(a.actor_type === 'user' && a.actor_id === f.userId)) return false;
      if (f.groupId && !(a.actor_type === 'group' && a.actor_id === f.groupId)) return false;
      // System grants show when asked for, or when no other scope is.
      if (a.target_type === 'system') return f.system || (!f.projectId && !f.domainId);
      if (f.system) return false;
      if (f.domainId && !(a.target_type === 'domain' && a.target_id === f.domainId)) return false;
      if (projects && !(a.target_type === 'project' && projects.has(a.target_id))) return false;
      return f.inherited === undefined || a.inherited === f.inherited;
    })
    .map(directRow);
}

interface ListFilters {
  userId?: string;
  groupId?: string;
  roleId?: string;
  projectId?: string;
  domainId?: string;
  system: boolean;
  inherited?: boolean;
  includeSubtree: boolean;
  effective: boolean;
}

/** The query of GET /v3/role_assignments, with Keystone's refusals of useless combinations. */
function filtersOf(q: Record<string, string>): ListFilters {
  const present = (k: string) => (q[k] ? q[k] : undefined);
  const f: ListFilters = {
    userId: present('user.id'),
    groupId: present('group.id'),
    roleId: present('role.id'),
    projectId: present('scope.project.id'),
    domainId: present('scope.domain.id'),
    system: q['scope.system'] === 'all',
    inherited: q['scope.OS-INHERIT:inherited_to'] === undefined ? undefined : q['scope.OS-INHERIT:inherited_to'] === 'projects',
    includeSubtree: queryFlag(q.include_subtree) === true,
    effective: queryFlag(q.effective) === true,
  };
  const bad = (m: string) => new KosError('BadRequest', m);
  if (f.domainId && f.projectId) throw bad('Specify a domain or project, not both');
  if (f.domainId && q['scope.system']) throw bad('Specify system or domain, not both');
  if (f.projectId && q['scope.system']) throw bad('Specify system or project, not both');
  if (f.userId && f.groupId) throw bad('Specify a user or group, not both');
  if (f.effective && f.groupId) throw bad('Combining effective and group filter will always result in an empty list.');
  if (f.effective && f.inherited && f.domainId) {
    throw bad('Combining effective, domain and inherited filters will always result in an empty list.');
  }
  return f;
}

export const routes: IdentityRouteModule = {
  rules: {
    'identity:check_grant': anyOf(adminOrReader, ownsDomain),
    'identity:list_grants': anyOf(adminOrReader, ownsDomain),
    'identity:create_grant': isAdmin,
    'identity:revoke_grant': isAdmin,
    'identity:check_system_grant_for_user': adminOrReader,
    'identity:list_system_grants_for_user': adminOrReader,
    'identity:create_system_grant_for_user': isAdmin,
    'identity:revoke_system_grant_for_user': isAdmin,
    'identity:check_system_grant_for_group': adminOrReader,
    'identity:list_system_grants_for_group': adminOrReader,
    'identity:create_system_grant_for_group': isAdmin,
    'identity:revoke_system_grant_for_group': isAdmin,
    'identity:list_role_assignments': anyOf(adminOrReader, ownsDomain),
    'identity:list_role_assignments_for_tree': anyOf(adminOrReader, ownsDomain, adminOfTargetProject),
  },
  register(app, deps) {
    registerGrantRoutes(app, deps);

    app.get('/v3/role_assignments', { preHandler: deps.authenticated }, async (req) => {
      const { auth } = callContext(req, deps);
      const q = queryOf(req);
      if (queryFlag(q.include_subtree) === true) {
        const projectId = q['scope.project.id'];
        const project = projectId ? deps.repo.c.projects.require(projectId) : undefined;
        deps.policy.enforce('identity:list_role_assignments_for_tree', auth, project ? { project_id: project.id, domain_id: project.domain_id } : {});
        if (!project) throw new KosError('BadRequest', 'scope.project.id must be specified if include_subtree is also specified');
      } else {
        deps.policy.enforce('identity:list_role_assignments', auth, auth.scope.kind === 'domain' ? { domain_id: auth.scope.domainId } : {});
      }
      const f = filtersOf(q);
      let rows = f.effective
        ? effectiveAssignments(deps.repo, {
            userId: f.userId,
            roleId: f.roleId,
            projectId: f.projectId,
            domainId: f.domainId,
            system: f.system,
            inherited: f.inherited,
            includeSubtree: f.includeSubtree,
          })
        : directRows(deps, f);
      // A domain-scoped caller sees only what lies in its domain.
      if (auth.scope.kind === 'domain') {
        const domainId = auth.scope.domainId;
        rows = rows.filter(
          (r) => r.domain_id === domainId || (r.project_id !== undefined && deps.repo.c.projects.get(r.project_id)?.domain_id === domainId),
        );
      }
      const names = queryFlag(q.include_names) === true ? deps.repo : undefined;
      const baseUrl = baseUrlOf(req);
      return {
        role_assignments: rows.map((r) => formatAssignment(r, { baseUrl, ...(names ? { names } : {}) })),
        links: collectionLinks(req),
      };
    });
  },
};
