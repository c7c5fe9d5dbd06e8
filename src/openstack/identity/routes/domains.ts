/**
 * /v3/domains: CRUD with `?name=` and `?enabled=` filters. A domain is deleted only once
 * disabled, and takes its projects, users, groups, roles and grants with it.
 */
import { isAdmin, isSystemReader, anyOf, ownsDomain, type Rule } from '../../common/policy.js';
import { crudRuleNames } from '../catalog/rules.js';
import type { IdentityRouteModule } from '../deps.js';
import type { Domain } from '../model.js';
import { registerCrud } from '../crud.js';
import { checked, requireMatchingId } from '../resources/body.js';
import { createDomain, deleteDomain, updateDomain } from '../resources/domain-lifecycle.js';
import { DomainCreate, DomainUpdate } from '../resources/schemas.js';
import { domainView } from '../resources/views.js';
import { queryFlag } from '../wire.js';

/** A project-scoped token may read the domain its project lives in. */
const projectInDomain: Rule = (a, t) => a.scope.kind === 'project' && t.domain_id !== undefined && a.scope.domainId === t.domain_id;

const domainRules = crudRuleNames('domain');

export const routes: IdentityRouteModule = {
  rules: {
    [domainRules.get]: anyOf(isAdmin, isSystemReader, ownsDomain, projectInDomain),
    [domainRules.list]: anyOf(isAdmin, isSystemReader),
    [domainRules.create]: isAdmin,
    [domainRules.update]: isAdmin,
    [domainRules.delete]: isAdmin,
  },
  register(app, deps) {
    registerCrud<Domain>(app, deps, {
      member: 'domain',
      plural: 'domains',
      idParam: 'domain_id',
      rules: domainRules,
      find: (d, id) => d.repo.c.domains.require(id),
      target: (d) => ({ domain_id: d.id }),
      view: (d, req) => domainView(req, d),
      list: ({ deps: d, query }) => {
        const enabled = queryFlag(query.enabled);
        return d.repo.c.domains.list(
          (x) => (query.name === undefined || x.name === query.name) && (enabled === undefined || x.enabled === enabled),
        );
      },
      create: (input, ctx) => createDomain(ctx.deps, checked(DomainCreate, input, 'domain')),
      update: (current, patch, ctx) => {
        const changes = checked(DomainUpdate, patch, 'domain');
        requireMatchingId(changes, current.id);
        return updateDomain(ctx.deps, current, changes);
      },
      remove: (current, ctx) => deleteDomain(ctx.deps, current),
    });
  },
};
