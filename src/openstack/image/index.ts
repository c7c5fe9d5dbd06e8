/**
 * Glance assembled: the repository loaded from the store, the file store under the data
 * dir, the service layer (offered to later services as the `image` peer), and the routes
 * mounted at /image.
 */
import type { OpenStackService, OpenStackServiceFactory } from '../common/service.js';
import { bootstrapImages } from './bootstrap.js';
import { ImageDataStore } from './data-store.js';
import { formatGlanceError } from './errors.js';
import { MetadefService } from './metadefs.js';
import { ImageRepository } from './repository.js';
import { registerImageRoutes } from './routes.js';
import { ImageService } from './service.js';

export interface ImagePeer extends OpenStackService {
  /** The service layer Nova uses in-process (boot sources, createImage). */
  images: ImageService;
  data: ImageDataStore;
}

export const createImageService: OpenStackServiceFactory = async (deps) => {
  const repo = new ImageRepository(deps.store);
  await repo.load();
  const data = new ImageDataStore(deps.config.dataDir);
  const log = deps.log.child({ component: 'image' });
  const metadefs = new MetadefService(deps.store, deps.clock);
  await metadefs.load();
  const images = new ImageService({ repo, data, clock: deps.clock, log });
  const peer: ImagePeer = {
    name: 'image',
    catalog: [{ type: 'image', name: 'glance', description: 'Image Service', path: '/image' }],
    images,
    data,
    async mount(server, publicUrl) {
      await server.mount({ service: 'image', prefix: '/image', formatError: formatGlanceError }, (app) =>
        registerImageRoutes(app, { service: images, metadefs, data, tokens: deps.tokens, publicUrl }),
      );
    },
    async bootstrap(projects) {
      await bootstrapImages({ repo, data, clock: deps.clock, adminProjectId: projects.adminProjectId });
    },
  };
  return peer;
};
