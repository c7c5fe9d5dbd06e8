/** Nova's collections over the store, with the indexes listing and scheduling need. */
import type { Store } from '../../core/store/types.js';
import { Collection, Mutex } from '../common/collection.js';
import type { Aggregate, Flavor, InstanceAction, Keypair, Migration, QuotaSet, Server, ServerGroup, ServiceState } from './model.js';

const P = '/openstack/compute/';

export class ComputeRepository {
  readonly flavors: Collection<Flavor>;
  readonly keypairs: Collection<Keypair>;
  readonly servers: Collection<Server>;
  readonly groups: Collection<ServerGroup>;
  readonly aggregates: Collection<Aggregate>;
  readonly actions: Collection<InstanceAction>;
  readonly services: Collection<ServiceState>;
  readonly quotas: Collection<QuotaSet>;
  readonly migrations: Collection<Migration>;
  /** Serializes writes that check state first (quota, uniqueness, state transitions). */
  readonly writes = new Mutex();

  constructor(store: Store) {
    this.flavors = new Collection<Flavor>(store, `${P}flavors/`, 'flavor');
    this.keypairs = new Collection<Keypair>(store, `${P}keypairs/`, 'keypair');
    this.servers = new Collection<Server>(store, `${P}servers/`, 'server');
    this.groups = new Collection<ServerGroup>(store, `${P}server-groups/`, 'server group');
    this.aggregates = new Collection<Aggregate>(store, `${P}aggregates/`, 'aggregate');
    this.actions = new Collection<InstanceAction>(store, `${P}instance-actions/`, 'instance action');
    this.services = new Collection<ServiceState>(store, `${P}services/`, 'service');
    this.quotas = new Collection<QuotaSet>(store, `${P}quotas/`, 'quota set');
    this.migrations = new Collection<Migration>(store, `${P}migrations/`, 'migration');
    this.servers.addIndex('project', (s) => [s.project_id]);
    this.servers.addIndex('host', (s) => (s.host ? [s.host] : []));
    this.keypairs.addIndex('user', (k) => [k.user_id]);
    this.actions.addIndex('instance', (a) => [a.instance_uuid]);
  }

  async load(): Promise<void> {
    await Promise.all([
      this.flavors.load(), this.keypairs.load(), this.servers.load(), this.groups.load(), this.aggregates.load(),
      this.actions.load(), this.services.load(), this.quotas.load(), this.migrations.load(),
    ]);
  }
}
