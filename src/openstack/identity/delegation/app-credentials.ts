/**
 * Application credentials: a user delegates (some of) their roles on the project of the
 * creating token to a secret that authenticates without a password. The secret is shown
 * once and only its hash is stored; access rules narrow what the credential may call and
 * are shared between a user's credentials (an identical rule is reused).
 */
import { randomBytes } from 'node:crypto';
import { Type, type Static } from '@sinclair/typebox';
import { KosError } from '../../../core/errors.js';
import { hexId } from '../../../core/ids.js';
import type { AuthContext } from '../../common/context.js';
import { projectIdOf } from '../../common/context.js';
import { effectiveRoleIds, impliedClosure } from '../assignments.js';
import { check } from '../catalog/validate.js';
import { Nullable } from '../resources/body.js';
import type { IdentityDeps } from '../deps.js';
import type { AccessRule, ApplicationCredential, Role } from '../model.js';
import type { IdentityRepository } from '../repository.js';
import { parseExpiration } from './expiry.js';

const Method = Type.Union(['DELETE', 'GET', 'HEAD', 'PATCH', 'POST', 'PUT'].map((m) => Type.Literal(m)));

const AccessRuleInput = Type.Object(
  {
    id: Type.Optional(Type.String({ minLength: 1, maxLength: 64, pattern: '^[a-zA-Z0-9-]+$' })),
    path: Type.Optional(Type.String({ maxLength: 225, pattern: '^/.*' })),
    service: Type.Optional(Type.String({ minLength: 1, maxLength: 64, pattern: '^[a-zA-Z0-9-]+$' })),
    method: Type.Optional(Method),
  },
  { additionalProperties: false },
);

const RoleInput = Type.Union([
  Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) }, { additionalProperties: false }),
  Type.Object({ name: Type.String({ minLength: 1, maxLength: 255 }) }, { additionalProperties: false }),
]);

export const AppCredCreate = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 255, pattern: '[\\S]+' }),
    description: Type.Optional(Nullable(Type.String())),
    secret: Type.Optional(Nullable(Type.String())),
    expires_at: Type.Optional(Nullable(Type.String())),
    project_id: Type.Optional(Type.String()),
    roles: Type.Optional(Type.Array(RoleInput)),
    unrestricted: Type.Optional(Nullable(Type.Boolean())),
    access_rules: Type.Optional(Type.Array(AccessRuleInput)),
    system: Type.Optional(Nullable(Type.String())),
  },
  { additionalProperties: false },
);
export type AppCredInput = Static<typeof AppCredCreate>;

const invalid = (detail: string) => new KosError('BadRequest', `Invalid application credential: ${detail}`);

/** 64 random bytes, base64url without padding: the shape of Keystone's generated secrets. */
export const generateSecret = (): string => randomBytes(64).toString('base64url');

export const appCredNotFound = (id: string) => new KosError('NotFound', `Could not find Application Credential: ${id}.`);
export const accessRuleNotFound = (id: string) => new KosError('NotFound', `Could not find Access Rule: ${id}.`);

/** A global role by name (Keystone's get_unique_role_by_name). */
function roleByName(repo: IdentityRepository, name: string): Role {
  const found = repo.c.roles.list((r) => r.name === name && r.domain_id === null);
  if (found.length === 0) throw new KosError('NotFound', `Could not find role: ${name}.`);
  return found[0]!;
}

/**
 * The roles delegated: those asked for plus what they imply, each of which the creating
 * token must carry — or, when none are asked for, every role of the token.
 */
export function delegatedRoleIds(repo: IdentityRepository, auth: AuthContext, requested: AppCredInput['roles']): string[] {
  const tokenRoles = auth.roles.map((r) => r.id);
  if (!requested || requested.length === 0) return tokenRoles;
  const asked = requested.map((r) => ('id' in r ? repo.c.roles.require(r.id).id : roleByName(repo, r.name).id));
  const all = impliedClosure(repo, asked).filter((id) => repo.c.roles.has(id));
  if (all.some((id) => !tokenRoles.includes(id))) invalidUnassigned();
  return all;
}

