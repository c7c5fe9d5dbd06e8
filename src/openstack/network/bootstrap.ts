/**
 * The defaults of `kos up`, converged idempotently: the external network `public` with
 * its floating-IP subnet, and for the demo project a `private` network and subnet with
 * `router1` joining it to `public`. `public` has a fixed id so tempest.conf can name it
 * before kos starts.
 */
import type { BootstrapProjects } from '../common/service.js';
import { systemCtx } from './context.js';
import type { NetworkCore } from './core.js';

export const PUBLIC_NETWORK_ID = '5a1e0c2b-7d0f-4b8e-9c6a-000000000001';

export async function bootstrapNetwork(core: NetworkCore, projects: BootstrapProjects): Promise<void> {
  const { repo, res } = core;
  const admin = systemCtx(projects.adminProjectId);
  const demo = systemCtx(projects.demoProjectId);
  if (!repo.networks.has(PUBLIC_NETWORK_ID)) {
    await res.networks.create({ name: 'public', 'router:external': true, shared: false, 'provider:network_type': 'flat', 'provider:physical_network': 'public' }, admin, PUBLIC_NETWORK_ID);
  }
  let publicSubnet = repo.subnets.byIndex('network_id', PUBLIC_NETWORK_ID).find((s) => s.name === 'public-subnet');
  publicSubnet ??= await res.subnets.create({
    name: 'public-subnet', network_id: PUBLIC_NETWORK_ID, ip_version: 4, cidr: '172.24.4.0/24', gateway_ip: '172.24.4.1',
    allocation_pools: [{ start: '172.24.4.2', end: '172.24.4.254' }], enable_dhcp: false,
  }, admin);
  const demoOwned = <T extends { project_id: string; name: string }>(list: T[], name: string) =>
    list.find((o) => o.project_id === projects.demoProjectId && o.name === name);
  const priv = demoOwned(repo.networks.list(), 'private') ?? (await res.networks.create({ name: 'private' }, demo));
  const privSubnet = demoOwned(repo.subnets.byIndex('network_id', priv.id), 'private-subnet') ??
    (await res.subnets.create({ name: 'private-subnet', network_id: priv.id, ip_version: 4, cidr: '10.0.0.0/26' }, demo));
  const router = demoOwned(repo.routers.list(), 'router1') ??
    (await res.routers.create({ name: 'router1', external_gateway_info: { network_id: PUBLIC_NETWORK_ID } }, demo));
  const hasInterface = repo.ports.byIndex('device_id', router.id).some((p) => p.fixed_ips.some((f) => f.subnet_id === privSubnet.id));
  if (!hasInterface && privSubnet.gateway_ip) {
    await core.writes.run(async () => {
      const port = await res.ports.def.create(
        { network_id: priv.id, device_owner: 'network:router_interface', device_id: router.id, name: '', admin_state_up: true, fixed_ips: [{ subnet_id: privSubnet.id, ip_address: privSubnet.gateway_ip }], allowed_address_pairs: [], extra_dhcp_opts: [], 'binding:host_id': '', 'binding:vnic_type': 'normal', 'binding:profile': {}, dns_name: '', propagate_uplink_status: false, security_groups: [] },
        { id: crypto.randomUUID(), project_id: projects.demoProjectId, description: '', tags: [], revision_number: 0, created_at: router.created_at, updated_at: router.created_at },
        demo,
      );
      await repo.ports.create(port);
      core.notifyPort(port.id);
    });
  }
  void publicSubnet;
}
