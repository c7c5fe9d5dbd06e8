/**
 * Floating IPs: an address (held by a `network:floatingip` port) on an external network,
 * associated with a port's fixed IP when a router joins that port's subnet to the
 * external network — otherwise 404 ExternalGatewayForFloatingIPNotFound, as Neutron says.
 */
import { randomUUID } from 'node:crypto';
import type { NetCtx } from './context.js';
import { systemCtx } from './context.js';
import type { NetworkCore } from './core.js';
import { badRequest, conflict, neutronError } from './errors.js';
import type { FloatingIp, Port, StandardAttrs } from './model.js';
import { FLOATINGIP_OWNER, ROUTER_INTERFACE } from './ports.js';
import type { Json, ResourceDef } from './resource.js';
import { ipAddr, nullableIp, nullableUuid, str, uuidStr } from './validate.js';
import { neutronTime } from './time.js';

export function floatingIpDef(core: NetworkCore): ResourceDef<FloatingIp> {
  const repo = core.repo;

  /** The router that connects the port's subnet with the external network. */
  const routerFor = (externalNetId: string, port: Port, fixedIp: string): string => {
    const fixed = port.fixed_ips.find((f) => f.ip_address === fixedIp);
    if (!fixed) throw badRequest(`Bad floatingip request: Port ${port.id} does not have fixed ip ${fixedIp}.`);
    for (const iface of repo.ports.byIndex('network_id', port.network_id)) {
      if (iface.device_owner !== ROUTER_INTERFACE) continue;
      if (!iface.fixed_ips.some((f) => f.subnet_id === fixed.subnet_id)) continue;
      const router = repo.routers.get(iface.device_id);
      if (router?.external_gateway_info?.network_id === externalNetId) return router.id;
    }
    throw neutronError('NotFound', 'ExternalGatewayForFloatingIPNotFound',
      `External network ${externalNetId} is not reachable from subnet ${fixed.subnet_id}.  Therefore, cannot associate Port ${port.id} with a Floating IP.`);
  };

  const association = (f: Pick<FloatingIp, 'floating_network_id' | 'id'>, portId: string | null, fixedIp: string | undefined, ctx: NetCtx) => {
    if (portId === null) return { port_id: null, fixed_ip_address: null, router_id: null, status: 'DOWN' };
    const port = core.res.ports.find(portId, ctx);
    if (port.fixed_ips.length === 0) throw badRequest(`Bad floatingip request: Port ${port.id} does not have any fixed IPs.`);
    const ip = fixedIp ?? port.fixed_ips.find((x) => !x.ip_address.includes(':'))?.ip_address ?? port.fixed_ips[0]!.ip_address;
    if (port.device_owner.startsWith('network:') && port.device_owner !== 'network:dhcp') {
      throw badRequest(`Bad floatingip request: Port ${port.id} has owner ${port.device_owner} and therefore cannot be associated with a floating IP.`);
    }
    const taken = repo.floatingips.byIndex('port_id', port.id).find((o) => o.id !== f.id && o.fixed_ip_address === ip);
    if (taken) throw conflict('FloatingIPPortAlreadyAssociated', `Cannot associate floating IP ${f.id} with port ${port.id} using fixed IP ${ip}, as that fixed IP already has a floating IP on external network ${f.floating_network_id}.`);
    const routerId = routerFor(f.floating_network_id, port, ip);
    return { port_id: port.id, fixed_ip_address: ip, router_id: routerId, status: 'ACTIVE' };
  };

  return {
    member: 'floatingip',
    plural: 'floatingips',
    path: 'floatingips',
    collection: repo.floatingips,
    quota: 'floatingip',
    attrs: {
      floating_network_id: { create: true, check: uuidStr },
      floating_ip_address: { create: true, check: ipAddr },
      subnet_id: { create: true, check: nullableUuid },
      port_id: { create: true, update: true, check: nullableUuid },
      fixed_ip_address: { create: true, update: true, check: nullableIp },
      dns_domain: { create: true, check: str(255), default: () => '' },
      dns_name: { create: true, check: str(255), default: () => '' },
      qos_policy_id: { create: true, update: true },
    },
    view(f: FloatingIp): Json {
      const { project_id: _p, floating_port_id: _fp, ...rest } = f;
      const port = f.port_id ? repo.ports.get(f.port_id) : undefined;
      return {
        ...rest,
        port_details: port ? { name: port.name, network_id: port.network_id, mac_address: port.mac_address, admin_state_up: port.admin_state_up, status: port.status, device_id: port.device_id, device_owner: port.device_owner } : null,
        port_forwardings: [],
      };
    },
    async create(input: Json, std: StandardAttrs, ctx: NetCtx): Promise<FloatingIp> {
      const netId = input.floating_network_id as string | undefined;
      if (!netId) throw badRequest("Failed to parse request. Required attribute 'floating_network_id' not specified");
      const net = core.res.networks.find(netId, ctx);
      if (!net['router:external']) {
        throw badRequest(`Bad floatingip request: Network ${netId} is not a valid external network.`);
      }
      const fixed: Json[] | undefined = input.floating_ip_address !== undefined
        ? [{ ip_address: input.floating_ip_address, ...(input.subnet_id ? { subnet_id: input.subnet_id } : {}) }]
        : input.subnet_id ? [{ subnet_id: input.subnet_id }] : undefined;
      const id = std.id;
      const fip: FloatingIp = {
        ...std, floating_network_id: netId, floating_ip_address: '', floating_port_id: '', port_id: null, fixed_ip_address: null,
        router_id: null, status: 'DOWN', dns_domain: input.dns_domain as string, dns_name: input.dns_name as string,
      };
      Object.assign(fip, association(fip, (input.port_id as string | null | undefined) ?? null, input.fixed_ip_address as string | undefined, ctx));
      const now = neutronTime(core.clock.now());
      const port = await core.res.ports.def.create(
        { network_id: netId, device_owner: FLOATINGIP_OWNER, device_id: id, name: '', admin_state_up: true, allowed_address_pairs: [], extra_dhcp_opts: [], 'binding:host_id': '', 'binding:vnic_type': 'normal', 'binding:profile': {}, dns_name: '', propagate_uplink_status: false, security_groups: [], ...(fixed ? { fixed_ips: fixed } : {}) },
        { id: randomUUID(), project_id: '', description: '', tags: [], revision_number: 0, created_at: now, updated_at: now },
        systemCtx(''),
      );
      const v4 = port.fixed_ips.find((f) => !f.ip_address.includes(':')) ?? port.fixed_ips[0];
      if (!v4) throw conflict('IpAddressGenerationFailure', `No more IP addresses available on network ${netId}.`);
      await repo.ports.create({ ...port, status: 'N/A' });
      fip.floating_port_id = port.id;
      fip.floating_ip_address = v4.ip_address;
      return fip;
    },
    update(f: FloatingIp, patch: Json, ctx: NetCtx): FloatingIp {
      if (!('port_id' in patch)) {
        if ('fixed_ip_address' in patch && f.port_id) return { ...f, ...association(f, f.port_id, patch.fixed_ip_address as string, ctx) };
        return f;
      }
      return { ...f, ...association(f, patch.port_id as string | null, patch.fixed_ip_address as string | undefined, ctx) };
    },
    async beforeDelete(f: FloatingIp): Promise<void> {
      const port = repo.ports.get(f.floating_port_id);
      if (port) {
        for (const x of port.fixed_ips) core.ipam.release(x.subnet_id, x.ip_address);
        await repo.ports.delete(port.id);
      }
    },
  };
}
