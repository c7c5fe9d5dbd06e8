/**
 * /v3/groups: CRUD (name unique per domain) and membership. A user leaving a group, or a
 * group deleted, takes the group's roles out of the user's tokens: they are revoked.
 */
import type { FastifyReply } from 'fastify';
import { KosError } from '../../../core/errors.js';
import { hexId } from '../../../core/ids.js';
import { anyOf, isAdmin, isSystemReader, ownsDomain } from '../../common/policy.js';
import { crudRuleNames } from '../catalog/rules.js';
import type { IdentityDeps, IdentityRouteModule } from '../deps.js';
import { DEFAULT_DOMAIN_ID, type Group } from '../model.js';
import { callContext, guardedFind, paramOf, registerCrud, type CallContext, type Json } from '../crud.js';
import { checked, extraOf, requireMatchingId } from '../resources/body.js';
import { deleteGroupCascade, revokeAll } from '../resources/cascade.js';
import { matchesCommonFilters } from '../resources/filters.js';
import { GroupCreate, GroupUpdate } from '../resources/schemas.js';
import { groupView, userView } from '../resources/views.js';
import { collectionLinks } from '../wire.js';

const adminOrReader = anyOf(isAdmin, isSystemReader);
const knownGroupFields = ['id', 'name', 'description', 'domain_id'];

function assertNameFree(deps: IdentityDeps, name: string, domainId: string, exceptId?: string): void {
  if (deps.repo.c.groups.list((g) => g.domain_id === domainId && g.name === name && g.id !== exceptId).length > 0) {
    throw new KosError(
      'Conflict',
      `Conflict occurred attempting to store group - Duplicate entry found with name ${name} at domain ID ${domainId}.`,
    );
  }
}

async function createGroup(input: Json, ctx: CallContext): Promise<Group> {
  const given = checked(GroupCreate, input, 'group');
  const { deps, auth } = ctx;
  const domainId = given.domain_id ?? (auth.scope.kind === 'domain' ? auth.scope.domainId : DEFAULT_DOMAIN_ID);
  const name = given.name.trim();
  return deps.repo.writes.run(async () => {
    deps.repo.c.domains.require(domainId);
    assertNameFree(deps, name, domainId);
    return deps.repo.c.groups.create({
      id: hexId(),
      name,
      domain_id: domainId,
      description: given.description ?? '',
      extra: extraOf(given, knownGroupFields),
    });
  });
}

async function updateGroup(current: Group, patch: Json, ctx: CallContext): Promise<Group> {
  const changes = checked(GroupUpdate, patch, 'group');
  requireMatchingId(changes, current.id);
  if (changes.domain_id !== undefined && changes.domain_id !== current.domain_id) {
    throw new KosError('BadRequest', 'Cannot change Domain ID');
  }
  const { deps } = ctx;
  return deps.repo.writes.run(async () => {
    const name = changes.name?.trim();
    if (name !== undefined) assertNameFree(deps, name, current.domain_id, current.id);
    return deps.repo.c.groups.update(current.id, (g) => ({
      ...g,
      name: name ?? g.name,
      description: changes.description === undefined ? g.description : (changes.description ?? ''),
      extra: { ...g.extra, ...extraOf(changes, knownGroupFields) },
    }));
  });
}

const groupSpec = {
  find: (d: IdentityDeps, id: string) => d.repo.c.groups.require(id),
  target: (g: Group) => ({ group_id: g.id, domain_id: g.domain_id }),
};

const groupRules = crudRuleNames('group');

export const routes: IdentityRouteModule = {
  rules: {
    [groupRules.get]: anyOf(adminOrReader, ownsDomain),
    [groupRules.list]: anyOf(adminOrReader, ownsDomain),
    [groupRules.create]: isAdmin,
    [groupRules.update]: isAdmin,
    [groupRules.delete]: isAdmin,
    'identity:list_users_in_group': anyOf(adminOrReader, ownsDomain),
    'identity:check_user_in_group': anyOf(adminOrReader, ownsDomain),
    'identity:add_user_to_group': isAdmin,
    'identity:remove_user_from_group': isAdmin,
  },
  register(app, deps) {
    registerCrud<Group>(app, deps, {
      member: 'group',
      plural: 'groups',
      idParam: 'group_id',
      rules: groupRules,
      ...groupSpec,
      view: (g, req) => groupView(req, g),
      list: ({ deps: d, query, auth }) => {
        const scopeDomain = auth.scope.kind === 'domain' ? auth.scope.domainId : undefined;
        return d.repo.c.groups.list(
          (g) =>
            (query.name === undefined || g.name === query.name) &&
            (query.domain_id === undefined || g.domain_id === query.domain_id) &&
            (scopeDomain === undefined || g.domain_id === scopeDomain),
        );
      },
      create: createGroup,
      update: updateGroup,
      remove: async (current, ctx) => {
        const revocations = await ctx.deps.repo.writes.run(() => deleteGroupCascade(ctx.deps.repo, current.id));
        await revokeAll(ctx.deps, revocations);
      },
    });

    const opts = { preHandler: deps.authenticated };
    const membership = (ctx: CallContext, rule: string) => {
      const group = guardedFind(ctx, groupSpec, rule, paramOf(ctx.req, 'group_id'));
      const user = deps.repo.c.users.require(paramOf(ctx.req, 'user_id'));
      return { group, user, id: `${group.id}:${user.id}` };
    };

    app.get('/v3/groups/:group_id/users', opts, async (req) => {
      const ctx = callContext(req, deps);
      const group = guardedFind(ctx, groupSpec, 'identity:list_users_in_group', paramOf(req, 'group_id'));
      const users = deps.repo.c.memberships
        .byIndex('group', group.id)
        .map((m) => deps.repo.c.users.get(m.user_id))
        .filter((u) => u !== undefined)
        .filter((u) => matchesCommonFilters(u, ctx.query));
      return { users: users.map((u) => userView(req, u)), links: collectionLinks(req) };
    });

    app.get('/v3/groups/:group_id/users/:user_id', opts, async (req, reply: FastifyReply) => {
      const { group, user, id } = membership(callContext(req, deps), 'identity:check_user_in_group');
      if (!deps.repo.c.memberships.has(id)) {
        throw new KosError('NotFound', `User '${user.id}' not found in group '${group.id}'`);
      }
      return reply.code(204).send();
    });

    app.put('/v3/groups/:group_id/users/:user_id', opts, async (req, reply: FastifyReply) => {
      const ctx = callContext(req, deps);
      const { group, user } = membership(ctx, 'identity:add_user_to_group');
      await deps.repo.writes.run(async () => {
        const id = `${group.id}:${user.id}`;
        deps.repo.c.groups.require(group.id);
        deps.repo.c.users.require(user.id);
        if (!deps.repo.c.memberships.has(id)) await deps.repo.c.memberships.create({ id, group_id: group.id, user_id: user.id });
      });
      return reply.code(204).send();
    });

    app.delete('/v3/groups/:group_id/users/:user_id', opts, async (req, reply: FastifyReply) => {
      const ctx = callContext(req, deps);
      const { group, user, id } = membership(ctx, 'identity:remove_user_from_group');
      const removed = await deps.repo.writes.run(() => deps.repo.c.memberships.deleteIfExists(id));
      if (!removed) throw new KosError('NotFound', `User '${user.id}' not found in group '${group.id}'`);
      await deps.revoker.revoke({ user_id: user.id });
      return reply.code(204).send();
    });
  },
};
