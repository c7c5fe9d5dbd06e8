/**
 * /v3/users: CRUD with name/domain_id/enabled filters, self-service password change, and
 * the user's groups and projects (those it has a role on, directly, through a group or
 * inherited).
 */
import type { FastifyReply } from 'fastify';
import { KosError } from '../../../core/errors.js';
import { anyOf, isAdmin, isSelf, isSystemReader, ownsDomain } from '../../common/policy.js';
import { crudRuleNames } from '../catalog/rules.js';
import type { IdentityRouteModule } from '../deps.js';
import type { User } from '../model.js';
import { projectIdsForUser } from '../assignments.js';
import { callContext, guardedFind, paramOf, registerCrud, type CallContext } from '../crud.js';
import { checked, readMember, requireMatchingId } from '../resources/body.js';
import { PasswordChange, UserCreate, UserUpdate } from '../resources/schemas.js';
import { changePassword, createUser, deleteUser, updateUser } from '../resources/user-lifecycle.js';
import { matchesCommonFilters } from '../resources/filters.js';
import { groupView, projectView, userView } from '../resources/views.js';
import { collectionLinks } from '../wire.js';

const adminOrReader = anyOf(isAdmin, isSystemReader);

function listUsers(ctx: CallContext): User[] {
  const scopeDomain = ctx.auth.scope.kind === 'domain' ? ctx.auth.scope.domainId : undefined;
  return ctx.deps.repo.c.users.list(
    (u) => matchesCommonFilters(u, ctx.query) && (scopeDomain === undefined || u.domain_id === scopeDomain),
  );
}

const userSpec = {
  find: (d: CallContext['deps'], id: string) => d.repo.c.users.require(id),
  target: (u: User) => ({ user_id: u.id, domain_id: u.domain_id }),
};

const userRules = crudRuleNames('user');

export const routes: IdentityRouteModule = {
  rules: {
    [userRules.get]: anyOf(adminOrReader, ownsDomain, isSelf),
    [userRules.list]: anyOf(adminOrReader, ownsDomain),
    [userRules.create]: isAdmin,
    [userRules.update]: isAdmin,
    [userRules.delete]: isAdmin,
    'identity:change_password': anyOf(isAdmin, isSelf),
    'identity:list_user_projects': anyOf(adminOrReader, ownsDomain, isSelf),
    'identity:list_groups_for_user': anyOf(adminOrReader, ownsDomain, isSelf),
  },
  register(app, deps) {
    registerCrud<User>(app, deps, {
      member: 'user',
      plural: 'users',
      idParam: 'user_id',
      rules: userRules,
      ...userSpec,
      createTarget: (input) => (typeof input.domain_id === 'string' ? { domain_id: input.domain_id } : {}),
      view: (u, req) => userView(req, u),
      list: listUsers,
      create: (input, ctx) => createUser(ctx.deps, checked(UserCreate, input, 'user'), ctx.auth),
      update: (current, patch, ctx) => {
        const changes = checked(UserUpdate, patch, 'user');
        requireMatchingId(changes, current.id);
        return updateUser(ctx.deps, current, changes);
      },
      remove: (current, ctx) => deleteUser(ctx.deps, current),
    });

    const opts = { preHandler: deps.authenticated };

    // Keystone asks for no token here: the original password is the credential. A token,
    // when one is sent, must belong to the user or to an admin.
    app.post('/v3/users/:user_id/password', async (req, reply: FastifyReply) => {
      const userId = paramOf(req, 'user_id');
      const header = req.headers['x-auth-token'];
      const token = Array.isArray(header) ? header[0] : header;
      if (token) deps.policy.enforce('identity:change_password', await deps.tokens.validate(token), { user_id: userId });
      const body = readMember(req.body, 'user', PasswordChange);
      await changePassword(deps, userId, body.original_password, body.password);
      return reply.code(204).send();
    });

    app.get('/v3/users/:user_id/projects', opts, async (req) => {
      const ctx = callContext(req, deps);
      const user = guardedFind(ctx, userSpec, 'identity:list_user_projects', paramOf(req, 'user_id'));
      const projects = projectIdsForUser(deps.repo, user.id)
        .map((id) => deps.repo.c.projects.get(id))
        .filter((p) => p !== undefined)
        .filter((p) => matchesCommonFilters(p, ctx.query));
      return { projects: projects.map((p) => projectView(req, p)), links: collectionLinks(req) };
    });

    app.get('/v3/users/:user_id/groups', opts, async (req) => {
      const ctx = callContext(req, deps);
      const user = guardedFind(ctx, userSpec, 'identity:list_groups_for_user', paramOf(req, 'user_id'));
      const groups = deps.repo.c.memberships
        .byIndex('user', user.id)
        .map((m) => deps.repo.c.groups.get(m.group_id))
        .filter((g) => g !== undefined)
        .filter((g) => ctx.query.name === undefined || g.name === ctx.query.name);
      return { groups: groups.map((g) => groupView(req, g)), links: collectionLinks(req) };
    });

    // Keystone answers 405 to a GET on the password resource.
    app.get('/v3/users/:user_id/password', async () => {
      throw new KosError('MethodNotAllowed', 'The method is not allowed for the requested URL.');
    });
  },
};
