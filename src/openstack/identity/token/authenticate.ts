/**
 * POST /v3/auth/tokens, the part before minting: run every authentication method the
 * request names (password, token, application_credential), agree on one user, and
 * settle the scope (project, domain, system, trust, explicitly unscoped, or the user's
 * default project). The result is an IssueRequest for the token provider.
 *
 * Every authentication failure is the same 401 with Keystone's generic message, so a
 * caller learns nothing about which users, projects or credentials exist.
 */
import type { Clock } from '../../../core/clock.js';
import { KosError } from '../../../core/errors.js';
import { AUTH_REQUIRED } from '../../common/auth.js';
import type { ApplicationCredential, Domain, Project, Trust, User } from '../model.js';
import type { PasswordHasher } from '../passwords.js';
import type { IdentityRepository } from '../repository.js';
import { microsFromIso } from './micros.js';
import type { TokenScope } from './payload.js';
import type { IssueRequest, TokenProvider } from './provider.js';
import { expecting, idOrName, invalid, isObject, optObject, optString, type Json } from './request.js';

export interface AuthenticateDeps {
  repo: IdentityRepository;
  passwords: PasswordHasher;
  clock: Clock;
  provider: TokenProvider;
}

export interface AuthOutcome {
  request: IssueRequest;
  /** A trust with limited uses: one is consumed once the token is issued. */
  consumeTrust?: string;
}

const denied = (): KosError => new KosError('Unauthorized', AUTH_REQUIRED);
const forbiddenAction = (action: string): KosError =>
  new KosError('Forbidden', `You are not authorized to perform the requested action: ${action}.`);

const supportedMethods = new Set(['password', 'token', 'application_credential']);

/** What one method established. */
interface MethodResult {
  userId: string;
  /** Methods carried over from a token being rescoped. */
  inheritedMethods?: string[];
  expiresAt?: number;
  parentAuditId?: string;
  appCredId?: string;
  /** The token method's source token, for the rescoping rules. */
  fromToken?: { scope: TokenScope; trust: boolean; appCredProjectId?: string };
  /** An application credential fixes the scope to its project. */
  appCredProjectId?: string;
}

// ---- lookups ---------------------------------------------------------------------------------

function lookupDomain(repo: IdentityRepository, ref: { id?: string; name?: string }): Domain {
  const domain = ref.id !== undefined ? repo.c.domains.get(ref.id) : repo.c.domains.list((d) => d.name === ref.name)[0];
  if (!domain || !domain.enabled) throw denied();
  return domain;
}

function lookupUser(repo: IdentityRepository, info: Json, path: string): User {
  const id = optString(info, 'id', `${path}/id`);
  const name = optString(info, 'name', `${path}/name`);
  let user: User | undefined;
  if (id !== undefined && name === undefined) {
    user = repo.c.users.get(id);
    if (user) lookupDomain(repo, { id: user.domain_id });
  } else if (name !== undefined) {
    const domainRef = optObject(info, 'domain', `${path}/domain`);
    if (!domainRef) throw expecting('domain', 'user');
    const domain = lookupDomain(repo, idOrName(domainRef, `${path}/domain`));
    user = repo.c.users.byIndex('name', `${domain.id}/${name}`)[0];
  } else {
    throw invalid(path, 'id or name must be present.');
  }
  if (!user || !user.enabled) throw denied();
  return user;
}

function lookupProject(repo: IdentityRepository, ref: Json): Project {
  const { id, name } = idOrName(ref, 'scope/project');
  let project: Project | undefined;
  if (name !== undefined) {
    const domainRef = optObject(ref, 'domain', 'scope/project/domain');
    if (!domainRef) throw expecting('domain', 'project');
    const domain = lookupDomain(repo, idOrName(domainRef, 'scope/project/domain'));
    project = repo.c.projects.byIndex('domain', domain.id).find((p) => p.name === name);
  } else if (id !== undefined) {
    project = repo.c.projects.get(id);
    if (project) lookupDomain(repo, { id: project.domain_id });
  }
  if (!project || !project.enabled) throw denied();
  return project;
}

const nowMicros = (clock: Clock): number => clock.now() * 1000;

function isExpired(expiresAt: string | null | undefined, now: number): boolean {
  if (!expiresAt) return false;
  const at = microsFromIso(expiresAt);
  return at === undefined || now >= at;
}

// ---- methods -----------------------------------------------------------------------------------

async function passwordMethod(deps: AuthenticateDeps, data: Json): Promise<MethodResult> {
  const info = optObject(data, 'user', 'identity/password/user');
  if (!info) throw expecting('user', 'password');
  const user = lookupUser(deps.repo, info, 'identity/password/user');
  const password = optString(info, 'password', 'identity/password/user/password') ?? '';
  const current = user.passwords[0];
  if (!current || !(await deps.passwords.verify(password, current.hash))) throw denied();
  if (isExpired(current.expires_at, nowMicros(deps.clock)) && user.options.ignore_password_expiry !== true) {
    throw new KosError('Unauthorized', `The password is expired and needs to be changed for user: ${user.id}.`);
  }
  return { userId: user.id };
}

