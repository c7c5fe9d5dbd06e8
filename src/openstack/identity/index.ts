/**
 * Keystone assembled: the repository loaded from the store, the token provider, the policy
 * engine from every route module's rules, and the routes mounted at the listener's root.
 */
import { join } from 'node:path';
import type { Clock } from '../../core/clock.js';
import type { KosConfig } from '../../core/config.js';
import type { HttpServer } from '../../core/http/server.js';
import type { Logger } from '../../core/log.js';
import type { Store } from '../../core/store/types.js';
import type { TokenValidator } from '../common/auth.js';
import { requireToken } from '../common/auth.js';
import { PolicyEngine } from '../common/policy.js';
import { identityMount, identityRules, registerIdentityRoutes } from './api.js';
import { bootstrapIdentity, type BootstrapResult, type CatalogService } from './bootstrap.js';
import type { IdentityDeps } from './deps.js';
import { ScryptHasher } from './passwords.js';
import { IdentityRepository } from './repository.js';
import { createTokenProvider } from './token/provider.js';

export interface IdentityService {
  repo: IdentityRepository;
  /** Validates tokens for every other API of the process. */
  tokens: TokenValidator;
  deps: IdentityDeps;
  /** Mount Keystone's routes; call before the listener starts. */
  mount(server: HttpServer, publicUrl: () => string): Promise<void>;
  /** Converge the bootstrap state; call once the listener's URL is known. */
  bootstrap(baseUrl: string, services: CatalogService[]): Promise<BootstrapResult>;
}

export const identityCatalogEntry: CatalogService = {
  type: 'identity',
  name: 'keystone',
  description: 'Identity Service',
  path: '/v3',
};

export async function createIdentityService(opts: {
  store: Store;
  clock: Clock;
  config: KosConfig;
  log: Logger;
}): Promise<IdentityService> {
  const { store, clock, config, log } = opts;
  const repo = new IdentityRepository(store);
  await repo.load();
  const passwords = new ScryptHasher(config.identity.passwordHashCost);
  const provider = await createTokenProvider({
    repo, clock, config, log, passwords, keyDir: join(config.dataDir, 'token-keys'),
  });
  const deps: IdentityDeps = {
    repo, clock, config, log, passwords,
    policy: new PolicyEngine(identityRules()),
    tokens: provider,
    tokenProvider: provider,
    revoker: provider,
    authenticated: requireToken(provider),
  };
  return {
    repo,
    tokens: provider,
    deps,
    async mount(server, publicUrl) {
      await server.mount(identityMount(publicUrl), (app) => registerIdentityRoutes(app, deps));
    },
    bootstrap: (baseUrl, services) =>
      bootstrapIdentity({ repo, config, clock, passwords, baseUrl, services }),
  };
}
