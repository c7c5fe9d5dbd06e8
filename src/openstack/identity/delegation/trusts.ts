/**
 * OS-TRUST: a trustor delegates roles on a project to a trustee, optionally letting the
 * trustee act as the trustor (impersonation), for a limited time or number of uses, and
 * optionally further (redelegation, at most `MAX_REDELEGATION` deep). The checks follow
 * Keystone's trust manager; token issuance from a trust belongs to the token provider.
 */
import { Type, type Static } from '@sinclair/typebox';
import { KosError } from '../../../core/errors.js';
import { hexId } from '../../../core/ids.js';
import type { AuthContext } from '../../common/context.js';
import { effectiveRoleIds } from '../assignments.js';
import { check } from '../catalog/validate.js';
import { Nullable } from '../resources/body.js';
import type { IdentityDeps } from '../deps.js';
import type { Trust } from '../model.js';
import type { IdentityRepository } from '../repository.js';
import { expiryMs, parseExpiration } from './expiry.js';
import { forbiddenAction } from './guards.js';

/** Keystone's [trust] max_redelegation_count default. */
export const MAX_REDELEGATION = 3;

const RoleRef = Type.Union([
  Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) }, { additionalProperties: false }),
  Type.Object({ name: Type.String({ minLength: 1, maxLength: 255 }) }, { additionalProperties: false }),
]);

export const TrustCreate = Type.Object(
  {
    trustor_user_id: Type.String(),
    trustee_user_id: Type.String(),
    impersonation: Type.Boolean(),
    project_id: Type.Optional(Nullable(Type.String())),
    remaining_uses: Type.Optional(Nullable(Type.Integer({ minimum: 1 }))),
    expires_at: Type.Optional(Nullable(Type.String())),
    allow_redelegation: Type.Optional(Nullable(Type.Boolean())),
    redelegation_count: Type.Optional(Nullable(Type.Integer({ minimum: 0 }))),
    roles: Type.Optional(Type.Array(RoleRef)),
  },
  { additionalProperties: true },
);
type TrustInput = Static<typeof TrustCreate>;

const forbidden = (message: string) => new KosError('Forbidden', message);
export const trustNotFound = (id: string) => new KosError('NotFound', `Could not find trust: ${id}.`);
const roleNotFound = (id: string) => new KosError('NotFound', `Could not find role: ${id}.`);

/** A trust that exists and can still be used: not expired, uses left (else 404, as Keystone). */
export function liveTrust(repo: IdentityRepository, id: string, nowMs: number): Trust {
  const t = repo.c.trusts.get(id);
  if (!t || t.deleted_at !== null) throw trustNotFound(id);
  if (t.expires_at !== null && expiryMs(t.expires_at) < nowMs) throw trustNotFound(id);
  if (t.remaining_uses !== null && t.remaining_uses <= 0) throw trustNotFound(id);
  return t;
}

function roleIdsOf(repo: IdentityRepository, roles: TrustInput['roles']): string[] {
  return (roles ?? []).map((r) => {
    if ('id' in r) return r.id;
    const found = repo.c.roles.list((x) => x.name === r.name && x.domain_id === null)[0];
    if (!found) throw roleNotFound(r.name);
    return found.id;
  });
}

/** The chain from a trust up to the trust it was first redelegated from. */
function pedigree(repo: IdentityRepository, trust: Trust): Trust[] {
  const chain = [trust];
  let cur = trust;
  while (cur.redelegated_trust_id) {
    const parent = repo.c.trusts.get(cur.redelegated_trust_id);
    if (!parent || chain.includes(parent)) break;
    chain.push(parent);
    cur = parent;
  }
  return chain;
}

