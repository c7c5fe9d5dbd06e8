/** Placement's collections; every write runs under `writes`, which is what keeps claims from overshooting. */
import type { Store } from '../../core/store/types.js';
import { Collection, Mutex } from '../common/collection.js';
import type { Consumer, CustomName, ResourceProvider } from './model.js';

export class PlacementRepository {
  readonly providers: Collection<ResourceProvider>;
  readonly consumers: Collection<Consumer>;
  readonly resourceClasses: Collection<CustomName>;
  readonly traits: Collection<CustomName>;
  readonly writes = new Mutex();

  constructor(store: Store) {
    this.providers = new Collection(store, '/openstack/placement/providers/', 'resource provider');
    this.consumers = new Collection(store, '/openstack/placement/consumers/', 'consumer');
    this.resourceClasses = new Collection(store, '/openstack/placement/resource_classes/', 'resource class');
    this.traits = new Collection(store, '/openstack/placement/traits/', 'trait');
    this.providers.addIndex('name', (p) => [p.name]);
    this.providers.addIndex('root', (p) => [p.root_provider_uuid]);
    this.providers.addIndex('parent', (p) => (p.parent_provider_uuid ? [p.parent_provider_uuid] : []));
    this.consumers.addIndex('provider', (c) => Object.keys(c.allocations));
    this.consumers.addIndex('project', (c) => [c.project_id]);
  }

  async load(): Promise<void> {
    await Promise.all([this.providers.load(), this.consumers.load(), this.resourceClasses.load(), this.traits.load()]);
  }
}
