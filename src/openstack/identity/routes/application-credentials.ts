/**
 * `/v3/users/{user_id}/application_credentials` and `/v3/users/{user_id}/access_rules`.
 * Users manage their own; admins and system readers may look. Trust-scoped tokens may
 * not touch either, and a restricted application credential may not create or delete
 * application credentials.
 */
import type { FastifyRequest } from 'fastify';
import { contextOf } from '../../common/auth.js';
import { anyOf, isSelf, isSystemAdmin, isSystemReader } from '../../common/policy.js';
import { adminOrOwner, adminOrSystemReaderOrOwner } from '../catalog/rules.js';
import type { IdentityRouteModule } from '../deps.js';
import { accessRuleShown, appCredView } from '../delegation/app-credential-views.js';
import { accessRuleInUse, accessRuleNotFound, appCredNotFound, createAppCred } from '../delegation/app-credentials.js';
import { refuseTrustToken, requireUnrestricted } from '../delegation/guards.js';
import { KosError } from '../../../core/errors.js';
import type { AccessRule, ApplicationCredential } from '../model.js';
import { collectionLinks, member, queryOf } from '../wire.js';

const R = {
  list: 'identity:list_application_credentials',
  get: 'identity:get_application_credential',
  create: 'identity:create_application_credential',
  delete: 'identity:delete_application_credential',
  listRules: 'identity:list_access_rules',
  getRule: 'identity:get_access_rule',
  deleteRule: 'identity:delete_access_rule',
} as const;

type Params = { user_id: string; id?: string };
const paramsOf = (req: FastifyRequest): Params => req.params as Params;

export const routes: IdentityRouteModule = {
  rules: {
    [R.list]: adminOrSystemReaderOrOwner,
    [R.get]: adminOrSystemReaderOrOwner,
    [R.create]: isSelf,
    [R.delete]: adminOrOwner,
    [R.listRules]: anyOf(isSystemReader, isSelf),
    [R.getRule]: anyOf(isSystemReader, isSelf),
    [R.deleteRule]: anyOf(isSystemAdmin, isSelf),
  },
  register(app, deps) {
    const { repo } = deps;
    const opts = { preHandler: deps.authenticated };
    const base = '/v3/users/:user_id/application_credentials';

    /** The credential named in the URL; policy looks at its real owner, not the path's. */
    const findAppCred = (req: FastifyRequest, rule: string): ApplicationCredential => {
      const { auth } = contextOf(req);
      const id = paramsOf(req).id ?? '';
      const found = repo.c.application_credentials.get(id);
      deps.policy.enforce(rule, auth, { user_id: found?.user_id ?? paramsOf(req).user_id });
      refuseTrustToken(auth);
      if (!found) throw appCredNotFound(id);
      return found;
    };

    app.get(base, opts, async (req) => {
      const { auth } = contextOf(req);
      const { user_id } = paramsOf(req);
      deps.policy.enforce(R.list, auth, { user_id });
      refuseTrustToken(auth);
      const name = queryOf(req).name;
      const list = repo.c.application_credentials.byIndex('user', user_id).filter((a) => name === undefined || a.name === name);
      return { application_credentials: list.map((a) => appCredView(repo, req, a)), links: collectionLinks(req) };
    });

    app.post(base, opts, async (req, reply) => {
      const { auth } = contextOf(req);
      const { user_id } = paramsOf(req);
      deps.policy.enforce(R.create, auth, { user_id });
      refuseTrustToken(auth);
      requireUnrestricted(repo, auth, 'application credentials');
      const { appCred, secret } = await createAppCred(deps, auth, user_id, member(req.body, 'application_credential'));
      return reply.code(201).send({ application_credential: { ...appCredView(repo, req, appCred), secret } });
    });

    app.get(`${base}/:id`, opts, async (req) => ({
      application_credential: appCredView(repo, req, findAppCred(req, R.get)),
    }));

    app.delete(`${base}/:id`, opts, async (req, reply) => {
      const found = findAppCred(req, R.delete);
      requireUnrestricted(repo, contextOf(req).auth, 'application credentials');
      await repo.writes.run(() => repo.c.application_credentials.delete(found.id));
      return reply.code(204).send();
    });

    const rulesBase = '/v3/users/:user_id/access_rules';
    const ruleFilters: (keyof AccessRule)[] = ['service', 'path', 'method'];

    /** The user's access rule named in the URL; another user's rule is not found. */
    const findRule = (req: FastifyRequest, rule: string): AccessRule => {
      const { auth } = contextOf(req);
      const { user_id, id = '' } = paramsOf(req);
      deps.policy.enforce(rule, auth, { user_id });
      refuseTrustToken(auth);
      const found = repo.c.access_rules.get(id);
      if (!found || found.user_id !== user_id) throw accessRuleNotFound(id);
      return found;
    };

    app.get(rulesBase, opts, async (req) => {
      const { auth } = contextOf(req);
      const { user_id } = paramsOf(req);
      deps.policy.enforce(R.listRules, auth, { user_id });
      refuseTrustToken(auth);
      const query = queryOf(req);
      const list = repo.c.access_rules.list(
        (r) => r.user_id === user_id && ruleFilters.every((k) => query[k] === undefined || r[k] === query[k]),
      );
      return { access_rules: list.map((r) => accessRuleShown(req, r)), links: collectionLinks(req) };
    });

    app.get(`${rulesBase}/:id`, opts, async (req) => ({ access_rule: accessRuleShown(req, findRule(req, R.getRule)) }));

    app.delete(`${rulesBase}/:id`, opts, async (req, reply) => {
      const found = findRule(req, R.deleteRule);
      await repo.writes.run(async () => {
        if (accessRuleInUse(repo, found)) throw new KosError('Forbidden', 'May not delete access rule in use');
        await repo.c.access_rules.delete(found.id);
      });
      return reply.code(204).send();
    });
  },
};
