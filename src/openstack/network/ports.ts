/**
 * Ports: MAC generation, fixed IPs from the subnets' IPAM (explicit addresses, SLAAC
 * EUI-64 addresses), security groups defaulting to the project's default group, address
 * pairs, binding attributes. Status starts DOWN; the data plane's binding makes it ACTIVE.
 */
import { randomInt } from 'node:crypto';
import type { NetCtx } from './context.js';
import { policyRefusal } from './context.js';
import type { NetworkCore } from './core.js';
import { badRequest, conflict, invalidInput, neutronError } from './errors.js';
import { eui64, formatIp, parseCidr, parseIp } from './ip.js';
import type { FixedIp, Network, Port, StandardAttrs, Subnet } from './model.js';
import type { Json, ResourceDef } from './resource.js';
import { anything, bool, ipAddr, list, macAddr, object, oneOf, str, uuidStr, type Check } from './validate.js';
import { isAutoAddress } from './subnets.js';
import { ensureDefaultGroup } from './security-groups.js';

const VNIC_TYPES = ['normal', 'direct', 'macvtap', 'baremetal', 'direct-physical', 'virtio-forwarder', 'smart-nic', 'remote-managed', 'vdpa'] as const;
export const ROUTER_INTERFACE = 'network:router_interface';
export const ROUTER_GATEWAY = 'network:router_gateway';
export const FLOATINGIP_OWNER = 'network:floatingip';
const ROUTER_OWNERS = new Set([ROUTER_INTERFACE, 'network:router_interface_distributed', 'network:ha_router_replicated_interface']);

const fixedIpCheck: Check = (v, attr) => {
  const f = object(v, attr) as Json;
  for (const k of Object.keys(f)) if (k !== 'subnet_id' && k !== 'ip_address') throw badRequest(`Invalid input for ${attr}. Reason: unknown key ${k}.`);
  const out: Json = {};
  if (f.subnet_id !== undefined) out.subnet_id = uuidStr(f.subnet_id, attr);
  if (f.ip_address !== undefined) out.ip_address = ipAddr(f.ip_address, attr);
  return out;
};
const pairCheck: Check = (v, attr) => {
  const p = object(v, attr) as Json;
  const ip = p.ip_address;
  if (typeof ip !== 'string' || !(parseIp(ip) ?? parseCidr(ip))) throw badRequest(`Invalid input for ${attr}. Reason: '${String(ip)}' is not a valid IP address.`);
  return { ip_address: ip, ...(p.mac_address !== undefined ? { mac_address: macAddr(p.mac_address, attr) } : {}) };
};
const dhcpOptCheck: Check = (v, attr) => {
  const o = object(v, attr) as Json;
  if (typeof o.opt_name !== 'string' || o.opt_name === '') throw badRequest(`Invalid input for ${attr}. Reason: opt_name is required.`);
  return { opt_name: o.opt_name, opt_value: o.opt_value === null ? null : String(o.opt_value), ip_version: Number(o.ip_version ?? 4) };
};

