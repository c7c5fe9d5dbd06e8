/**
 * Neutron assembled: the repository loaded from the store, IPAM rebuilt from the ports,
 * every resource defined, the routes mounted at /network and the port-binding reconciler
 * added to the process's manager.
 */
import type { Clock } from '../../core/clock.js';
import type { KosConfig } from '../../core/config.js';
import type { Store } from '../../core/store/types.js';
import { requireToken } from '../common/auth.js';
import type { OpenStackServiceFactory } from '../common/service.js';
import { SimDataPlane } from '../../drivers/dataplane/sim/index.js';
import { bootstrapNetwork } from './bootstrap.js';
import { NetworkCore } from './core.js';
import { neutronErrorReply } from './errors.js';
import { floatingIpDef } from './floatingips.js';
import { meteringLabelDef, meteringLabelRuleDef } from './metering.js';
import { registerMisc, registerVersions } from './misc-routes.js';
import { networkDef } from './networks.js';
import { portBindingReconciler, portSource } from './port-binding.js';
import { portDef } from './ports.js';
import { NetworkRepository } from './repository.js';
import { Resource } from './resource.js';
import { registerRouterInterfaces, routerDef } from './routers.js';
import { securityGroupDef, securityGroupRuleDef } from './security-groups.js';
import { subnetPoolDef } from './subnetpools.js';
import { subnetDef } from './subnets.js';

export { NetworkCore } from './core.js';
export { systemCtx } from './context.js';
export { PUBLIC_NETWORK_ID } from './bootstrap.js';

/**
 * The service layer without HTTP: the repository loaded, every resource defined and IPAM
 * rebuilt from the ports. The factory below mounts it; tests and benchmarks drive it
 * in-process.
 */
export async function buildNetworkCore(store: Store, clock: Clock, config: KosConfig): Promise<NetworkCore> {
  const repo = new NetworkRepository(store);
  await repo.load();
  const core = new NetworkCore(repo, clock, config);
  core.res = {
    networks: new Resource(networkDef(core), core),
    subnets: new Resource(subnetDef(core), core),
    subnetpools: new Resource(subnetPoolDef(core), core),
    ports: new Resource(portDef(core), core),
    routers: new Resource(routerDef(core), core),
    floatingips: new Resource(floatingIpDef(core), core),
    securityGroups: new Resource(securityGroupDef(core), core),
    securityGroupRules: new Resource(securityGroupRuleDef(core), core),
    meteringLabels: new Resource(meteringLabelDef(core), core),
    meteringLabelRules: new Resource(meteringLabelRuleDef(core), core),
  };
  for (const s of repo.subnets.list()) core.ipam.setSubnet(s, repo.ports.byIndex('subnet_id', s.id).flatMap((p) => p.fixed_ips.filter((f) => f.subnet_id === s.id).map((f) => f.ip_address)));
  return core;
}

export const createNetworkService: OpenStackServiceFactory = async (deps) => {
  const core = await buildNetworkCore(deps.store, deps.clock, deps.config);
  const driver = new SimDataPlane();
  deps.reconcilers.addController({ reconciler: portBindingReconciler(core, driver), sources: [portSource(core)], workers: 2 });
  const authenticated = requireToken(deps.tokens);
  return {
    name: 'network',
    core,
    catalog: [{ type: 'network', name: 'neutron', description: 'Neutron Networking Service', path: '/network' }],
    async mount(server) {
      await server.mount({ service: 'network', prefix: '/network', formatError: neutronErrorReply }, (app) => {
        registerVersions(app);
        for (const r of Object.values(core.res)) r.register(app, authenticated);
        registerRouterInterfaces(app, core, authenticated);
        registerMisc(app, core, authenticated);
      });
    },
    bootstrap: (projects) => bootstrapNetwork(core, projects),
  };
};
