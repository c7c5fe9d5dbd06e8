/**
 * /v3/roles: global and domain-specific roles (name unique per domain, null being the
 * global "domain"), and implied roles: /v3/roles/{prior}/implies/{implied} and
 * /v3/role_inferences. Deleting a role takes its grants and implications with it.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { KosError } from '../../../core/errors.js';
import { hexId } from '../../../core/ids.js';
import { anyOf, isAdmin, isSystemReader, ownsDomain } from '../../common/policy.js';
import type { IdentityDeps, IdentityRouteModule } from '../deps.js';
import type { ImpliedRole, Role } from '../model.js';
import { callContext, paramOf, registerCrud, type CallContext, type Json } from '../crud.js';
import { applyOptions, checked, extraOf, requireMatchingId } from '../resources/body.js';
import { deleteRoleCascade, revokeAll } from '../resources/cascade.js';
import { assertDeletable, assertUpdatable } from '../resources/immutable.js';
import { RoleCreate, RoleUpdate } from '../resources/schemas.js';
import { roleRefView, roleView } from '../resources/views.js';
import { selfLink } from '../wire.js';

const adminOrReader = anyOf(isAdmin, isSystemReader);
const knownRoleFields = ['id', 'name', 'domain_id', 'description', 'options'];
/** Keystone's [assignment] prohibited_implied_role default: nothing may imply admin. */
const PROHIBITED_IMPLIED = ['admin'];

function assertNameFree(deps: IdentityDeps, name: string, domainId: string | null, exceptId?: string): void {
  if (deps.repo.c.roles.list((r) => r.name === name && r.domain_id === domainId && r.id !== exceptId).length > 0) {
    throw new KosError('Conflict', `Conflict occurred attempting to store role - Duplicate entry found with name ${name}.`);
  }
}

async function createRole(input: Json, ctx: CallContext): Promise<Role> {
  const given = checked(RoleCreate, input, 'role');
  const { deps } = ctx;
  const domainId = given.domain_id ?? null;
  const name = given.name.trim();
  return deps.repo.writes.run(async () => {
    if (domainId !== null) deps.repo.c.domains.require(domainId);
    assertNameFree(deps, name, domainId);
    return deps.repo.c.roles.create({
      id: hexId(),
      name,
      domain_id: domainId,
      description: given.description ?? null,
      options: applyOptions({}, given.options),
      extra: extraOf(given, knownRoleFields),
    });
  });
}

async function updateRole(current: Role, patch: Json, ctx: CallContext): Promise<Role> {
  const changes = checked(RoleUpdate, patch, 'role');
  requireMatchingId(changes, current.id);
  assertUpdatable('role', current.id, current.options, changes);
  if (changes.domain_id !== undefined && changes.domain_id !== current.domain_id) {
    throw new KosError('BadRequest', 'Update of `domain_id` is not allowed.');
  }
  const { deps } = ctx;
  return deps.repo.writes.run(async () => {
    const name = changes.name?.trim();
    if (name !== undefined) assertNameFree(deps, name, current.domain_id, current.id);
    return deps.repo.c.roles.update(current.id, (r) => ({
      ...r,
      name: name ?? r.name,
      description: changes.description === undefined ? r.description : changes.description,
      options: applyOptions(r.options, changes.options),
      extra: { ...r.extra, ...extraOf(changes, knownRoleFields) },
    }));
  });
}

/** Domain-specific roles have rules of their own (identity:get_domain_role …). */
const ruleFor = (action: string) => (role: Role | undefined) =>
  role?.domain_id ? `identity:${action}_domain_role` : `identity:${action}_role`;

function inference(req: FastifyRequest, prior: Role, implies: unknown, path: string) {
  return { role_inference: { prior_role: roleRefView(req, prior), implies }, links: selfLink(req, path) };
}

