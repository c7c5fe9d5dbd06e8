/**
 * Keystone's token provider, Fernet-style: a token is its own record (an encrypted,
 * authenticated payload — see payload.ts and sealer.ts), so nothing is stored per token
 * and any number of them can exist. What can change after issue is looked up at every
 * validation: the user, project and domain must still exist and be enabled, the roles are
 * recomputed, and revocation events (one event invalidates a token, a user's tokens, a
 * project's …) are consulted through an in-memory index.
 *
 * Validation is memoized per token string and dropped on any identity write (the
 * repository generation), so the hot path is a map lookup and two comparisons.
 *
 * Keys: see keys.ts. `rotateKeys()` promotes the staged key; tokens encrypted with a key
 * that rotation has since removed stop validating.
 */
import { randomBytes } from 'node:crypto';
import type { Clock } from '../../../core/clock.js';
import type { KosConfig } from '../../../core/config.js';
import { KosError } from '../../../core/errors.js';
import { hexId } from '../../../core/ids.js';
import type { Logger } from '../../../core/log.js';
import { AUTH_REQUIRED, type TokenValidator } from '../../common/auth.js';
import type { AuthContext } from '../../common/context.js';
import { effectiveRoleIds, type RoleTarget } from '../assignments.js';
import { buildCatalog, type CatalogEntry } from '../catalog-builder.js';
import type { RevocationCriteria, Revoker } from '../deps.js';
import type { RevocationEvent } from '../model.js';
import type { PasswordHasher } from '../passwords.js';
import type { IdentityRepository } from '../repository.js';
import { GenerationCache } from './generation-cache.js';
import { KeyRepository } from './keys.js';
import { isoFromMicros, MicroStamps, microsFromIso } from './micros.js';
import { decodePayload, encodePayload, methodOrder, PayloadError, type TokenPayload, type TokenScope } from './payload.js';
import { resolveToken, TokenRejected, type ResolvedToken } from './resolve.js';
import { RevocationIndex, type RevocationSubject } from './revocation-index.js';
import { isUnscoped, renderToken, toAuthContext, withCatalog, type TokenBody } from './render.js';
import { open, seal } from './sealer.js';

/** How long past expiry `?allow_expired=1` still validates a token (Keystone's allow_expired_window). */
export const ALLOW_EXPIRED_WINDOW_SECONDS = 48 * 3600;

export interface TokenProviderOptions {
  repo: IdentityRepository;
  clock: Clock;
  config: KosConfig;
  log: Logger;
  passwords: PasswordHasher;
  keyDir: string;
  /** Keys kept by rotation (Keystone's max_active_keys, default 3). */
  maxActiveKeys?: number;
}

/** What an authenticated request asks to be minted. */
export interface IssueRequest {
  userId: string;
  methods: string[];
  scope: TokenScope;
  /** µs; defaults to now + the configured lifetime. A rescoped token keeps its parent's. */
  expiresAt?: number;
  /** The audit id of the chain this token continues (rescoping). */
  parentAuditId?: string;
  trustId?: string;
  appCredId?: string;
}

export interface IssuedToken {
  token: string;
  resolved: ResolvedToken;
}

interface Validated {
  resolved: ResolvedToken;
  context: AuthContext;
  body: Record<string, unknown>;
  /** The serialized body with and without catalog, made on first use (validation is hot). */
  json?: { withCatalog?: string; withoutCatalog?: string };
}

/** Keystone's audit ids: 16 random bytes, base64url (22 characters). */
const newAuditId = (): string => randomBytes(16).toString('base64url');

export class TokenProvider implements TokenValidator, Revoker {
  private readonly keys: KeyRepository;
  private readonly stamps: MicroStamps;
  private readonly validated: GenerationCache<Validated>;
  private readonly roleMemo: GenerationCache<readonly string[]>;
  private readonly catalogMemo: GenerationCache<CatalogEntry[]>;
  private revocations = new RevocationIndex();
  private revocationGeneration = -1;
  private readonly ttlMicros: number;

  constructor(private readonly opts: TokenProviderOptions) {
    this.keys = new KeyRepository({ dir: opts.keyDir, maxActiveKeys: opts.maxActiveKeys ?? 3 });
    this.keys.load();
    this.keys.watch((indexes) => {
      // Cached validations may rest on a key that is gone now.
      this.validated.clear();
      opts.log.info({ keys: indexes }, 'token key repository changed on disk');
    });
    this.stamps = new MicroStamps(opts.clock);
    const generation = () => opts.repo.generation();
    this.validated = new GenerationCache(generation);
    this.roleMemo = new GenerationCache(generation);
    this.catalogMemo = new GenerationCache(generation, 10_000);
    this.ttlMicros = opts.config.identity.tokenTtlSeconds * 1e6;
  }

  // ---- issuing ---------------------------------------------------------------------------

