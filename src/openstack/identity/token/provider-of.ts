import { KosError } from '../../../core/errors.js';
import type { IdentityDeps } from '../deps.js';
import { TokenProvider } from './provider.js';

/** The token provider behind identity's deps (the wiring passes it as `tokens` too). */
export function tokenProviderOf(deps: IdentityDeps): TokenProvider {
  if (deps.tokenProvider) return deps.tokenProvider;
  if (deps.tokens instanceof TokenProvider) return deps.tokens;
  throw new KosError('Internal', 'identity is wired without a token provider');
}
