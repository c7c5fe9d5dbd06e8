/** How trusts are shown: full (with roles) for create/get, summary for lists. */
import type { FastifyRequest } from 'fastify';
import type { Json } from '../crud.js';
import type { Trust } from '../model.js';
import type { IdentityRepository } from '../repository.js';
import { roleView } from '../resources/views.js';
import { selfLink } from '../wire.js';

export const trustSummary = (req: FastifyRequest, t: Trust): Json => ({
  id: t.id,
  trustor_user_id: t.trustor_user_id,
  trustee_user_id: t.trustee_user_id,
  project_id: t.project_id,
  impersonation: t.impersonation,
  expires_at: t.expires_at,
  remaining_uses: t.remaining_uses,
  redelegated_trust_id: t.redelegated_trust_id,
  redelegation_count: t.redelegation_count,
  links: selfLink(req, `OS-TRUST/trusts/${t.id}`),
});

export const trustRoles = (repo: IdentityRepository, req: FastifyRequest, t: Trust): Json[] =>
  t.role_ids.flatMap((id) => {
    const role = repo.c.roles.get(id);
    return role ? [roleView(req, role)] : [];
  });

export const trustRolesLinks = (req: FastifyRequest, t: Trust) => ({
  self: selfLink(req, `OS-TRUST/trusts/${t.id}/roles`).self,
  previous: null,
  next: null,
});

export const trustView = (repo: IdentityRepository, req: FastifyRequest, t: Trust): Json => ({
  ...trustSummary(req, t),
  allow_redelegation: t.allow_redelegation,
  roles: trustRoles(repo, req, t),
  roles_links: trustRolesLinks(req, t),
});