  /** Mint a token; throws TokenRejected when it would not validate (no role on the scope …). */
  issue(req: IssueRequest): IssuedToken {
    const issuedAt = this.stamps.next();
    let expiresAt = req.expiresAt ?? issuedAt + this.ttlMicros;
    if (req.appCredId) {
      // A token never outlives the credential it came from.
      const cred = this.opts.repo.c.application_credentials.get(req.appCredId);
      const credExpiry = cred?.expires_at ? microsFromIso(cred.expires_at) : undefined;
      if (credExpiry !== undefined) expiresAt = Math.min(expiresAt, credExpiry);
    }
    const payload: TokenPayload = {
      userId: req.userId,
      methods: methodOrder(req.methods),
      scope: req.scope,
      issuedAt,
      expiresAt,
      auditIds: req.parentAuditId ? [newAuditId(), req.parentAuditId] : [newAuditId()],
    };
    if (req.trustId) payload.trustId = req.trustId;
    if (req.appCredId) payload.appCredId = req.appCredId;
    const resolved = resolveToken(this.resolveContext(), payload, issuedAt);
    const token = seal(this.keys, encodePayload(payload));
    this.validated.set(token, this.remember(resolved, token));
    return { token, resolved };
  }

  // ---- validation ------------------------------------------------------------------------

  /** TokenValidator: the caller's context, or 401. */
  async validate(token: string, opts: { allowExpired?: boolean } = {}): Promise<AuthContext> {
    try {
      return this.check(token, opts.allowExpired ?? false).context;
    } catch (e) {
      if (e instanceof TokenRejected) throw new KosError('Unauthorized', AUTH_REQUIRED);
      throw e;
    }
  }

  /** A subject token (GET/HEAD/DELETE /v3/auth/tokens, the token auth method): its resolution, or 404. */
  inspect(token: string, opts: { allowExpired?: boolean } = {}): ResolvedToken {
    return this.checkSubject(token, opts.allowExpired ?? false).resolved;
  }

  /** The body of a valid token as Keystone returns it. */
  body(token: string, opts: { allowExpired?: boolean; catalog?: boolean } = {}): TokenBody {
    const v = this.checkSubject(token, opts.allowExpired ?? false);
    return withCatalog(v.body, this.catalogOf(v.resolved, opts.catalog ?? true));
  }

  /** The body as JSON text, memoized with the validation: GET /v3/auth/tokens sends it as is. */
  bodyJson(token: string, opts: { allowExpired?: boolean; catalog?: boolean } = {}): string {
    const v = this.checkSubject(token, opts.allowExpired ?? false);
    const include = opts.catalog ?? true;
    v.json ??= {};
    const key = include ? 'withCatalog' : 'withoutCatalog';
    return (v.json[key] ??= JSON.stringify(withCatalog(v.body, this.catalogOf(v.resolved, include))));
  }

  /** The body of a token just issued. */
  bodyOfIssued(issued: IssuedToken, opts: { catalog?: boolean } = {}): TokenBody {
    return withCatalog(renderToken(issued.resolved), this.catalogOf(issued.resolved, opts.catalog ?? true));
  }

  /** The catalog for a project scope (filtered) or for any other scope (everything). */
  catalog(projectId?: string): CatalogEntry[] {
    return this.catalogMemo.getOrCompute(projectId ?? '', () => buildCatalog(this.opts.repo, projectId));
  }

  /** Effective global role ids of a user on a target, memoized until identity changes. */
  roleIds(userId: string, target: RoleTarget, stripDomainRoles = true): readonly string[] {
    const key = `${userId}|${target.type}|${target.id ?? ''}|${stripDomainRoles ? 1 : 0}`;
    return this.roleMemo.getOrCompute(key, () =>
      effectiveRoleIds(this.opts.repo, userId, target, { stripDomainRoles }),
    );
  }

  private catalogOf(r: ResolvedToken, include: boolean): CatalogEntry[] | undefined {
    if (!include || isUnscoped(r)) return undefined;
    return this.catalog(r.project?.id);
  }

  private resolveContext() {
    return { repo: this.opts.repo, roleIds: (u: string, t: RoleTarget, strip: boolean) => this.roleIds(u, t, strip) };
  }

  private remember(resolved: ResolvedToken, token: string): Validated {
    return { resolved, context: toAuthContext(resolved, token), body: renderToken(resolved) };
  }

  /** `check` for a subject token: a rejected one is a 404 naming it. */
  private checkSubject(token: string, allowExpired: boolean): Validated {
    try {
      return this.check(token, allowExpired);
    } catch (e) {
      if (e instanceof TokenRejected) throw new KosError('NotFound', `Could not find token: ${token}.`);
      throw e;
    }
  }

