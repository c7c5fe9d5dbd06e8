/** A small identity world for token tests: repository over an in-memory store, a virtual clock, a provider. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { VirtualClock } from '../../../../src/core/clock.js';
import { defaultConfig } from '../../../../src/core/config.js';
import { hexId } from '../../../../src/core/ids.js';
import { silentLogger } from '../../../../src/core/log.js';
import type { Project, Role, RoleAssignment, TargetType, User } from '../../../../src/openstack/identity/model.js';
import { ScryptHasher } from '../../../../src/openstack/identity/passwords.js';
import { IdentityRepository } from '../../../../src/openstack/identity/repository.js';
import { createTokenProvider, type TokenProvider } from '../../../../src/openstack/identity/token/provider.js';
import { MemoryStore } from '../../reconcile/memory-store.js';

export const hasher = new ScryptHasher(10);

export class World {
  readonly clock = new VirtualClock();
  readonly store = new MemoryStore(this.clock);
  readonly repo = new IdentityRepository(this.store);
  readonly config = defaultConfig({});
  readonly keyDir = join(mkdtempSync(join(tmpdir(), 'kos-keys-')), 'keys');

  async domain(id: string, name = id): Promise<void> {
    await this.repo.c.domains.create({ id, name, description: '', enabled: true, tags: [], options: {}, extra: {} });
  }

  async project(name: string, domainId = 'default', parentId = domainId): Promise<Project> {
    return this.repo.c.projects.create({
      id: hexId(), name, domain_id: domainId, parent_id: parentId, description: '', enabled: true, tags: [], options: {}, extra: {},
    });
  }

  async user(name: string, password = 'pw', domainId = 'default'): Promise<User> {
    return this.repo.c.users.create({
      id: hexId(), name, domain_id: domainId, enabled: true, default_project_id: null, description: null, options: {}, extra: {},
      passwords: [{ hash: await hasher.hash(password), created_at: '2026-01-01T00:00:00.000000', expires_at: null }],
      created_at: '2026-01-01T00:00:00.000000', last_active_at: null,
    });
  }

  async role(name: string, domainId: string | null = null): Promise<Role> {
    return this.repo.c.roles.create({ id: hexId(), name, domain_id: domainId, description: null, options: {}, extra: {} });
  }

  async implies(prior: Role, implied: Role): Promise<void> {
    await this.repo.c.implied_roles.create({ id: `${prior.id}:${implied.id}`, prior_role_id: prior.id, implied_role_id: implied.id });
  }

  async group(name: string, members: User[], domainId = 'default'): Promise<string> {
    const id = hexId();
    await this.repo.c.groups.create({ id, name, domain_id: domainId, description: '', extra: {} });
    for (const u of members) await this.repo.c.memberships.create({ id: `${id}:${u.id}`, group_id: id, user_id: u.id });
    return id;
  }

  async grant(
    actor: { user: User } | { group: string },
    target: { type: TargetType; id: string },
    role: Role,
    inherited = false,
  ): Promise<RoleAssignment> {
    const a = {
      actor_type: 'user' in actor ? ('user' as const) : ('group' as const),
      actor_id: 'user' in actor ? actor.user.id : actor.group,
      target_type: target.type,
      target_id: target.id,
      role_id: role.id,
      inherited,
    };
    const id = `${a.actor_type}:${a.actor_id}:${a.target_type}:${a.target_id}:${a.role_id}:${a.inherited}`;
    return this.repo.c.role_assignments.create({ id, ...a });
  }

  provider(keyDir = this.keyDir): Promise<TokenProvider> {
    return createTokenProvider({
      repo: this.repo, clock: this.clock, config: this.config, log: silentLogger(), passwords: hasher, keyDir,
    });
  }
}

/** The default domain, a project with a member user: the common starting point. */
export async function basicWorld() {
  const w = new World();
  await w.domain('default', 'Default');
  const member = await w.role('member');
  const reader = await w.role('reader');
  await w.implies(member, reader);
  const project = await w.project('demo');
  const user = await w.user('alice');
  await w.grant({ user }, { type: 'project', id: project.id }, member);
  const provider = await w.provider();
  return { w, member, reader, project, user, provider };
}
