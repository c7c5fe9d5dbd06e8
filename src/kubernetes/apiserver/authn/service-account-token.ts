/**
 * Service account tokens: JWTs the cluster signs, with the claims the real server puts in
 * them (iss, sub `system:serviceaccount:<ns>:<name>`, aud, exp, iat, nbf, jti, and the
 * `kubernetes.io` claim naming the namespace, the service account and what the token is
 * bound to), and the authenticator that turns one back into a user — only while the
 * service account (and the bound pod or secret) still exists with the same uid.
 */
import { randomUUID } from 'node:crypto';
import type { Clock } from '../../../core/clock.js';
import type { KubeObject } from '../object.js';
import { TokenRejectedError, type TokenAuthenticator, type TokenVerdict } from './authenticator.js';
import { JwtError, decodeJwt, signJwt, verifyJwtSignature, type JwtSigningKey, type JwtVerificationKey } from './jwt.js';
import { serviceAccountGroups, serviceAccountUsername, type UserInfo } from './user.js';

/** The issuer (and default audience) of a kube-apiserver set up the usual way. */
export const defaultServiceAccountIssuer = 'https://kubernetes.default.svc.cluster.local';

export type BoundObjectKind = 'Pod' | 'Secret' | 'Node';

export interface BoundObject {
  kind: BoundObjectKind;
  name: string;
  uid: string;
}

export interface TokenClaimsRequest {
  audiences: readonly string[];
  expirationSeconds: number;
  boundObject?: BoundObject;
}

/** Reads the objects a token names, to check they still exist (undefined: gone). */
export interface BoundObjectReader {
  get(kind: 'ServiceAccount' | BoundObjectKind, namespace: string, name: string): Promise<KubeObject | undefined>;
}

interface NameUid {
  name?: string;
  uid?: string;
}

interface KubernetesClaim {
  namespace?: string;
  serviceaccount?: NameUid;
  pod?: NameUid;
  secret?: NameUid;
  node?: NameUid;
}

/** Leeway for clocks a little apart, as go-jose's default. */
const leewaySeconds = 60;

export const extraKeys = {
  podName: 'authentication.kubernetes.io/pod-name',
  podUid: 'authentication.kubernetes.io/pod-uid',
  nodeName: 'authentication.kubernetes.io/node-name',
  nodeUid: 'authentication.kubernetes.io/node-uid',
  credentialId: 'authentication.kubernetes.io/credential-id',
} as const;

export interface ServiceAccountTokensOptions {
  key: JwtSigningKey;
  clock: Clock;
  reader: BoundObjectReader;
  issuer?: string;
  /** Keys whose tokens are still accepted (the signing key is always one). */
  extraVerificationKeys?: readonly JwtVerificationKey[];
}

export class ServiceAccountTokens implements TokenAuthenticator {
  readonly name = 'service-account';
  readonly issuer: string;
  private readonly key: JwtSigningKey;
  private readonly clock: Clock;
  private readonly reader: BoundObjectReader;
  private readonly verificationKeys: readonly JwtVerificationKey[];

  constructor(opts: ServiceAccountTokensOptions) {
    this.key = opts.key;
    this.clock = opts.clock;
    this.reader = opts.reader;
    this.issuer = opts.issuer ?? defaultServiceAccountIssuer;
    this.verificationKeys = [opts.key, ...(opts.extraVerificationKeys ?? [])];
  }

  /** A signed token for the service account; the caller has checked the request. */
  issue(serviceAccount: KubeObject, request: TokenClaimsRequest): { token: string; expiresAt: number } {
    const now = Math.floor(this.clock.now() / 1000);
    const exp = now + request.expirationSeconds;
    const namespace = serviceAccount.metadata.namespace ?? '';
    const name = serviceAccount.metadata.name ?? '';
    const kubernetes: KubernetesClaim = { namespace, serviceaccount: { name, uid: serviceAccount.metadata.uid ?? '' } };
    const bound = request.boundObject;
    if (bound) kubernetes[bound.kind === 'Pod' ? 'pod' : bound.kind === 'Secret' ? 'secret' : 'node'] = { name: bound.name, uid: bound.uid };
    const claims = {
      aud: [...request.audiences],
      exp,
      iat: now,
      iss: this.issuer,
      jti: randomUUID(),
      'kubernetes.io': kubernetes,
      nbf: now,
      sub: serviceAccountUsername(namespace, name),
    };
    return { token: signJwt(this.key, claims), expiresAt: exp * 1000 };
  }