export function portDef(core: NetworkCore): ResourceDef<Port> {
  const repo = core.repo;

  const macInUse = (networkId: string, mac: string): boolean =>
    repo.ports.byIndex('network_mac', `${networkId}/${mac}`).length > 0;

  const newMac = (networkId: string): string => {
    for (;;) {
      const tail = [randomInt(256), randomInt(256), randomInt(256)].map((b) => b.toString(16).padStart(2, '0'));
      const mac = `fa:16:3e:${tail.join(':')}`;
      if (!macInUse(networkId, mac)) return mac;
    }
  };

  /** Addresses for a new port (or for a fixed_ips update); takes them in IPAM. */
  const allocate = (net: Network, mac: string, requested: Json[] | undefined, owner: string, withAutoAddresses: boolean): FixedIp[] => {
    const subnets = repo.subnets.byIndex('network_id', net.id);
    const out: FixedIp[] = [];
    const rollback = () => { for (const f of out) core.ipam.release(f.subnet_id, f.ip_address); };
    try {
      if (requested === undefined) {
        const isRouter = ROUTER_OWNERS.has(owner);
        const v4 = subnets.filter((s) => s.ip_version === 4);
        const v6Stateful = subnets.filter((s) => s.ip_version === 6 && !isAutoAddress(s));
        for (const group of [v4, v6Stateful]) {
          if (group.length === 0) continue;
          let got: FixedIp | undefined;
          for (const s of group) {
            const ip = core.ipam.takeNext(s.id);
            if (ip) { got = { subnet_id: s.id, ip_address: ip }; break; }
          }
          if (!got) throw conflict('IpAddressGenerationFailure', `No more IP addresses available on network ${net.id}.`);
          out.push(got);
        }
        if (!isRouter) for (const s of subnets.filter((x) => x.ip_version === 6 && isAutoAddress(x))) out.push(takeSlaac(s, mac));
        return out;
      }
      for (const r of requested) {
        const subnetId = r.subnet_id as string | undefined;
        const ip = r.ip_address as string | undefined;
        let subnet: Subnet | undefined;
        if (subnetId) {
          subnet = repo.subnets.get(subnetId);
          if (!subnet) throw neutronError('NotFound', 'SubnetNotFound', `Subnet ${subnetId} could not be found.`);
          if (subnet.network_id !== net.id) throw invalidInput(`Failed to create port on network ${net.id}, because fixed_ips included invalid subnet ${subnetId}`);
        } else if (ip) {
          subnet = subnets.find((s) => core.ipam.inCidr(s.id, ip));
          if (!subnet) throw badRequest(`IP address ${ip} is not a valid IP for any of the subnets on the specified network.`, 'InvalidIpForNetwork');
        } else throw invalidInput('fixed_ips entry needs a subnet_id or an ip_address');
        if (ip) {
          if (!core.ipam.inCidr(subnet.id, ip)) throw badRequest(`IP address ${ip} is not a valid IP for the specified subnet.`, 'InvalidIpForSubnet');
          if (isAutoAddress(subnet) && !ROUTER_OWNERS.has(owner)) {
            throw invalidInput(`IPv6 address ${ip} cannot be directly assigned to a port on subnet ${subnet.id} as the subnet is configured for automatic addresses`);
          }
          core.ipam.take(subnet.id, ip);
          out.push({ subnet_id: subnet.id, ip_address: ip });
        } else if (isAutoAddress(subnet) && !ROUTER_OWNERS.has(owner)) {
          out.push(takeSlaac(subnet, mac));
        } else {
          const next = core.ipam.takeNext(subnet.id);
          if (!next) throw conflict('IpAddressGenerationFailure', `No more IP addresses available on network ${net.id}.`);
          out.push({ subnet_id: subnet.id, ip_address: next });
        }
      }
      if (withAutoAddresses && !ROUTER_OWNERS.has(owner)) {
        // As Neutron does on create: SLAAC subnets the request did not name still give the
        // port its EUI-64 address (the host configures it from router advertisements anyway).
        const named = new Set(out.map((f) => f.subnet_id));
        for (const s of subnets.filter((x) => x.ip_version === 6 && isAutoAddress(x) && !named.has(x.id))) out.push(takeSlaac(s, mac));
      }
      return out;
    } catch (e) {
      rollback();
      throw e;
    }
  };

  const takeSlaac = (s: Subnet, mac: string): FixedIp => {
    const ip = formatIp(6, eui64(parseCidr(s.cidr)!, mac));
    core.ipam.take(s.id, ip);
    return { subnet_id: s.id, ip_address: ip };
  };

  const release = (ips: FixedIp[]) => { for (const f of ips) core.ipam.release(f.subnet_id, f.ip_address); };

  const checkGroups = (groups: string[], ctx: NetCtx): string[] => {
    for (const g of groups) core.res.securityGroups.find(g, ctx);
    return [...new Set(groups)];
  };

  const checkSecurity = (p: Pick<Port, 'port_security_enabled' | 'security_groups' | 'allowed_address_pairs' | 'fixed_ips'>) => {
    if (!p.port_security_enabled && p.security_groups.length > 0) {
      throw conflict('PortSecurityAndIPRequiredForSecurityGroups', 'Port security must be enabled and port must have an IP address in order to use security groups.');
    }
    if (!p.port_security_enabled && p.allowed_address_pairs.length > 0) {
      throw conflict('AddressPairAndPortSecurityRequired', 'Port Security must be enabled in order to have allowed address pairs on a port.');
    }
  };

  const pairs = (given: Json[], mac: string): Port['allowed_address_pairs'] => {
    const out = given.map((g) => ({ ip_address: g.ip_address as string, mac_address: (g.mac_address as string | undefined) ?? mac }));
    const seen = new Set<string>();
    for (const p of out) {
      const key = `${p.ip_address}|${p.mac_address}`;
      if (seen.has(key)) throw badRequest('Request contains duplicate address pair', 'DuplicateAddressPairInRequest');
      seen.add(key);
    }
    return out;
  };

  return {
    member: 'port',
    plural: 'ports',
    path: 'ports',
    collection: repo.ports,
    quota: 'port',
    indexed: ['network_id', 'device_id'],
    attrs: {
      name: { create: true, update: true, check: str(255), default: () => '' },
      network_id: { create: true, check: uuidStr },
      admin_state_up: { create: true, update: true, check: bool, default: () => true },
      mac_address: { create: true, update: true, check: macAddr },
      fixed_ips: { create: true, update: true, check: list(fixedIpCheck) },
      device_id: { create: true, update: true, check: str(255), default: () => '' },
      device_owner: { create: true, update: true, check: str(255), default: () => '' },
      security_groups: { create: true, update: true, check: list(uuidStr) },
      allowed_address_pairs: { create: true, update: true, check: list(pairCheck), default: () => [] },
      port_security_enabled: { create: true, update: true, check: bool },
      extra_dhcp_opts: { create: true, update: true, check: list(dhcpOptCheck), default: () => [] },
      'binding:host_id': { create: true, update: true, adminOnly: true, check: str(255), default: () => '' },
      'binding:vnic_type': { create: true, update: true, check: oneOf(VNIC_TYPES), default: () => 'normal' },
      'binding:profile': { create: true, update: true, adminOnly: true, check: (v, a) => (v === null ? {} : object(v, a)), default: () => ({}) },
      dns_name: { create: true, update: true, check: str(255), default: () => '' },
      propagate_uplink_status: { create: true, update: true, check: bool, default: () => false },
      qos_policy_id: { create: true, update: true, check: anything },
    },
    visibleToOthers: (p, ctx) => {
      // A network's owner sees the ports others made on it (Neutron's network-owner rule).
      const n = repo.networks.get(p.network_id);
      return n !== undefined && n.project_id === ctx.projectId && ctx.projectId !== '';
    },
    view(p: Port, ctx: NetCtx): Json {
      const { project_id: _p, ...rest } = p;
      const v: Json = { ...rest, extra_dhcp_opts: p.extra_dhcp_opts.map((o) => ({ ...o })) };
      if (!ctx.admin) {
        delete v['binding:host_id'];
        delete v['binding:profile'];
        delete v['binding:vif_details'];
        delete v['binding:vif_type'];
      }
      return v;
    },
    async create(input: Json, std: StandardAttrs, ctx: NetCtx): Promise<Port> {
      const networkId = input.network_id as string | undefined;
      if (!networkId) throw badRequest("Failed to parse request. Required attribute 'network_id' not specified");
      const net = core.res.networks.find(networkId, ctx);
      const owner = input.device_owner as string;
      const ownsNet = ctx.admin || net.project_id === ctx.projectId;
      if (!ownsNet && !net.shared) policyRefusal('create_port');
      if (!ownsNet && input.mac_address !== undefined) policyRefusal('create_port:mac_address');
      if (!ownsNet && input.fixed_ips !== undefined && (input.fixed_ips as Json[]).some((f) => f.ip_address !== undefined)) {
        policyRefusal('create_port:fixed_ips:ip_address');
      }
      const mac = (input.mac_address as string | undefined) ?? newMac(net.id);
      if (input.mac_address !== undefined && macInUse(net.id, mac)) {
        throw conflict('MacAddressInUse', `Unable to complete operation for network ${net.id}. The mac address ${mac} is in use.`);
      }
      const portSecurity = (input.port_security_enabled as boolean | undefined) ?? net.port_security_enabled;
      const networkOwned = owner.startsWith('network:');
      let groups: string[];
      if (input.security_groups !== undefined) groups = checkGroups(input.security_groups as string[], ctx);
      else groups = portSecurity && !networkOwned ? [await ensureDefaultGroup(core, std.project_id)] : [];
      const fixed = allocate(net, mac, input.fixed_ips as Json[] | undefined, owner, true);
      const port: Port = {
        ...std,
        name: input.name as string,
        network_id: net.id,
        mac_address: mac,
        admin_state_up: input.admin_state_up as boolean,
        status: 'DOWN',
        fixed_ips: fixed,
        device_id: input.device_id as string,
        device_owner: owner,
        security_groups: groups,
        allowed_address_pairs: pairs(input.allowed_address_pairs as Json[], mac),
        port_security_enabled: portSecurity,
        extra_dhcp_opts: input.extra_dhcp_opts as Port['extra_dhcp_opts'],
        'binding:host_id': input['binding:host_id'] as string,
        'binding:vif_type': 'unbound',
        'binding:vif_details': {},
        'binding:vnic_type': input['binding:vnic_type'] as string,
        'binding:profile': input['binding:profile'] as Record<string, unknown>,
        dns_name: input.dns_name as string,
        propagate_uplink_status: input.propagate_uplink_status as boolean,
      };
      try {
        checkSecurity(port);
      } catch (e) {
        release(fixed);
        throw e;
      }
      return port;
    },
    async afterCreate(p: Port): Promise<void> {
      core.notifyPort(p.id);
    },
    update(p: Port, patch: Json, ctx: NetCtx): Port {
      const next: Port = { ...p };
      for (const [k, v] of Object.entries(patch)) {
        if (k === 'fixed_ips' || k === 'security_groups' || k === 'allowed_address_pairs' || k === 'mac_address') continue;
        (next as unknown as Json)[k] = v;
      }
      if (patch.mac_address !== undefined && patch.mac_address !== p.mac_address) {
        if (!ctx.admin) policyRefusal('update_port:mac_address');
        if (p.status === 'ACTIVE' && p['binding:host_id']) throw conflict('PortBound', `Unable to complete operation on port ${p.id}, port is already bound`);
        if (macInUse(p.network_id, patch.mac_address as string)) throw conflict('MacAddressInUse', `Unable to complete operation for network ${p.network_id}. The mac address ${String(patch.mac_address)} is in use.`);
        next.mac_address = patch.mac_address as string;
      }
      if (patch.security_groups !== undefined) next.security_groups = checkGroups(patch.security_groups as string[], ctx);
      if (patch.allowed_address_pairs !== undefined) next.allowed_address_pairs = pairs(patch.allowed_address_pairs as Json[], next.mac_address);
      if (patch.port_security_enabled === false && patch.security_groups === undefined && p.security_groups.length > 0) {
        throw conflict('PortSecurityPortHasSecurityGroup', 'Port has security group associated. Cannot disable port security or ip address until security group is removed');
      }
      checkSecurity(next);
      if (patch.fixed_ips !== undefined) {
        const net = repo.networks.get(p.network_id)!;
        const requested = patch.fixed_ips as Json[];
        // Addresses the port keeps are released first so they can be asked for again.
        release(p.fixed_ips);
        try {
          next.fixed_ips = allocate(net, next.mac_address, requested, next.device_owner, false);
        } catch (e) {
          for (const f of p.fixed_ips) core.ipam.take(f.subnet_id, f.ip_address);
          throw e;
        }
      }
      core.notifyPort(p.id);
      return next;
    },
    async beforeDelete(p: Port, ctx: NetCtx): Promise<void> {
      if (ROUTER_OWNERS.has(p.device_owner) && ctx.projectId !== '' && !ctx.auth.userId.startsWith('kos-')) {
        // Router interfaces go through remove_router_interface, as in Neutron.
        if (repo.routers.has(p.device_id)) {
          throw conflict('PortInUse', `Port ${p.id} cannot be deleted directly via the port API: has device owner ${p.device_owner}.`);
        }
      }
      for (const fip of repo.floatingips.byIndex('port_id', p.id)) {
        await core.res.floatingips.touch(fip.id, (f) => ({ ...f, port_id: null, fixed_ip_address: null, router_id: null, status: 'DOWN' }));
      }
      release(p.fixed_ips);
    },
    async afterDelete(p: Port): Promise<void> {
      core.notifyPort(p.id);
    },
  };
}
