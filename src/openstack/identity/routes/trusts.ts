/**
 * OS-TRUST: `/v3/OS-TRUST/trusts` and a trust's roles. The trustor creates and deletes;
 * trustor and trustee (and admins, system readers) read; tokens from application
 * credentials may not manage trusts at all. Deleting a trust revokes its tokens.
 */
import type { FastifyRequest } from 'fastify';
import { KosError } from '../../../core/errors.js';
import { contextOf } from '../../common/auth.js';
import type { AuthContext } from '../../common/context.js';
import { anyOf, isAdmin, isSystemReader, type Rule } from '../../common/policy.js';
import { adminOrSystemReader } from '../catalog/rules.js';
import type { IdentityRouteModule } from '../deps.js';
import { forbiddenAction } from '../delegation/guards.js';
import { trustRoles, trustRolesLinks, trustSummary, trustView } from '../delegation/trust-views.js';
import { createTrust, liveTrust, trustAndRedelegations } from '../delegation/trusts.js';
import type { Trust } from '../model.js';
import { roleView } from '../resources/views.js';
import { collectionLinks, member, queryOf } from '../wire.js';

const R = {
  create: 'identity:create_trust',
  list: 'identity:list_trusts',
  listForTrustor: 'identity:list_trusts_for_trustor',
  listForTrustee: 'identity:list_trusts_for_trustee',
  get: 'identity:get_trust',
  delete: 'identity:delete_trust',
  listRoles: 'identity:list_roles_for_trust',
  getRole: 'identity:get_role_for_trust',
} as const;

const trustor: Rule = (a, t) => t.trustor_user_id !== undefined && t.trustor_user_id === a.userId;
const trustee: Rule = (a, t) => t.trustee_user_id !== undefined && t.trustee_user_id === a.userId;
const party = anyOf(isAdmin, isSystemReader, trustor, trustee);

/** Application credentials are bound to one project: they may not reach into trusts. */
function refuseAppCred(auth: AuthContext): void {
  if (auth.methods.includes('application_credential') || auth.applicationCredentialId) {
    throw forbiddenAction("Using method 'application_credential' is not allowed for managing trusts");
  }
}

const trustTarget = (t: Trust) => ({ trustor_user_id: t.trustor_user_id, trustee_user_id: t.trustee_user_id });

export const routes: IdentityRouteModule = {
  rules: {
    [R.create]: trustor,
    [R.list]: adminOrSystemReader,
    [R.listForTrustor]: anyOf(isAdmin, isSystemReader, trustor),
    [R.listForTrustee]: anyOf(isAdmin, isSystemReader, trustee),
    [R.get]: party,
    [R.delete]: anyOf(isAdmin, trustor),
    [R.listRoles]: party,
    [R.getRole]: party,
  },
  register(app, deps) {
    const { repo } = deps;
    const opts = { preHandler: deps.authenticated };
    const base = '/v3/OS-TRUST/trusts';

    /** The live trust in the URL (404 before 403, as Keystone) after the rule allows the caller. */
    const find = (req: FastifyRequest, rule: string): Trust => {
      const { auth } = contextOf(req);
      const trust = liveTrust(repo, (req.params as { trust_id: string }).trust_id, deps.clock.now());
      deps.policy.enforce(rule, auth, trustTarget(trust));
      refuseAppCred(auth);
      return trust;
    };

    app.post(base, opts, async (req, reply) => {
      const { auth } = contextOf(req);
      const input = member(req.body, 'trust');
      deps.policy.enforce(R.create, auth, {
        trustor_user_id: typeof input.trustor_user_id === 'string' ? input.trustor_user_id : null,
      });
      refuseAppCred(auth);
      const trust = await createTrust(deps, auth, input);
      return reply.code(201).send({ trust: trustView(repo, req, trust) });
    });

    app.get(base, opts, async (req) => {
      const { auth } = contextOf(req);
      const query = queryOf(req);
      const { trustor_user_id: trustorId, trustee_user_id: trusteeId } = query;
      if (trustorId) deps.policy.enforce(R.listForTrustor, auth, { trustor_user_id: trustorId });
      else if (trusteeId) deps.policy.enforce(R.listForTrustee, auth, { trustee_user_id: trusteeId });
      else deps.policy.enforce(R.list, auth, {});
      refuseAppCred(auth);
      const trusts = repo.c.trusts.list(
        (t) =>
          t.deleted_at === null &&
          (trustorId ? t.trustor_user_id === trustorId : trusteeId ? t.trustee_user_id === trusteeId : true),
      );
      return { trusts: trusts.map((t) => trustSummary(req, t)), links: collectionLinks(req) };
    });

    app.get(`${base}/:trust_id`, opts, async (req) => ({ trust: trustView(repo, req, find(req, R.get)) }));

    app.delete(`${base}/:trust_id`, opts, async (req, reply) => {
      const { auth } = contextOf(req);
      const id = (req.params as { trust_id: string }).trust_id;
      const trust = repo.c.trusts.get(id);
      if (!trust) throw new KosError('NotFound', `Could not find trust: ${id}.`);
      deps.policy.enforce(R.delete, auth, trustTarget(trust));
      refuseAppCred(auth);
      const removed = await repo.writes.run(async () => {
        const all = trustAndRedelegations(repo, trust);
        for (const t of all) await repo.c.trusts.deleteIfExists(t.id);
        return all;
      });
      for (const t of removed) await deps.revoker.revoke({ trust_id: t.id });
      return reply.code(204).send();
    });

    app.get(`${base}/:trust_id/roles`, opts, async (req) => {
      const trust = find(req, R.listRoles);
      return { roles: trustRoles(repo, req, trust), links: trustRolesLinks(req, trust) };
    });

    app.get(`${base}/:trust_id/roles/:role_id`, opts, async (req) => {
      const trust = find(req, R.getRole);
      const roleId = (req.params as { role_id: string }).role_id;
      if (!trust.role_ids.includes(roleId)) throw new KosError('NotFound', `Could not find role: ${roleId}.`);
      return { role: roleView(req, repo.c.roles.require(roleId)) };
    });
  },
};
