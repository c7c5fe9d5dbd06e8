/**
 * Placement assembled: the repository loaded from the store, the service layer, the
 * scheduler's in-process API (the `placement` peer's `scheduler`, for Nova), and the
 * routes mounted at /placement.
 */
import type { OpenStackService, OpenStackServiceFactory } from '../common/service.js';
import { bootstrapProviders } from './bootstrap.js';
import { formatPlacementError } from './errors.js';
import { PlacementRepository } from './repository.js';
import { registerPlacementRoutes } from './routes.js';
import { PlacementSchedulerApi } from './scheduler-api.js';
import { PlacementService } from './service.js';

export interface PlacementPeer extends OpenStackService {
  placement: PlacementService;
  /** What Nova's scheduler calls: candidates, claim, release. */
  scheduler: PlacementSchedulerApi;
}

export { hypervisorSpecs, type HypervisorSpec } from './names.js';

export const createPlacementService: OpenStackServiceFactory = async (deps) => {
  const repo = new PlacementRepository(deps.store);
  await repo.load();
  const placement = new PlacementService(repo, deps.clock);
  const peer: PlacementPeer = {
    name: 'placement',
    catalog: [{ type: 'placement', name: 'placement', description: 'Placement Service', path: '/placement' }],
    placement,
    scheduler: new PlacementSchedulerApi(placement),
    async mount(server) {
      await server.mount({ service: 'placement', prefix: '/placement', formatError: formatPlacementError }, (app) =>
        registerPlacementRoutes(app, placement, deps.tokens),
      );
    },
    async bootstrap() {
      await bootstrapProviders(placement, deps.config);
    },
  };
  return peer;
};