/** Keystone's _validate_redelegation: what a trust redelegated from `parent` may be. */
function validateRedelegation(parent: Trust, child: Omit<Trust, 'id'>): Omit<Trust, 'id'> {
  const depth = parent.redelegation_count;
  if (!(depth > 0 && depth <= MAX_REDELEGATION)) {
    throw forbidden(`Remaining redelegation depth of ${depth} out of allowed range of [0..${MAX_REDELEGATION}]`);
  }
  if (child.remaining_uses !== null) {
    throw forbidden(`Field "remaining_uses" is set to ${child.remaining_uses} while it must not be set in order to redelegate a trust`);
  }
  let expiresAt = child.expires_at;
  if (expiresAt === null) expiresAt = parent.expires_at;
  else if (parent.expires_at !== null && expiryMs(parent.expires_at) < expiryMs(expiresAt)) {
    throw forbidden('Requested expiration time is more than redelegated trust can provide');
  }
  if (!child.role_ids.every((id) => parent.role_ids.includes(id))) {
    throw forbidden('Some of requested roles are not in redelegated trust');
  }
  if (!parent.impersonation && child.impersonation) {
    throw forbidden(`Impersonation is not allowed because redelegated trust does not specify impersonation. Redelegated trust id: ${parent.id}`);
  }
  return { ...child, expires_at: expiresAt };
}

/** Create a trust for the caller (the trustor); runs the whole check list of Keystone. */
export async function createTrust(deps: IdentityDeps, auth: AuthContext, body: unknown): Promise<Trust> {
  const { repo } = deps;
  const input = check(body, TrustCreate, 'trust');
  const projectId = input.project_id || null;
  if (projectId && (!input.roles || input.roles.length === 0)) throw forbiddenAction('At least one role should be specified');
  if (auth.userId !== input.trustor_user_id) throw forbiddenAction('The authenticated user should match the trustor');
  repo.c.users.require(input.trustee_user_id);
  const roleIds = roleIdsOf(repo, input.roles);

  // A trust-scoped token creates a redelegation of its own trust.
  const parent = auth.trustId ? liveTrust(repo, auth.trustId, deps.clock.now()) : undefined;
  const chain = parent ? pedigree(repo, parent) : [];
  const origin = chain[chain.length - 1];

  if (projectId) {
    repo.c.projects.require(projectId);
    const trustorId = origin?.trustor_user_id ?? input.trustor_user_id;
    const held = effectiveRoleIds(repo, trustorId, { type: 'project', id: origin?.project_id ?? projectId }, { stripDomainRoles: false });
    const missing = roleIds.find((id) => !held.includes(id));
    if (missing) throw roleNotFound(missing);
  }
  const expiresAt = input.expires_at != null ? parseExpiration(input.expires_at, deps.clock.now()) : null;

  const requested = input.redelegation_count ?? null;
  const redelegatable = Boolean(input.allow_redelegation) && requested !== 0;
  let count: number | null = requested;
  if (!redelegatable) {
    count = 0;
  } else {
    if (requested !== null && requested > MAX_REDELEGATION) {
      throw forbidden(`Requested redelegation depth of ${requested} is greater than allowed ${MAX_REDELEGATION}`);
    }
    if (input.remaining_uses != null) {
      throw new KosError('BadRequest', 'remaining_uses must not be set if redelegation is allowed');
    }
  }

  let trust: Omit<Trust, 'id'> = {
    trustor_user_id: input.trustor_user_id,
    trustee_user_id: input.trustee_user_id,
    project_id: projectId,
    impersonation: input.impersonation,
    expires_at: expiresAt,
    remaining_uses: input.remaining_uses ?? null,
    role_ids: roleIds,
    allow_redelegation: redelegatable,
    redelegated_trust_id: null,
    redelegation_count: count ?? MAX_REDELEGATION,
    deleted_at: null,
  };
  if (parent) {
    const remaining = parent.redelegation_count - 1;
    if (redelegatable && requested && requested !== remaining) {
      throw forbidden('Modifying "redelegation_count" upon redelegation is forbidden. Omitting this parameter is advised.');
    }
    trust = { ...trust, redelegated_trust_id: parent.id, redelegation_count: redelegatable ? (requested ?? remaining) : 0 };
    for (const ancestor of chain) trust = validateRedelegation(ancestor, trust);
  }
  const created = { id: hexId(), ...trust };
  return repo.writes.run(() => repo.c.trusts.create(created));
}

/** The trust and every trust redelegated from it, children first. */
export function trustAndRedelegations(repo: IdentityRepository, trust: Trust): Trust[] {
  const out: Trust[] = [];
  const visit = (t: Trust) => {
    for (const child of repo.c.trusts.list((c) => c.redelegated_trust_id === t.id)) if (!out.includes(child)) visit(child);
    out.push(t);
  };
  visit(trust);
  return out;
}