function tokenMethod(deps: AuthenticateDeps, data: Json): MethodResult {
  const id = optString(data, 'id', 'identity/token/id');
  if (id === undefined) throw expecting('id', 'token');
  const source = deps.provider.inspect(id);
  const p = source.payload;
  const result: MethodResult = {
    userId: p.userId,
    inheritedMethods: p.methods,
    // The rescoped token keeps its parent's expiry: rescoping never extends a session.
    expiresAt: p.expiresAt,
    fromToken: { scope: p.scope, trust: p.trustId !== undefined },
  };
  const chain = p.auditIds[1] ?? p.auditIds[0];
  if (chain) result.parentAuditId = chain;
  if (source.appCred) {
    result.appCredId = source.appCred.id;
    result.fromToken!.appCredProjectId = source.appCred.project_id;
  }
  return result;
}

async function applicationCredentialMethod(deps: AuthenticateDeps, data: Json): Promise<MethodResult> {
  const { repo } = deps;
  const id = optString(data, 'id', 'identity/application_credential/id');
  const name = optString(data, 'name', 'identity/application_credential/name');
  const secret = optString(data, 'secret', 'identity/application_credential/secret');
  let cred: ApplicationCredential | undefined;
  if (id !== undefined) {
    cred = repo.c.application_credentials.get(id);
  } else if (name !== undefined) {
    const userRef = optObject(data, 'user', 'identity/application_credential/user');
    if (!userRef) throw expecting('user', 'application credential');
    const user = lookupUser(repo, userRef, 'identity/application_credential/user');
    const named = repo.c.application_credentials.byIndex('user', user.id).filter((c) => c.name === name);
    if (named.length === 1) cred = named[0];
  } else {
    throw expecting('name or ID', 'application credential');
  }
  if (!cred || secret === undefined) throw denied();
  const owner = repo.c.users.get(cred.user_id);
  if (!owner || !owner.enabled) throw denied();
  lookupDomain(repo, { id: owner.domain_id });
  if (!(await deps.passwords.verify(secret, cred.secret_hash))) throw denied();
  if (isExpired(cred.expires_at, nowMicros(deps.clock))) throw denied();
  return { userId: cred.user_id, appCredId: cred.id, appCredProjectId: cred.project_id };
}

// ---- scope ---------------------------------------------------------------------------------------

type ScopeRequest =
  | { kind: 'none' }
  | { kind: 'unscoped' }
  | { kind: 'system' }
  | { kind: 'project'; project: Project }
  | { kind: 'domain'; domain: Domain }
  | { kind: 'trust'; trust: Trust };

function readScope(repo: IdentityRepository, auth: Json): ScopeRequest {
  const scope = auth.scope;
  if (scope === undefined) return { kind: 'none' };
  if (scope === 'unscoped') return { kind: 'unscoped' };
  if (!isObject(scope)) throw invalid('scope', `${JSON.stringify(scope)} is not of type 'object', 'string'`);
  const kinds = ['project', 'domain', 'unscoped', 'system', 'OS-TRUST:trust'].filter((k) => k in scope);
  if (kinds.length !== 1) throw expecting('system, project, domain, OS-TRUST:trust or unscoped', 'scope');
  switch (kinds[0]) {
    case 'unscoped':
      return { kind: 'unscoped' };
    case 'system': {
      const system = optObject(scope, 'system', 'scope/system');
      if (!system || system.all !== true) throw invalid('scope/system', "only {'all': true} is supported");
      return { kind: 'system' };
    }
    case 'project':
      return { kind: 'project', project: lookupProject(repo, optObject(scope, 'project', 'scope/project')!) };
    case 'domain':
      return { kind: 'domain', domain: lookupDomain(repo, idOrName(optObject(scope, 'domain', 'scope/domain')!, 'scope/domain')) };
    default: {
      const ref = optObject(scope, 'OS-TRUST:trust', 'scope/OS-TRUST:trust')!;
      const id = optString(ref, 'id', 'scope/OS-TRUST:trust/id');
      if (id === undefined) throw expecting('trust_id', 'trust');
      const trust = repo.c.trusts.get(id);
      if (!trust || trust.deleted_at) throw denied();
      return { kind: 'trust', trust };
    }
  }
}

/** No scope asked for: the user's default project if it is usable, else unscoped. */
function defaultScope(deps: AuthenticateDeps, userId: string): TokenScope {
  const user = deps.repo.c.users.get(userId);
  const projectId = user?.default_project_id;
  if (!projectId) return { kind: 'unscoped' };
  const project = deps.repo.c.projects.get(projectId);
  const domain = project ? deps.repo.c.domains.get(project.domain_id) : undefined;
  if (!project || !project.enabled || !domain?.enabled) return { kind: 'unscoped' };
  if (deps.provider.roleIds(userId, { type: 'project', id: project.id }).length === 0) return { kind: 'unscoped' };
  return { kind: 'project', id: project.id };
}

