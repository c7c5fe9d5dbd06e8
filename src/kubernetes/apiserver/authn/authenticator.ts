/**
 * The authenticator chain. Each authenticator looks at the request (its client
 * certificate, its headers) and either recognises a user or passes. The first user found
 * wins; nobody found means 401. Token authenticators (service account tokens today,
 * the Keystone webhook later) sit behind one bearer-token authenticator, and TokenReview
 * asks the same token authenticators.
 */
import type { UserInfo } from './user.js';
import { withAuthenticatedGroup } from './user.js';

export interface AuthenticationRequest {
  /** The verified client certificate's subject, when the TLS peer presented one the CA signed. */
  certificateSubject?: { commonName?: string; organizations: string[] };
  headers: Record<string, string | string[] | undefined>;
}

export interface Authenticator {
  readonly name: string;
  authenticate(request: AuthenticationRequest): Promise<UserInfo | undefined>;
}

/** What a token authenticator says about a token. */
export interface TokenVerdict {
  user: UserInfo;
  /** The audiences the token is valid for, out of those asked about. */
  audiences: string[];
}

export interface TokenAuthenticator {
  readonly name: string;
  /**
   * The user a token stands for, or undefined when it is not this authenticator's kind of
   * token. A token of its kind that fails (expired, bad signature) throws
   * TokenRejectedError, so the chain stops and TokenReview can report why.
   */
  authenticateToken(token: string, audiences: readonly string[]): Promise<TokenVerdict | undefined>;
}

export class TokenRejectedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TokenRejectedError';
  }
}

const bearerPattern = /^Bearer\s+(\S+)\s*$/i;

/** The token of an `Authorization: Bearer <token>` header. */
export function bearerTokenOf(headers: AuthenticationRequest['headers']): string | undefined {
  const raw = headers.authorization;
  const value = Array.isArray(raw) ? raw[0] : raw;
  const m = value === undefined ? null : bearerPattern.exec(value);
  return m?.[1];
}

/** Ask each token authenticator in turn; the first that knows the token decides. */
export async function reviewToken(chain: readonly TokenAuthenticator[], token: string, audiences: readonly string[]): Promise<TokenVerdict | undefined> {
  for (const authenticator of chain) {
    const verdict = await authenticator.authenticateToken(token, audiences);
    if (verdict) return verdict;
  }
  return undefined;
}

/** Bearer tokens through the token authenticators, against the API server's own audiences. */
export function bearerTokenAuthenticator(chain: readonly TokenAuthenticator[], apiAudiences: readonly string[]): Authenticator {
  return {
    name: 'bearer-token',
    async authenticate(request) {
      const token = bearerTokenOf(request.headers);
      if (token === undefined) return undefined;
      try {
        return (await reviewToken(chain, token, apiAudiences))?.user;
      } catch (e) {
        if (e instanceof TokenRejectedError) return undefined;
        throw e;
      }
    },
  };
}

/** Run the chain; the user found gets system:authenticated. */
export async function authenticateRequest(chain: readonly Authenticator[], request: AuthenticationRequest): Promise<UserInfo | undefined> {
  for (const authenticator of chain) {
    const user = await authenticator.authenticate(request);
    if (user) return withAuthenticatedGroup(user);
  }
  return undefined;
}
