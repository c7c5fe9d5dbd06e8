/**
 * Creating, changing and deleting users, and changing a password. Passwords are hashed on
 * the way in and never shown; a user disabled, deleted or given a new password loses every
 * token it holds.
 */
import { KosError } from '../../../core/errors.js';
import { hexId } from '../../../core/ids.js';
import type { AuthContext } from '../../common/context.js';
import type { IdentityDeps } from '../deps.js';
import { DEFAULT_DOMAIN_ID, type PasswordRecord, type User } from '../model.js';
import { isoMicro } from '../wire.js';
import { applyOptions, extraOf, toBool } from './body.js';
import { deleteUserCascade, revokeAll } from './cascade.js';
import type { UserCreate, UserUpdate } from './schemas.js';

type JsonObject = Record<string, unknown>;

const knownUserFields = [
  'id', 'name', 'domain_id', 'enabled', 'password', 'default_project_id', 'description', 'options', 'federated',
  'password_expires_at',
];

/** How many old password hashes a user keeps (for history checks once they exist). */
const PASSWORD_HISTORY = 5;

function assertNameFree(deps: IdentityDeps, name: string, domainId: string, exceptId?: string): void {
  const clash = deps.repo.c.users.byIndex('name', `${domainId}/${name}`).find((u) => u.id !== exceptId);
  if (clash) {
    throw new KosError(
      'Conflict',
      `Conflict occurred attempting to store user - Duplicate entry found with name ${name} at domain ID ${domainId}.`,
    );
  }
}

/** A user's default project may be any id, but never a domain's. */
function assertNotDomain(deps: IdentityDeps, projectId: string | null | undefined): void {
  if (projectId && deps.repo.c.domains.has(projectId)) {
    throw new KosError('BadRequest', `User's default project ID cannot be a domain ID: ${projectId}`);
  }
}

async function passwordRecord(deps: IdentityDeps, password: string): Promise<PasswordRecord> {
  return { hash: await deps.passwords.hash(password), created_at: isoMicro(deps.clock.now()), expires_at: null };
}

export async function createUser(deps: IdentityDeps, body: UserCreate & JsonObject, auth: AuthContext): Promise<User> {
  const name = body.name.trim();
  const domainId = body.domain_id ?? (auth.scope.kind === 'domain' ? auth.scope.domainId : DEFAULT_DOMAIN_ID);
  deps.repo.c.domains.require(domainId);
  assertNotDomain(deps, body.default_project_id);
  // Hash outside the write section: it is the slow part and touches nothing shared.
  const passwords = typeof body.password === 'string' ? [await passwordRecord(deps, body.password)] : [];
  return deps.repo.writes.run(async () => {
    deps.repo.c.domains.require(domainId);
    assertNameFree(deps, name, domainId);
    const now = isoMicro(deps.clock.now());
    return deps.repo.c.users.create({
      id: hexId(),
      name,
      domain_id: domainId,
      enabled: body.enabled === undefined ? true : toBool(body.enabled),
      default_project_id: body.default_project_id ?? null,
      description: body.description ?? null,
      options: applyOptions({}, body.options),
      extra: extraOf(body, knownUserFields),
      passwords,
      created_at: now,
      last_active_at: null,
    });
  });
}

export async function updateUser(deps: IdentityDeps, current: User, body: UserUpdate & JsonObject): Promise<User> {
  if (body.domain_id !== undefined && body.domain_id !== current.domain_id) {
    throw new KosError('BadRequest', 'Cannot change Domain ID');
  }
  assertNotDomain(deps, body.default_project_id);
  const newPassword = typeof body.password === 'string' ? await passwordRecord(deps, body.password) : undefined;
  const updated = await deps.repo.writes.run(async () => {
    const u = deps.repo.c.users.require(current.id);
    const name = body.name?.trim() ?? u.name;
    if (name !== u.name) assertNameFree(deps, name, u.domain_id, u.id);
    return deps.repo.c.users.update(u.id, (x) => ({
      ...x,
      name,
      enabled: body.enabled === undefined ? x.enabled : toBool(body.enabled),
      default_project_id: body.default_project_id === undefined ? x.default_project_id : body.default_project_id,
      description: body.description === undefined ? x.description : body.description,
      options: applyOptions(x.options, body.options),
      extra: { ...x.extra, ...extraOf(body, knownUserFields) },
      passwords: newPassword ? [newPassword, ...x.passwords].slice(0, PASSWORD_HISTORY) : x.passwords,
    }));
  });
  if ((current.enabled && !updated.enabled) || newPassword) await deps.revoker.revoke({ user_id: current.id });
  return updated;
}

export async function deleteUser(deps: IdentityDeps, current: User): Promise<void> {
  const revocations = await deps.repo.writes.run(() => deleteUserCascade(deps.repo, current.id));
  await revokeAll(deps, revocations);
}

/** POST /v3/users/{id}/password: the original password is the credential. */
export async function changePassword(deps: IdentityDeps, userId: string, original: string, password: string): Promise<void> {
  const fail = (why: string) => new KosError('Unauthorized', `Error when changing user password: ${why}`);
  const user = deps.repo.c.users.get(userId);
  const current = user?.passwords[0];
  if (!user || !current || !(await deps.passwords.verify(original, current.hash))) throw fail('Invalid user / password');
  if (!user.enabled) throw fail(`User is disabled: ${userId}`);
  const domain = deps.repo.c.domains.get(user.domain_id);
  if (domain && !domain.enabled) throw fail(`Domain is disabled: ${domain.id}`);
  const record = await passwordRecord(deps, password);
  await deps.repo.writes.run(() =>
    deps.repo.c.users.update(userId, (x) => ({ ...x, passwords: [record, ...x.passwords].slice(0, PASSWORD_HISTORY) })),
  );
  await deps.revoker.revoke({ user_id: userId });
}
