/**
 * From a decrypted payload to everything a token means now: its user, scope, trust or
 * application credential, and its roles — or the reason it means nothing any more. The
 * same function runs when a token is issued and whenever it is validated, so a token is
 * only ever minted if it would validate, and its body is identical both times.
 */
import type { ApplicationCredential, Domain, Project, Role, Trust, User } from '../model.js';
import type { IdentityRepository } from '../repository.js';
import type { RoleTarget } from '../assignments.js';
import { impliedClosure } from '../assignments.js';
import { microsFromIso } from './micros.js';
import type { TokenPayload } from './payload.js';

/** Why a token is not (or cannot be) valid; `status` is what issuing answers with. */
export class TokenRejected extends Error {
  constructor(
    message: string,
    readonly status: 401 | 403 = 401,
  ) {
    super(message);
  }
}

export interface ResolvedToken {
  payload: TokenPayload;
  /** The user who authenticated (the trustee of a trust-scoped token). */
  user: User;
  userDomain: Domain;
  /** The user the token speaks for: the trustor when a trust impersonates, else `user`. */
  subject: User;
  subjectDomain: Domain;
  project?: Project;
  projectDomain?: Domain;
  domain?: Domain;
  roles: Role[];
  trust?: Trust;
  trustor?: User;
  appCred?: ApplicationCredential;
  /** µs after which the token fails whatever its own expiry (trust or credential expiry). */
  hardUntil: number;
}

export interface ResolveContext {
  repo: IdentityRepository;
  /** Effective role ids (memoized by the caller). */
  roleIds(userId: string, target: RoleTarget, stripDomainRoles: boolean): readonly string[];
}

function enabledDomain(repo: IdentityRepository, id: string, what: string): Domain {
  const domain = repo.c.domains.get(id);
  if (!domain) throw new TokenRejected(`${what} domain ${id} not found`);
  if (!domain.enabled) throw new TokenRejected(`${what} domain ${id} is disabled`);
  return domain;
}

function enabledUser(repo: IdentityRepository, id: string, what: string): { user: User; domain: Domain } {
  const user = repo.c.users.get(id);
  if (!user) throw new TokenRejected(`${what} ${id} not found`);
  if (!user.enabled) throw new TokenRejected(`${what} ${id} is disabled`);
  return { user, domain: enabledDomain(repo, user.domain_id, what) };
}

/** µs of an optional ISO expiry; +∞ when there is none. */
function expiryMicros(value: string | null | undefined): number {
  if (!value) return Number.POSITIVE_INFINITY;
  return microsFromIso(value) ?? Number.NEGATIVE_INFINITY;
}

export function resolveToken(ctx: ResolveContext, payload: TokenPayload, nowUs: number): ResolvedToken {
  const { repo } = ctx;
  const { user, domain: userDomain } = enabledUser(repo, payload.userId, 'user');
  let hardUntil = Number.POSITIVE_INFINITY;
  let subject = user;
  let subjectDomain = userDomain;

  let trust: Trust | undefined;
  let trustor: User | undefined;
  if (payload.trustId) {
    trust = repo.c.trusts.get(payload.trustId);
    if (!trust || trust.deleted_at) throw new TokenRejected(`trust ${payload.trustId} not found`);
    hardUntil = Math.min(hardUntil, expiryMicros(trust.expires_at));
    if (nowUs >= hardUntil) throw new TokenRejected(`trust ${trust.id} expired`);
    if (trust.trustee_user_id !== user.id) throw new TokenRejected('User is not a trustee.', 403);
    const t = enabledUser(repo, trust.trustor_user_id, 'trustor');
    trustor = t.user;
    if (trust.impersonation) {
      subject = t.user;
      subjectDomain = t.domain;
    }
  }

  let appCred: ApplicationCredential | undefined;
  if (payload.appCredId) {
    appCred = repo.c.application_credentials.get(payload.appCredId);
    if (!appCred || appCred.user_id !== user.id) throw new TokenRejected(`application credential ${payload.appCredId} not found`);
    hardUntil = Math.min(hardUntil, expiryMicros(appCred.expires_at));
    if (nowUs >= hardUntil) throw new TokenRejected(`application credential ${appCred.id} expired`);
  }

  const resolved: ResolvedToken = { payload, user, userDomain, subject, subjectDomain, roles: [], hardUntil };
  if (trust) resolved.trust = trust;
  if (trustor) resolved.trustor = trustor;
  if (appCred) resolved.appCred = appCred;

  const scope = payload.scope;
  let roleIds: readonly string[] = [];
  if (scope.kind === 'project') {
    const project = repo.c.projects.get(scope.id);
    if (!project) throw new TokenRejected(`project ${scope.id} not found`);
    if (!project.enabled) throw new TokenRejected(`project ${scope.id} is disabled`);
    resolved.project = project;
    resolved.projectDomain = enabledDomain(repo, project.domain_id, 'project');
    const target: RoleTarget = { type: 'project', id: project.id };
    if (trust && trustor) {
      if (trust.project_id !== project.id) throw new TokenRejected(`trust ${trust.id} is not for project ${project.id}`);
      // Every delegated role (and what it implies) must still be held by the trustor.
      const held = new Set(ctx.roleIds(trustor.id, target, false));
      const delegated = impliedClosure(repo, trust.role_ids);
      if (!delegated.every((id) => held.has(id))) throw new TokenRejected('Trustee has no delegated roles.', 403);
      roleIds = delegated.filter((id) => repo.c.roles.get(id)?.domain_id === null);
    } else if (appCred) {
      if (appCred.project_id !== project.id) throw new TokenRejected('application credential is for another project');
      const held = new Set(ctx.roleIds(user.id, target, true));
      roleIds = impliedClosure(repo, appCred.role_ids).filter((id) => held.has(id));
    } else {
      roleIds = ctx.roleIds(user.id, target, true);
    }
    if (roleIds.length === 0) throw new TokenRejected(`user ${user.id} has no access to project ${project.id}`);
  } else if (scope.kind === 'domain') {
    resolved.domain = enabledDomain(repo, scope.id, 'scope');
    roleIds = ctx.roleIds(user.id, { type: 'domain', id: scope.id }, true);
    if (roleIds.length === 0) throw new TokenRejected(`user ${user.id} has no access to domain ${scope.id}`);
  } else if (scope.kind === 'system') {
    roleIds = ctx.roleIds(user.id, { type: 'system' }, true);
    if (roleIds.length === 0) throw new TokenRejected(`user ${user.id} has no access to the system`);
  }
  resolved.roles = roleIds.map((id) => repo.c.roles.require(id));
  return resolved;
}
