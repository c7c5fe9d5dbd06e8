/**
 * Keystone v3 on the shared listener: every route module's rules form one policy engine,
 * and every module registers its routes at the root prefix.
 */
import type { FastifyInstance } from 'fastify';
import type { ApiMount } from '../../core/http/mounts.js';
import type { Rule } from '../common/policy.js';
import type { IdentityDeps, IdentityRouteModule } from './deps.js';
import { routes as applicationCredentials } from './routes/application-credentials.js';
import { routes as auth } from './routes/auth.js';
import { routes as catalog } from './routes/catalog.js';
import { routes as credentials } from './routes/credentials.js';
import { routes as domainConfigs } from './routes/domain-configs.js';
import { routes as domains } from './routes/domains.js';
import { routes as ec2Credentials } from './routes/ec2-credentials.js';
import { routes as endpointGroups } from './routes/endpoint-groups.js';
import { routes as groups } from './routes/groups.js';
import { routes as limits } from './routes/limits.js';
import { routes as oauth1 } from './routes/oauth1.js';
import { routes as policies } from './routes/policies.js';
import { routes as projects } from './routes/projects.js';
import { routes as revoke } from './routes/revoke.js';
import { routes as roleAssignments } from './routes/role-assignments.js';
import { routes as roles } from './routes/roles.js';
import { routes as trusts } from './routes/trusts.js';
import { routes as users } from './routes/users.js';
import { routes as version } from './routes/version.js';
import { keystoneError } from './wire.js';

export const identityRouteModules: readonly IdentityRouteModule[] = [
  version, auth, revoke, domains, projects, users, groups, roles, roleAssignments,
  domainConfigs, catalog, endpointGroups, credentials, ec2Credentials, applicationCredentials, trusts,
  policies, limits, oauth1,
];

/** Every rule of every module; a name declared twice is a bug caught at start-up. */
export function identityRules(): Record<string, Rule> {
  const all: Record<string, Rule> = {};
  for (const m of identityRouteModules) {
    for (const [name, rule] of Object.entries(m.rules)) {
      if (name in all) throw new Error(`policy rule ${name} declared twice`);
      all[name] = rule;
    }
  }
  return all;
}

/** `publicUrl` is asked for each error: with port 0 it is known only once the listener is up. */
export function identityMount(publicUrl: () => string): ApiMount {
  return { service: 'identity', prefix: '', formatError: (err) => keystoneError(err, publicUrl()) };
}

export function registerIdentityRoutes(app: FastifyInstance, deps: IdentityDeps): void {
  for (const m of identityRouteModules) m.register(app, deps);
}