  private check(token: string, allowExpired: boolean): Validated {
    let v = this.validated.get(token);
    if (!v) {
      const plaintext = open(this.keys, token);
      if (!plaintext) throw new TokenRejected('token is malformed or its key is unknown');
      let payload: TokenPayload;
      try {
        payload = decodePayload(plaintext);
      } catch (e) {
        if (e instanceof PayloadError) throw new TokenRejected(e.message);
        throw e;
      }
      const resolved = resolveToken(this.resolveContext(), payload, this.stamps.now());
      const event = this.revocationIndex().revokedBy(revocationSubject(resolved));
      if (event) throw new TokenRejected(`token revoked by event ${event.id}`);
      v = this.remember(resolved, token);
      this.validated.set(token, v);
    }
    const now = this.stamps.now();
    const window = allowExpired ? ALLOW_EXPIRED_WINDOW_SECONDS * 1e6 : 0;
    if (now >= v.resolved.payload.expiresAt + window) throw new TokenRejected('token expired');
    if (now >= v.resolved.hardUntil) throw new TokenRejected('trust or application credential expired');
    return v;
  }

  // ---- revocation ------------------------------------------------------------------------

  /**
   * Record a revocation event. Deliberately outside `repo.writes`: callers revoke from
   * inside their own write sections (a password change, a user disabled) and the mutex is
   * not reentrant; an event needs no uniqueness check.
   */
  async revoke(criteria: RevocationCriteria): Promise<void> {
    const stamp = this.stamps.next();
    const event: RevocationEvent = { id: hexId(), issued_before: isoFromMicros(stamp), revoked_at: isoFromMicros(stamp) };
    for (const [k, v] of Object.entries(criteria) as [keyof RevocationCriteria, string | undefined][]) {
      if (v !== undefined && v !== null) event[k] = v;
    }
    await this.opts.repo.c.revocation_events.create(event);
    await this.pruneRevocations(stamp);
  }

  /** Revoke one token (DELETE /v3/auth/tokens): an event on its own audit id. */
  async revokeToken(token: string): Promise<void> {
    const resolved = this.inspect(token);
    const auditId = resolved.payload.auditIds[0];
    if (auditId) await this.revoke({ audit_id: auditId });
  }

  /** Events revoked after `since` (µs), oldest first: GET /v3/OS-REVOKE/events. */
  events(sinceMicros?: number): RevocationEvent[] {
    const all = this.opts.repo.c.revocation_events.list();
    const withTime = all.map((e) => ({ e, at: microsFromIso(e.revoked_at) ?? 0 }));
    return withTime
      .filter((x) => sinceMicros === undefined || x.at > sinceMicros)
      .sort((a, b) => a.at - b.at)
      .map((x) => x.e);
  }

  private revocationIndex(): RevocationIndex {
    const c = this.opts.repo.c.revocation_events;
    if (c.generation !== this.revocationGeneration) {
      this.revocations = new RevocationIndex(c.list());
      this.revocationGeneration = c.generation;
    }
    return this.revocations;
  }

  /** Events older than any token they could still match (lifetime + allow-expired window) go. */
  private async pruneRevocations(nowUs: number): Promise<void> {
    const horizon = nowUs - this.ttlMicros - ALLOW_EXPIRED_WINDOW_SECONDS * 1e6 - 3600e6;
    const stale = this.opts.repo.c.revocation_events.list((e) => (microsFromIso(e.revoked_at) ?? 0) < horizon);
    for (const e of stale) {
      try {
        await this.opts.repo.c.revocation_events.deleteIfExists(e.id);
      } catch (err) {
        this.opts.log.warn({ err, event: e.id }, 'could not prune revocation event');
      }
    }
  }

  // ---- keys ------------------------------------------------------------------------------

  /**
   * Rotate the key repository (like `keystone-manage fernet_rotate`): the staged key
   * becomes primary, a new key is staged, the oldest secondaries beyond maxActiveKeys are
   * removed — tokens encrypted with those stop validating. Returns the key numbers now held.
   */
  rotateKeys(): number[] {
    this.keys.rotate();
    // A removed key must stop validating at once, cached or not.
    this.validated.clear();
    this.opts.log.info({ keys: this.keys.indexes() }, 'token keys rotated');
    return this.keys.indexes();
  }
}

function revocationSubject(r: ResolvedToken): RevocationSubject {
  const p = r.payload;
  const subject: RevocationSubject = {
    issuedAt: p.issuedAt,
    expiresAt: p.expiresAt,
    auditId: p.auditIds[0] ?? '',
    auditChainId: p.auditIds[1] ?? p.auditIds[0] ?? '',
    userId: r.user.id,
    userDomainId: r.userDomain.id,
    roleIds: r.roles.map((role) => role.id),
  };
  if (r.project) subject.projectId = r.project.id;
  const scopeDomain = r.projectDomain?.id ?? r.domain?.id;
  if (scopeDomain) subject.scopeDomainId = scopeDomain;
  if (r.trust) {
    subject.trustId = r.trust.id;
    subject.trustorId = r.trust.trustor_user_id;
    subject.trusteeId = r.trust.trustee_user_id;
  }
  return subject;
}

export async function createTokenProvider(opts: TokenProviderOptions): Promise<TokenProvider> {
  return new TokenProvider(opts);
}
