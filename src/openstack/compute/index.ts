/**
 * Nova assembled: the repository, the fleet from config (1:1 with Placement's providers),
 * the simulated virt driver, nova-compute on the reconcile manager, and the routes at
 * /compute with microversion negotiation and Nova's fault bodies.
 */
import { SimVirtDriver } from '../../drivers/virt/sim/index.js';
import { requireToken } from '../common/auth.js';
import type { OpenStackService, OpenStackServiceFactory } from '../common/service.js';
import type { ImagePeer } from '../image/index.js';
import type { NetworkCore } from '../network/core.js';
import { hypervisorSpecs, type PlacementPeer } from '../placement/index.js';
import { ComputeManager } from './compute-manager.js';
import { ComputeCore } from './core.js';
import { formatNovaError } from './errors.js';
import { bootstrapFlavors, registerFlavors } from './flavors.js';
import { registerHosts } from './hosts.js';
import { registerImageProxy } from './images-proxy.js';
import { registerKeypairs } from './keypairs.js';
import { negotiate } from './microversion.js';
import { registerMisc } from './misc.js';
import { registerOsHosts } from './os-hosts.js';
import { registerQuotas } from './quotas.js';
import { ComputeRepository } from './repository.js';
import { registerSecurityGroupProxy } from './security-groups.js';
import { registerServerGroups } from './server-groups.js';
import { registerServers } from './servers/routes.js';
import { registerUsage } from './usage.js';
import { registerVersions } from './versions.js';
import { registerZones } from './zones.js';

export interface ComputePeer extends OpenStackService {
  core: ComputeCore;
  driver: SimVirtDriver;
}

function peer<T>(peers: ReadonlyMap<string, unknown>, name: string): T {
  const p = peers.get(name);
  if (!p) throw new Error(`compute needs the ${name} service created before it`);
  return p as T;
}

export const createComputeService: OpenStackServiceFactory = async (deps) => {
  const repo = new ComputeRepository(deps.store);
  await repo.load();
  const placement = peer<PlacementPeer>(deps.peers, 'placement');
  const image = peer<ImagePeer>(deps.peers, 'image');
  const network = peer<{ core: NetworkCore }>(deps.peers, 'network');
  const bootDelayMs = Number(process.env.KOS_VIRT_BOOT_DELAY_MS ?? 0);
  const driver = new SimVirtDriver({ clock: deps.clock, bootDelayMs: Number.isFinite(bootDelayMs) ? bootDelayMs : 0 });
  const core = new ComputeCore(repo, deps.clock, deps.config, { scheduler: placement.scheduler, images: image.images, network: network.core }, driver, hypervisorSpecs(deps.config));
  // `kos fault down hypervisor az1-hv-1`: the host goes down as the os-kos-faults call does.
  deps.faults.register('hypervisor', {
    description: 'a simulated compute host: down reports its nova-compute down and the scheduler skips it',
    list: () => {
      const down = new Set(driver.faults().downHosts);
      return hypervisorSpecs(deps.config).map((h) => ({ name: h.name, state: down.has(h.name) ? ('down' as const) : ('up' as const) }));
    },
    set: (name, state) => {
      const down = new Set(driver.faults().downHosts);
      if (state === 'down') down.add(name);
      else down.delete(name);
      driver.setFaults({ downHosts: [...down] });
    },
  });
  const manager = new ComputeManager(core);
  deps.reconcilers.addController({ reconciler: manager.reconciler(), sources: [manager.source()], workers: 16 });
  const authenticated = requireToken(deps.tokens);
  const service: ComputePeer = {
    name: 'compute',
    core,
    driver,
    catalog: [{ type: 'compute', name: 'nova', description: 'Nova Compute Service', path: '/compute/v2.1' }],
    async mount(server) {
      await server.mount({ service: 'compute', prefix: '/compute', formatError: formatNovaError }, async (app) => {
        registerVersions(app);
        await app.register(async (api) => {
          api.addHook('onRequest', async (req, reply) => {
            const mv = negotiate(req.headers);
            req.novaVersion = mv;
            const text = `2.${mv}`;
            void reply.header('x-compute-request-id', req.id).header('openstack-api-version', `compute ${text}`).header('x-openstack-nova-api-version', text)
              .header('vary', 'OpenStack-API-Version, X-OpenStack-Nova-API-Version');
          });
          api.addHook('preHandler', authenticated);
          registerFlavors(api, core);
          registerKeypairs(api, core);
          registerZones(api, core);
          registerHosts(api, core);
          registerQuotas(api, core);
          registerServerGroups(api, core);
          registerServers(api, core);
          registerMisc(api, core);
          registerImageProxy(api, core);
          registerOsHosts(api, core);
          registerSecurityGroupProxy(api, core);
          registerUsage(api, core);
        });
      });
    },
    async bootstrap() {
      await bootstrapFlavors(core);
    },
  };
  return service;
};
