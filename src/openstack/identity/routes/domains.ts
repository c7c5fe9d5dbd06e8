/**
 * /v3/domains: CRUD with `?name=` and `?enabled=` filters. A domain is deleted only once
 * disabled, and takes its projects, users, groups, roles and grants with it.
 */
import { isAdmin, isSystemReader, anyOf, ownsDomain, type Rule } from '../../common/policy.js';
import type { IdentityRouteModule } from '../deps.js';
import type { Domain } from '../model.js';
import { readMember, requireMatchingId } from '../resources/body.js';
import { registerCrud } from '../resources/crud.js';
import { createDomain, deleteDomain, updateDomain } from '../resources/domain-lifecycle.js';
import { DomainCreate, DomainUpdate } from '../resources/schemas.js';
import { domainView } from '../resources/views.js';
import { queryFlag } from '../wire.js';

/** A project-scoped token may read the domain its project lives in. */
const projectInDomain: Rule = (a, t) => a.scope.kind === 'project' && t.domain_id !== undefined && a.scope.domainId === t.domain_id;

export const routes: IdentityRouteModule = {
  rules: {
    'identity:get_domain': anyOf(isAdmin, isSystemReader, ownsDomain, projectInDomain),
    'identity:list_domains': anyOf(isAdmin, isSystemReader),
    'identity:create_domain': isAdmin,
    'identity:update_domain': isAdmin,
    'identity:delete_domain': isAdmin,
  },
  register(app, deps) {
    registerCrud<Domain>(app, deps, {
      collection: 'domains',
      member: 'domain',
      rules: {
        list: 'identity:list_domains',
        get: 'identity:get_domain',
        create: 'identity:create_domain',
        update: 'identity:update_domain',
        delete: 'identity:delete_domain',
      },
      find: (d, id) => d.repo.c.domains.require(id),
      target: (d) => ({ domain_id: d.id }),
      view: (ctx, d) => domainView(ctx.req, d),
      list: ({ deps: d, query }) => {
        const enabled = queryFlag(query.enabled);
        return d.repo.c.domains.list(
          (x) => (query.name === undefined || x.name === query.name) && (enabled === undefined || x.enabled === enabled),
        );
      },
      create: (ctx, body) => createDomain(ctx.deps, readMember(body, 'domain', DomainCreate)),
      update: (ctx, current, body) => {
        const changes = readMember(body, 'domain', DomainUpdate);
        requireMatchingId(changes, current.id);
        return updateDomain(ctx.deps, current, changes);
      },
      remove: (ctx, current) => deleteDomain(ctx.deps, current),
    });
  },
};