// ---- the whole request ---------------------------------------------------------------------------

export async function authenticate(deps: AuthenticateDeps, body: unknown): Promise<AuthOutcome> {
  const auth = isObject(body) ? body.auth : undefined;
  if (!isObject(auth)) throw expecting('auth', 'request body');
  const identity = optObject(auth, 'identity', 'identity');
  if (!identity) throw invalid('identity', "'identity' is a required property");
  const methodsValue = identity.methods;
  if (!Array.isArray(methodsValue) || !methodsValue.every((m): m is string => typeof m === 'string')) {
    throw invalid('identity/methods', "'methods' must be an array of strings");
  }
  const methods = [...new Set(methodsValue)];
  if (methods.length === 0) throw invalid('identity/methods', "'methods' must not be empty");
  for (const m of methods) {
    if (!isObject(identity[m])) throw expecting(m, 'identity');
  }
  for (const m of methods) {
    if (!supportedMethods.has(m)) throw new KosError('Unauthorized', 'Attempted to authenticate with an unsupported method.');
  }

  const results: MethodResult[] = [];
  for (const m of methods) {
    const data = identity[m] as Json;
    if (m === 'password') results.push(await passwordMethod(deps, data));
    else if (m === 'token') results.push(tokenMethod(deps, data));
    else results.push(await applicationCredentialMethod(deps, data));
  }
  const userId = results[0]!.userId;
  if (results.some((r) => r.userId !== userId)) throw denied();

  const fromToken = results.find((r) => r.fromToken)?.fromToken;
  const appCredProject = results.find((r) => r.appCredProjectId)?.appCredProjectId ?? fromToken?.appCredProjectId;
  const requested = readScope(deps.repo, auth);

  if (fromToken) {
    const scoping = requested.kind === 'project' || requested.kind === 'domain';
    if (fromToken.trust) {
      throw forbiddenAction('Using trust-scoped token to create another token. Create a new trust-scoped token instead');
    }
    if (fromToken.scope.kind === 'system' && scoping) {
      throw forbiddenAction('Using a system-scoped token to create a project-scoped or domain-scoped token is not allowed.');
    }
    if (fromToken.appCredProjectId && requested.kind !== 'none') {
      throw forbiddenAction('Using an application credential token to create a scoped token is not allowed.');
    }
  }

  const request: IssueRequest = {
    userId,
    methods: [...methods, ...results.flatMap((r) => r.inheritedMethods ?? [])],
    scope: { kind: 'unscoped' },
  };
  for (const r of results) {
    if (r.expiresAt !== undefined) request.expiresAt = r.expiresAt;
    if (r.parentAuditId !== undefined) request.parentAuditId = r.parentAuditId;
    if (r.appCredId !== undefined) request.appCredId = r.appCredId;
  }

  const outcome: AuthOutcome = { request };
  if (appCredProject) {
    // An application credential is bound to its project; asking for another scope fails.
    if (requested.kind !== 'none') throw denied();
    request.scope = { kind: 'project', id: appCredProject };
    return outcome;
  }
  switch (requested.kind) {
    case 'none':
      request.scope = defaultScope(deps, userId);
      break;
    case 'unscoped':
    case 'system':
      request.scope = { kind: requested.kind };
      break;
    case 'project':
      request.scope = { kind: 'project', id: requested.project.id };
      break;
    case 'domain':
      request.scope = { kind: 'domain', id: requested.domain.id };
      break;
    case 'trust': {
      const trust = requested.trust;
      if (isExpired(trust.expires_at, nowMicros(deps.clock))) throw denied();
      if (trust.remaining_uses !== null && trust.remaining_uses <= 0) throw denied();
      if (trust.trustee_user_id !== userId) throw new KosError('Forbidden', 'User is not a trustee.');
      request.trustId = trust.id;
      request.scope = trust.project_id ? { kind: 'project', id: trust.project_id } : { kind: 'unscoped' };
      if (trust.remaining_uses !== null) outcome.consumeTrust = trust.id;
      break;
    }
  }
  return outcome;
}

/** Take one use of a limited trust; fails (401) if another request took the last one first. */
export async function consumeTrustUse(repo: IdentityRepository, trustId: string): Promise<void> {
  await repo.writes.run(async () => {
    const trust = repo.c.trusts.get(trustId);
    if (!trust || trust.deleted_at || trust.remaining_uses === null) return;
    if (trust.remaining_uses <= 0) throw denied();
    await repo.c.trusts.update(trustId, (t) => ({ ...t, remaining_uses: (t.remaining_uses ?? 1) - 1 }));
  });
}
