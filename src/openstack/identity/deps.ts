/**
 * What identity's routes are built from. Each route module declares its policy rules and
 * registers its routes with these dependencies; api.ts assembles them.
 */
import type { FastifyInstance, preHandlerAsyncHookHandler } from 'fastify';
import type { Clock } from '../../core/clock.js';
import type { KosConfig } from '../../core/config.js';
import type { Logger } from '../../core/log.js';
import type { TokenValidator } from '../common/auth.js';
import type { PolicyEngine, Rule } from '../common/policy.js';
import type { RevocationEvent } from './model.js';
import type { PasswordHasher } from './passwords.js';
import type { IdentityRepository } from './repository.js';
import type { TokenProvider } from './token/provider.js';

/** Fields of a revocation event a caller sets; id, revoked_at and issued_before are filled in. */
export type RevocationCriteria = Omit<RevocationEvent, 'id' | 'revoked_at' | 'issued_before'> & {
  issued_before?: string;
};

export interface Revoker {
  /** Record an event: every token issued before now that matches it stops validating. */
  revoke(criteria: RevocationCriteria): Promise<void>;
}

export interface IdentityDeps {
  repo: IdentityRepository;
  clock: Clock;
  config: KosConfig;
  log: Logger;
  policy: PolicyEngine;
  passwords: PasswordHasher;
  tokens: TokenValidator;
  revoker: Revoker;
  /** preHandler: validates X-Auth-Token and sets the request context (401 otherwise). */
  authenticated: preHandlerAsyncHookHandler;
  /**
   * The token provider itself (issuing, subject-token inspection, key rotation). Optional
   * because `tokens` is normally the same object; routes use `tokenProviderOf(deps)`.
   */
  tokenProvider?: TokenProvider;
}

export interface IdentityRouteModule {
  /** Policy rules this module enforces, by name (identity:get_project …). */
  rules: Readonly<Record<string, Rule>>;
  register(app: FastifyInstance, deps: IdentityDeps): void;
}