function invalidUnassigned(): never {
  throw invalid('Cannot create an application credential with unassigned role');
}

/** The user must still hold every delegated role on the project (assignments, not the token). */
function requireHeldRoles(repo: IdentityRepository, userId: string, projectId: string, roleIds: string[]): void {
  const held = effectiveRoleIds(repo, userId, { type: 'project', id: projectId });
  const missing = roleIds.find((id) => !held.includes(id));
  if (missing) {
    throw invalid(
      `Could not find role assignment with role: ${missing}, user or group: ${userId}, project, domain, or system: ${projectId}.`,
    );
  }
}

/** Resolve requested access rules to the user's rules, reusing identical ones; creates new ones. */
async function resolveAccessRules(repo: IdentityRepository, userId: string, rules: NonNullable<AppCredInput['access_rules']>): Promise<string[]> {
  const ids: string[] = [];
  for (const rule of rules) {
    const byId = rule.id ? repo.c.access_rules.get(rule.id) : undefined;
    if (byId && byId.user_id === userId) {
      ids.push(byId.id);
      continue;
    }
    if (rule.service === undefined || rule.path === undefined || rule.method === undefined) {
      throw invalid('an access rule needs service, path and method (or the id of an existing rule)');
    }
    const same = repo.c.access_rules.list(
      (r) => r.user_id === userId && r.service === rule.service && r.path === rule.path && r.method === rule.method,
    )[0];
    if (same) {
      ids.push(same.id);
      continue;
    }
    const created = await repo.c.access_rules.create({
      id: rule.id && !byId ? rule.id : hexId(),
      user_id: userId,
      service: rule.service,
      path: rule.path,
      method: rule.method,
    });
    ids.push(created.id);
  }
  return ids;
}

/** Create an application credential for the caller; returns it with its secret in clear. */
export async function createAppCred(
  deps: IdentityDeps,
  auth: AuthContext,
  userId: string,
  body: unknown,
): Promise<{ appCred: ApplicationCredential; secret: string }> {
  const { repo } = deps;
  const input = check(body, AppCredCreate, 'application_credential');
  const projectId = projectIdOf(auth);
  if (!projectId) throw invalid('an application credential is created with a project-scoped token');
  const roleIds = delegatedRoleIds(repo, auth, input.roles);
  const expiresAt = input.expires_at ? parseExpiration(input.expires_at, deps.clock.now()) : null;
  const secret = input.secret || generateSecret();
  // Hashing is slow by design; it happens before the write lock is taken.
  const secretHash = await deps.passwords.hash(secret);
  const appCred = await repo.writes.run(async () => {
    requireHeldRoles(repo, userId, projectId, roleIds);
    if (repo.c.application_credentials.byIndex('user', userId).some((a) => a.name === input.name)) {
      throw new KosError('Conflict', 'Conflict occurred attempting to store application_credential - Duplicate entry.');
    }
    const accessRuleIds = input.access_rules ? await resolveAccessRules(repo, userId, input.access_rules) : [];
    return repo.c.application_credentials.create({
      id: hexId(),
      name: input.name,
      description: input.description ?? null,
      user_id: userId,
      project_id: projectId,
      secret_hash: secretHash,
      expires_at: expiresAt,
      unrestricted: input.unrestricted ?? false,
      role_ids: roleIds,
      access_rule_ids: accessRuleIds,
    });
  });
  return { appCred, secret };
}

/** Access rules in use by any application credential may not be deleted. */
export function accessRuleInUse(repo: IdentityRepository, rule: AccessRule): boolean {
  return repo.c.application_credentials.byIndex('user', rule.user_id).some((a) => a.access_rule_ids.includes(rule.id));
}
