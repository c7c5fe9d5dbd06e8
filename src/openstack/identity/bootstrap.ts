/**
 * First-start state, made idempotent so every start converges to it: the Default domain,
 * the admin/member/reader roles with their implications, the admin and demo projects and
 * users, the regions of the datacenter and a catalog entry for every API kos serves.
 * Passwords not given in config are generated once and kept in the data dir.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Clock } from '../../core/clock.js';
import type { KosConfig } from '../../core/config.js';
import { hexId } from '../../core/ids.js';
import {
  DEFAULT_DOMAIN_ID,
  type EndpointInterface,
  type Project,
  type Role,
  type RoleAssignment,
  type User,
} from './model.js';
import type { PasswordHasher } from './passwords.js';
import type { IdentityRepository } from './repository.js';
import { isoMicro } from './wire.js';

/** An API kos serves, as the catalog lists it. */
import type { CatalogService } from '../common/service.js';

export type { CatalogService };

export interface BootstrapResult {
  adminPassword: string;
  demoPassword: string;
  adminProjectId: string;
  demoProjectId: string;
}

interface Secrets {
  adminPassword?: string;
  demoPassword?: string;
}

function loadSecrets(dataDir: string): Secrets {
  const file = join(dataDir, 'secrets.json');
  if (!existsSync(file)) return {};
  return JSON.parse(readFileSync(file, 'utf8')) as Secrets;
}

function saveSecrets(dataDir: string, secrets: Secrets): void {
  writeFileSync(join(dataDir, 'secrets.json'), JSON.stringify(secrets, null, 2), { mode: 0o600 });
}

const generatePassword = (): string => randomBytes(18).toString('base64url');

export const assignmentId = (a: Omit<RoleAssignment, 'id'>): string =>
  `${a.actor_type}:${a.actor_id}:${a.target_type}:${a.target_id}:${a.role_id}:${a.inherited}`;

export async function bootstrapIdentity(opts: {
  repo: IdentityRepository;
  config: KosConfig;
  clock: Clock;
  passwords: PasswordHasher;
  /** The listener's base URL, e.g. http://127.0.0.1:5000. */
  baseUrl: string;
  services: CatalogService[];
}): Promise<BootstrapResult> {
  const { repo, config, clock, passwords } = opts;
  const c = repo.c;
  const secrets = loadSecrets(config.dataDir);
  const adminPassword = config.identity.adminPassword ?? secrets.adminPassword ?? generatePassword();
  const demoPassword = secrets.demoPassword ?? generatePassword();

  return repo.writes.run(async () => {
    if (!c.domains.has(DEFAULT_DOMAIN_ID)) {
      await c.domains.create({
        id: DEFAULT_DOMAIN_ID, name: 'Default', description: 'The default domain', enabled: true,
        tags: [], options: {}, extra: {},
      });
    }

    const role = async (name: string): Promise<Role> => {
      const found = c.roles.list((r) => r.name === name && r.domain_id === null)[0];
      if (found) return found;
      return c.roles.create({ id: hexId(), name, domain_id: null, description: null, options: {}, extra: {} });
    };
    const admin = await role('admin');
    const member = await role('member');
    const reader = await role('reader');
    await role('service');
    for (const [prior, implied] of [[admin, member], [member, reader]] as const) {
      const id = `${prior.id}:${implied.id}`;
      if (!c.implied_roles.has(id)) await c.implied_roles.create({ id, prior_role_id: prior.id, implied_role_id: implied.id });
    }

    const project = async (name: string, description: string): Promise<Project> => {
      const found = c.projects.list((p) => p.name === name && p.domain_id === DEFAULT_DOMAIN_ID)[0];
      if (found) return found;
      return c.projects.create({
        id: hexId(), name, domain_id: DEFAULT_DOMAIN_ID, parent_id: DEFAULT_DOMAIN_ID, description,
        enabled: true, tags: [], options: {}, extra: {},
      });
    };
    const adminProject = await project('admin', 'Bootstrap project for the cloud administrator');
    const demoProject = await project('demo', 'Demo project');
    await project('service', 'Project of the cloud’s own service users');

    const user = async (name: string, password: string, applied: string | undefined, defaultProject: string): Promise<User> => {
      const found = c.users.byIndex('name', `${DEFAULT_DOMAIN_ID}/${name}`)[0];
      const now = isoMicro(clock.now());
      if (found) {
        // The password applied at the last start is still the one asked for: nothing to
        // hash, which keeps restarts fast (a hash costs ~200 ms by design).
        if (applied === password) return found;
        const current = found.passwords[0];
        if (current && (await passwords.verify(password, current.hash))) return found;
        // The configured password changed since the last start: the config wins.
        const hash = await passwords.hash(password);
        return c.users.update(found.id, (u) => ({
          ...u,
          passwords: [{ hash, created_at: now, expires_at: null }, ...u.passwords].slice(0, 5),
        }));
      }
      return c.users.create({
        id: hexId(), name, domain_id: DEFAULT_DOMAIN_ID, enabled: true, default_project_id: defaultProject,
        description: null, options: {}, extra: {},
        passwords: [{ hash: await passwords.hash(password), created_at: now, expires_at: null }],
        created_at: now, last_active_at: null,
      });
    };
    const [adminUser, demoUser] = await Promise.all([
      user('admin', adminPassword, secrets.adminPassword, adminProject.id),
      user('demo', demoPassword, secrets.demoPassword, demoProject.id),
    ]);
    // Saved only once the users carry these passwords, so a crash before never skips a hash.
    saveSecrets(config.dataDir, { adminPassword, demoPassword });

    const grant = async (a: Omit<RoleAssignment, 'id'>) => {
      const id = assignmentId(a);
      if (!c.role_assignments.has(id)) await c.role_assignments.create({ id, ...a });
    };
    await grant({ actor_type: 'user', actor_id: adminUser.id, target_type: 'project', target_id: adminProject.id, role_id: admin.id, inherited: false });
    await grant({ actor_type: 'user', actor_id: adminUser.id, target_type: 'system', target_id: 'all', role_id: admin.id, inherited: false });
    await grant({ actor_type: 'user', actor_id: demoUser.id, target_type: 'project', target_id: demoProject.id, role_id: member.id, inherited: false });

    for (const region of config.datacenter.regions) {
      if (!c.regions.has(region.name)) {
        await c.regions.create({ id: region.name, description: '', parent_region_id: null, extra: {} });
      }
    }
    const regionId = config.datacenter.regions[0]!.name;
    for (const svc of opts.services) {
      let service = c.services.list((s) => s.type === svc.type && s.name === svc.name)[0];
      service ??= await c.services.create({
        id: hexId(), type: svc.type, name: svc.name, description: svc.description, enabled: true, extra: {},
      });
      const url = `${opts.baseUrl}${svc.path}`;
      for (const iface of ['public', 'internal', 'admin'] as EndpointInterface[]) {
        const existing = c.endpoints
          .byIndex('service', service.id)
          .find((e) => e.interface === iface && e.region_id === regionId);
        if (!existing) {
          await c.endpoints.create({ id: hexId(), interface: iface, region_id: regionId, service_id: service.id, url, enabled: true, extra: {} });
        } else if (existing.url !== url) {
          // kos moved (another host or port): its own endpoints follow it.
          await c.endpoints.update(existing.id, (e) => ({ ...e, url }));
        }
      }
    }
    return { adminPassword, demoPassword, adminProjectId: adminProject.id, demoProjectId: demoProject.id };
  });
}
