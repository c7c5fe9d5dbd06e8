/**
 * IdentityDeps for the resource lifecycles, over an in-memory store and a virtual clock,
 * with the real token provider as the revoker: tests read the revocation events it records.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { VirtualClock } from '../../../../src/core/clock.js';
import { defaultConfig } from '../../../../src/core/config.js';
import { silentLogger } from '../../../../src/core/log.js';
import type { AuthContext } from '../../../../src/openstack/common/context.js';
import { requireToken } from '../../../../src/openstack/common/auth.js';
import { PolicyEngine } from '../../../../src/openstack/common/policy.js';
import type { IdentityDeps } from '../../../../src/openstack/identity/deps.js';
import type { RevocationEvent } from '../../../../src/openstack/identity/model.js';
import { ScryptHasher } from '../../../../src/openstack/identity/passwords.js';
import { IdentityRepository } from '../../../../src/openstack/identity/repository.js';
import { createDomain } from '../../../../src/openstack/identity/resources/domain-lifecycle.js';
import { createTokenProvider } from '../../../../src/openstack/identity/token/provider.js';
import { MemoryStore } from '../../reconcile/memory-store.js';

export async function resourceWorld(): Promise<IdentityDeps> {
  const clock = new VirtualClock();
  const repo = new IdentityRepository(new MemoryStore(clock));
  const config = defaultConfig({});
  const passwords = new ScryptHasher(10);
  const provider = await createTokenProvider({
    repo, clock, config, log: silentLogger(), passwords, keyDir: join(mkdtempSync(join(tmpdir(), 'kos-keys-')), 'keys'),
  });
  const deps: IdentityDeps = {
    repo, clock, config, log: silentLogger(), passwords,
    policy: new PolicyEngine({}),
    tokens: provider,
    revoker: provider,
    authenticated: requireToken(provider),
  };
  await createDomain(deps, { name: 'Default', explicit_domain_id: 'default' });
  return deps;
}

/** A project-scoped admin, as the creating caller of a lifecycle function. */
export const adminAuth: AuthContext = {
  userId: 'admin', userName: 'admin', userDomainId: 'default', userDomainName: 'Default',
  scope: { kind: 'project', projectId: 'p', projectName: 'admin', domainId: 'default', domainName: 'Default' },
  roles: [{ id: 'r', name: 'admin' }], methods: ['password'], auditIds: ['a'],
  issuedAt: '2026-01-01T00:00:00.000000Z', expiresAt: '2026-01-01T01:00:00.000000Z', token: 't',
};

/** The revocation events recorded so far, without their ids and times. */
export function revocations(deps: IdentityDeps): Partial<RevocationEvent>[] {
  return deps.repo.c.revocation_events.list().map(({ id: _i, issued_before: _b, revoked_at: _r, ...rest }) => rest);
}