export const routes: IdentityRouteModule = {
  rules: {
    'identity:get_role': adminOrReader,
    'identity:list_roles': adminOrReader,
    'identity:create_role': isAdmin,
    'identity:update_role': isAdmin,
    'identity:delete_role': isAdmin,
    'identity:get_domain_role': anyOf(adminOrReader, ownsDomain),
    'identity:list_domain_roles': anyOf(adminOrReader, ownsDomain),
    'identity:create_domain_role': isAdmin,
    'identity:update_domain_role': isAdmin,
    'identity:delete_domain_role': isAdmin,
    'identity:get_implied_role': adminOrReader,
    'identity:list_implied_roles': adminOrReader,
    'identity:check_implied_role': adminOrReader,
    'identity:list_role_inference_rules': adminOrReader,
    'identity:create_implied_role': isAdmin,
    'identity:delete_implied_role': isAdmin,
  },
  register(app, deps) {
    registerCrud<Role>(app, deps, {
      member: 'role',
      plural: 'roles',
      idParam: 'role_id',
      rules: {
        list: (ctx) => (ctx.query.domain_id ? 'identity:list_domain_roles' : 'identity:list_roles'),
        get: ruleFor('get'),
        create: (input) => (input.domain_id ? 'identity:create_domain_role' : 'identity:create_role'),
        update: ruleFor('update'),
        delete: ruleFor('delete'),
      },
      find: (d, id) => d.repo.c.roles.require(id),
      target: (r) => (r.domain_id ? { domain_id: r.domain_id } : {}),
      view: (r, req) => roleView(req, r),
      list: ({ deps: d, query }) => {
        // Without ?domain_id= only global roles are listed.
        const domainId = query.domain_id || null;
        return d.repo.c.roles.list((r) => r.domain_id === domainId && (query.name === undefined || r.name === query.name));
      },
      create: createRole,
      update: updateRole,
      remove: async (current, ctx) => {
        assertDeletable('role', current.id, current.options);
        const revocations = await ctx.deps.repo.writes.run(() => deleteRoleCascade(ctx.deps.repo, current.id));
        await revokeAll(ctx.deps, revocations);
      },
    });

    const opts = { preHandler: deps.authenticated };
    const roles = deps.repo.c.roles;
    const implication = (priorId: string, impliedId: string): ImpliedRole => {
      const found = deps.repo.c.implied_roles.get(`${priorId}:${impliedId}`);
      if (!found) throw new KosError('NotFound', `${priorId} does not imply ${impliedId}.`);
      return found;
    };
    /** Both roles must exist (404) before the rule is looked at. */
    const pair = (req: FastifyRequest, rule: string) => {
      const ctx = callContext(req, deps);
      const prior = roles.require(paramOf(req, 'prior_role_id'));
      const implied = roles.require(paramOf(req, 'implied_role_id'));
      deps.policy.enforce(rule, ctx.auth, {});
      return { prior, implied };
    };
    const path = (prior: Role, implied: Role) => `roles/${prior.id}/implies/${implied.id}`;

    app.get('/v3/roles/:prior_role_id/implies', opts, async (req) => {
      const ctx = callContext(req, deps);
      const prior = roles.require(paramOf(req, 'prior_role_id'));
      deps.policy.enforce('identity:list_implied_roles', ctx.auth, {});
      const implies = deps.repo.c.implied_roles
        .byIndex('prior', prior.id)
        .map((r) => roles.get(r.implied_role_id))
        .filter((r) => r !== undefined)
        .map((r) => roleRefView(req, r));
      return inference(req, prior, implies, `roles/${prior.id}/implies`);
    });

    // HEAD answers 204 (not GET's 200), so it is declared before the GET it would shadow.
    app.head('/v3/roles/:prior_role_id/implies/:implied_role_id', opts, async (req, reply: FastifyReply) => {
      const { prior, implied } = pair(req, 'identity:check_implied_role');
      implication(prior.id, implied.id);
      return reply.code(204).send();
    });

    app.get('/v3/roles/:prior_role_id/implies/:implied_role_id', opts, async (req) => {
      const { prior, implied } = pair(req, 'identity:get_implied_role');
      implication(prior.id, implied.id);
      return inference(req, prior, roleRefView(req, implied), path(prior, implied));
    });

    app.put('/v3/roles/:prior_role_id/implies/:implied_role_id', opts, async (req, reply: FastifyReply) => {
      const { prior, implied } = pair(req, 'identity:create_implied_role');
      if (PROHIBITED_IMPLIED.includes(implied.name)) {
        throw new KosError('Forbidden', `${implied.id} cannot be an implied roles.`);
      }
      if (prior.domain_id === null && implied.domain_id !== null) {
        throw new KosError('Forbidden', 'Global role cannot imply a domain-specific role');
      }
      const id = `${prior.id}:${implied.id}`;
      await deps.repo.writes.run(async () => {
        roles.require(prior.id);
        roles.require(implied.id);
        if (!deps.repo.c.implied_roles.has(id)) {
          await deps.repo.c.implied_roles.create({ id, prior_role_id: prior.id, implied_role_id: implied.id });
        }
      });
      return reply.code(201).send(inference(req, prior, roleRefView(req, implied), path(prior, implied)));
    });

    app.delete('/v3/roles/:prior_role_id/implies/:implied_role_id', opts, async (req, reply: FastifyReply) => {
      const { prior, implied } = pair(req, 'identity:delete_implied_role');
      const rule = implication(prior.id, implied.id);
      await deps.repo.writes.run(() => deps.repo.c.implied_roles.deleteIfExists(rule.id));
      return reply.code(204).send();
    });

    app.get('/v3/role_inferences', opts, async (req) => {
      const ctx = callContext(req, deps);
      deps.policy.enforce('identity:list_role_inference_rules', ctx.auth, {});
      const byPrior = new Map<string, Role[]>();
      for (const rule of deps.repo.c.implied_roles.list()) {
        const implied = roles.get(rule.implied_role_id);
        if (!implied || !roles.has(rule.prior_role_id)) continue;
        byPrior.set(rule.prior_role_id, [...(byPrior.get(rule.prior_role_id) ?? []), implied]);
      }
      const role_inferences = [...byPrior].map(([priorId, implied]) => ({
        prior_role: roleRefView(req, roles.require(priorId)),
        implies: implied.map((r) => roleRefView(req, r)),
      }));
      return { role_inferences, links: selfLink(req, 'role_inferences') };
    });
  },
};
