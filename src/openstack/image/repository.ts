/** Glance's collections over the store, with the indexes listing and sharing need. */
import type { Store } from '../../core/store/types.js';
import { Collection, Mutex } from '../common/collection.js';
import type { Image, ImageMember, ImageTask } from './model.js';

export class ImageRepository {
  readonly images: Collection<Image>;
  readonly members: Collection<ImageMember>;
  readonly tasks: Collection<ImageTask>;
  /** Serializes writes that check state first (status moves, member uniqueness). */
  readonly writes = new Mutex();

  constructor(store: Store) {
    this.images = new Collection<Image>(store, '/openstack/image/images/', 'image');
    this.members = new Collection<ImageMember>(store, '/openstack/image/members/', 'member');
    this.tasks = new Collection<ImageTask>(store, '/openstack/image/tasks/', 'task');
    this.members.addIndex('image', (m) => [m.image_id]);
    this.members.addIndex('member', (m) => [m.member_id]);
    this.tasks.addIndex('image', (t) => [t.image_id]);
  }

  async load(): Promise<void> {
    await Promise.all([this.images.load(), this.members.load(), this.tasks.load()]);
  }
}
