/** How application credentials and access rules are shown. */
import type { FastifyRequest } from 'fastify';
import type { Json } from '../crud.js';
import type { AccessRule, ApplicationCredential } from '../model.js';
import type { IdentityRepository } from '../repository.js';
import { selfLink } from '../wire.js';
import { withoutZone } from './expiry.js';

export const accessRuleView = (r: AccessRule): Json => ({ id: r.id, service: r.service, path: r.path, method: r.method });

export function appCredView(repo: IdentityRepository, req: FastifyRequest, a: ApplicationCredential): Json {
  const rules = a.access_rule_ids.flatMap((id) => {
    const r = repo.c.access_rules.get(id);
    return r ? [accessRuleView(r)] : [];
  });
  return {
    id: a.id,
    name: a.name,
    description: a.description,
    user_id: a.user_id,
    project_id: a.project_id,
    system: null,
    expires_at: withoutZone(a.expires_at),
    unrestricted: a.unrestricted,
    roles: a.role_ids.flatMap((id) => {
      const role = repo.c.roles.get(id);
      return role ? [{ id: role.id, name: role.name, domain_id: role.domain_id }] : [];
    }),
    ...(rules.length > 0 ? { access_rules: rules } : {}),
    links: selfLink(req, `users/${a.user_id}/application_credentials/${a.id}`),
  };
}

export const accessRuleShown = (req: FastifyRequest, r: AccessRule): Json => ({
  ...accessRuleView(r),
  links: selfLink(req, `users/${r.user_id}/access_rules/${r.id}`),
});