  async authenticateToken(token: string, audiences: readonly string[]): Promise<TokenVerdict | undefined> {
    const peek = decodeJwt(token);
    // Not a JWT, or another issuer's: some other authenticator's business.
    if (!peek || peek.claims.iss !== this.issuer) return undefined;
    let claims: Record<string, unknown>;
    try {
      claims = verifyJwtSignature(token, this.verificationKeys).claims;
    } catch (e) {
      if (e instanceof JwtError) throw new TokenRejectedError(e.message);
      throw e;
    }
    this.checkTimes(claims);
    const accepted = this.acceptedAudiences(claims, audiences);
    const k = claims['kubernetes.io'] as KubernetesClaim | undefined;
    const namespace = k?.namespace;
    const sa = k?.serviceaccount;
    if (typeof namespace !== 'string' || !namespace || typeof sa?.name !== 'string' || !sa.name) {
      throw new TokenRejectedError('service account token is missing the kubernetes.io claims');
    }
    if (claims.sub !== serviceAccountUsername(namespace, sa.name)) throw new TokenRejectedError('service account token subject does not match its claims');
    const account = await this.reader.get('ServiceAccount', namespace, sa.name);
    if (!account || account.metadata.deletionTimestamp) throw new TokenRejectedError(`serviceaccounts "${sa.name}" not found`);
    if (account.metadata.uid !== sa.uid) {
      throw new TokenRejectedError(`service account UID (${account.metadata.uid ?? ''}) does not match claim (${sa.uid ?? ''})`);
    }
    const extra: Record<string, string[]> = {};
    for (const [kind, ref] of [['Pod', k?.pod], ['Secret', k?.secret]] as const) {
      if (!ref) continue;
      const obj = await this.reader.get(kind, namespace, ref.name ?? '');
      if (!obj || obj.metadata.deletionTimestamp || obj.metadata.uid !== ref.uid) throw new TokenRejectedError('service account token has been invalidated');
      if (kind === 'Pod') {
        extra[extraKeys.podName] = [ref.name ?? ''];
        extra[extraKeys.podUid] = [ref.uid ?? ''];
      }
    }
    if (k?.node) {
      extra[extraKeys.nodeName] = [k.node.name ?? ''];
      extra[extraKeys.nodeUid] = [k.node.uid ?? ''];
    }
    if (typeof claims.jti === 'string') extra[extraKeys.credentialId] = [`JTI=${claims.jti}`];
    const user: UserInfo = {
      name: serviceAccountUsername(namespace, sa.name),
      uid: sa.uid ?? '',
      groups: serviceAccountGroups(namespace),
      ...(Object.keys(extra).length > 0 ? { extra } : {}),
    };
    return { user, audiences: accepted };
  }

  private checkTimes(claims: Record<string, unknown>): void {
    const now = Math.floor(this.clock.now() / 1000);
    const { exp, nbf } = claims;
    if (typeof exp !== 'number') throw new TokenRejectedError('service account token has no expiry');
    if (now > exp + leewaySeconds) throw new TokenRejectedError('service account token has expired');
    if (typeof nbf === 'number' && now + leewaySeconds < nbf) throw new TokenRejectedError('service account token is not valid yet');
  }

  /** The asked-for audiences the token carries; none in common rejects it. */
  private acceptedAudiences(claims: Record<string, unknown>, audiences: readonly string[]): string[] {
    const aud = typeof claims.aud === 'string' ? [claims.aud] : Array.isArray(claims.aud) ? claims.aud.filter((a): a is string => typeof a === 'string') : [];
    const accepted = audiences.filter((a) => aud.includes(a));
    if (accepted.length === 0) {
      throw new TokenRejectedError(`token audiences ${JSON.stringify(aud)} is invalid for the target audiences ${JSON.stringify(audiences)}`);
    }
    return accepted;
  }
}
