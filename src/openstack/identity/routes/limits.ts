/**
 * Unified limits: /v3/registered_limits, /v3/limits and /v3/limits/model. Anyone
 * authenticated reads registered limits and the model; limits are read within the caller's
 * scope; writes are admin-only (Keystone's defaults).
 */
import { allOf, anyOf, isAdmin, isSystemReader, ownsDomain, ownsProject, type Rule } from '../../common/policy.js';
import { contextOf } from '../../common/auth.js';
import { registerCrud } from '../crud.js';
import { limitModel, limits, registeredLimits } from '../catalog/limits.js';
import { anyone } from '../catalog/rules.js';
import type { IdentityRouteModule } from '../deps.js';

const registered = {
  list: 'identity:list_registered_limits',
  get: 'identity:get_registered_limit',
  create: 'identity:create_registered_limits',
  update: 'identity:update_registered_limit',
  delete: 'identity:delete_registered_limit',
};
const limitRules = {
  list: 'identity:list_limits',
  get: 'identity:get_limit',
  create: 'identity:create_limits',
  update: 'identity:update_limit',
  delete: 'identity:delete_limit',
};

/** A project limit is the project's (and its domain's); a domain limit the domain's. */
const limitReader: Rule = anyOf(isSystemReader, ownsDomain, allOf(ownsProject, (_a, t) => t.project_id != null));

export const routes: IdentityRouteModule = {
  rules: {
    'identity:get_limit_model': anyone,
    [registered.list]: anyone,
    [registered.get]: anyone,
    [registered.create]: isAdmin,
    [registered.update]: isAdmin,
    [registered.delete]: isAdmin,
    [limitRules.list]: anyone,
    [limitRules.get]: limitReader,
    [limitRules.create]: isAdmin,
    [limitRules.update]: isAdmin,
    [limitRules.delete]: isAdmin,
  },
  register(app, deps) {
    app.get('/v3/limits/model', { preHandler: deps.authenticated }, async (req) => {
      deps.policy.enforce('identity:get_limit_model', contextOf(req).auth, {});
      return { model: limitModel };
    });
    registerCrud(app, deps, registeredLimits(registered));
    const limitResource = limits(limitRules);
    registerCrud(app, deps, {
      ...limitResource,
      // A project limit's domain is its project's domain, so domain readers see it too.
      target: (l) => ({
        project_id: l.project_id,
        domain_id: l.domain_id ?? (l.project_id ? (deps.repo.c.projects.get(l.project_id)?.domain_id ?? null) : null),
      }),
    });
  },
};
