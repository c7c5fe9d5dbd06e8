/**
 * All of Keystone's state, one Collection per kind, with the indexes the hot paths use.
 * Every identity write runs under `writes` so uniqueness and reference checks hold.
 */
import type { Store } from '../../core/store/types.js';
import { Collection, Mutex } from '../common/collection.js';
import { identityKinds, type IdentityKind, type IdentityKinds } from './model.js';

const nouns: Record<IdentityKind, string> = {
  domains: 'domain',
  projects: 'project',
  users: 'user',
  groups: 'group',
  memberships: 'group membership',
  roles: 'role',
  implied_roles: 'implied role',
  role_assignments: 'role assignment',
  regions: 'region',
  services: 'service',
  endpoints: 'endpoint',
  endpoint_groups: 'endpoint group',
  endpoint_associations: 'endpoint association',
  credentials: 'credential',
  access_rules: 'access rule',
  application_credentials: 'application credential',
  trusts: 'trust',
  policies: 'policy',
  registered_limits: 'registered limit',
  limits: 'limit',
  revocation_events: 'revocation event',
  domain_configs: 'domain config',
  oauth_consumers: 'consumer',
};

export type IdentityCollections = { [K in IdentityKind]: Collection<IdentityKinds[K]> };

export class IdentityRepository {
  readonly c: IdentityCollections;
  readonly writes = new Mutex();

  constructor(store: Store) {
    const make = <K extends IdentityKind>(kind: K) =>
      new Collection<IdentityKinds[K]>(store, `/openstack/identity/${kind}/`, nouns[kind]);
    this.c = Object.fromEntries(identityKinds.map((k) => [k, make(k)])) as unknown as IdentityCollections;
    this.c.projects.addIndex('domain', (p) => [p.domain_id]);
    this.c.projects.addIndex('parent', (p) => [p.parent_id]);
    this.c.users.addIndex('name', (u) => [`${u.domain_id}/${u.name}`]);
    this.c.memberships.addIndex('user', (m) => [m.user_id]);
    this.c.memberships.addIndex('group', (m) => [m.group_id]);
    this.c.role_assignments.addIndex('actor', (a) => [`${a.actor_type}:${a.actor_id}`]);
    this.c.role_assignments.addIndex('target', (a) => [`${a.target_type}:${a.target_id}`]);
    this.c.role_assignments.addIndex('role', (a) => [a.role_id]);
    this.c.implied_roles.addIndex('prior', (r) => [r.prior_role_id]);
    this.c.endpoints.addIndex('service', (e) => [e.service_id]);
    this.c.application_credentials.addIndex('user', (a) => [a.user_id]);
  }

  async load(): Promise<void> {
    await Promise.all(identityKinds.map((k) => this.c[k].load()));
  }

  /** Sum of all generations: changes whenever anything in identity changes. */
  generation(): number {
    let g = 0;
    for (const k of identityKinds) g += this.c[k].generation;
    return g;
  }
}
