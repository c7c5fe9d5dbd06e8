/**
 * Routers: the external gateway (a port on an external network, SNAT flag, fixed IPs),
 * interfaces added and removed by subnet or by port, extra routes whose nexthop must sit
 * on a connected subnet, and the admin-only distributed and ha flags.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { NetCtx } from './context.js';
import { policyRefusal, systemCtx } from './context.js';
import type { NetworkCore } from './core.js';
import { badRequest, conflict, invalidInput, neutronError } from './errors.js';
import { contains, overlaps, parseCidr, parseIp } from './ip.js';
import type { ExternalGatewayInfo, HostRoute, Router, StandardAttrs } from './model.js';
import { ROUTER_GATEWAY, ROUTER_INTERFACE } from './ports.js';
import { ctxOf, paramOf, type Json, type ResourceDef } from './resource.js';
import { bool, cidrStr, ipAddr, list, object, str, type Check } from './validate.js';

const routeCheck: Check = (v, attr) => {
  const r = object(v, attr) as Json;
  return { destination: cidrStr(r.destination, attr) as string, nexthop: ipAddr(r.nexthop, attr) as string };
};
const gatewayCheck: Check = (v, attr) => (v === null ? null : object(v, attr));

export function routerDef(core: NetworkCore): ResourceDef<Router> {
  const repo = core.repo;

  /** Create the gateway port and return the stored gateway info. Under the write lock. */
  const setGateway = async (r: Router, info: Json | null, ctx: NetCtx): Promise<ExternalGatewayInfo | null> => {
    await clearGateway(r.id);
    if (info === null || info.network_id === undefined) return null;
    const netId = String(info.network_id);
    const net = core.res.networks.find(netId, ctx);
    if (!net['router:external']) {
      throw badRequest(`Bad router request: Network ${netId} is not an external network.`);
    }
    if (info.enable_snat !== undefined && !ctx.admin) policyRefusal('create_router:external_gateway_info:enable_snat');
    if (info.external_fixed_ips !== undefined && !ctx.admin) policyRefusal('create_router:external_gateway_info:external_fixed_ips');
    const fixed = info.external_fixed_ips as Json[] | undefined;
    const port = await core.res.ports.def.create(
      { network_id: netId, device_owner: ROUTER_GATEWAY, device_id: r.id, name: '', admin_state_up: true, allowed_address_pairs: [], extra_dhcp_opts: [], 'binding:host_id': '', 'binding:vnic_type': 'normal', 'binding:profile': {}, dns_name: '', propagate_uplink_status: false, ...(fixed ? { fixed_ips: fixed } : {}) },
      stdFor(core, ''),
      systemCtx(''),
    );
    await repo.ports.create(port);
    core.notifyPort(port.id);
    return { network_id: netId, enable_snat: info.enable_snat === undefined ? true : bool(info.enable_snat, 'enable_snat') as boolean, external_fixed_ips: port.fixed_ips };
  };

  const clearGateway = async (routerId: string): Promise<void> => {
    for (const p of repo.ports.byIndex('device_id', routerId)) {
      if (p.device_owner !== ROUTER_GATEWAY) continue;
      await core.res.ports.def.beforeDelete?.(p, systemCtx(''));
      await repo.ports.delete(p.id);
      core.notifyPort(p.id);
    }
  };

  const connectedCidrs = (routerId: string) =>
    repo.ports.byIndex('device_id', routerId).flatMap((p) => p.fixed_ips.map((f) => repo.subnets.get(f.subnet_id))).flatMap((s) => (s ? [parseCidr(s.cidr)!] : []));

  const checkRoutes = (routerId: string, routes: HostRoute[]) => {
    const cidrs = connectedCidrs(routerId);
    for (const r of routes) {
      const hop = parseIp(r.nexthop)!;
      if (!cidrs.some((c) => c.version === hop.version && contains(c, hop.value))) {
        throw badRequest(`Invalid format for routes: ${JSON.stringify([r])}, the nexthop is not connected with router`, 'InvalidRoutes');
      }
      if (parseCidr(r.destination)!.version !== hop.version) throw badRequest(`Invalid format for routes: ${JSON.stringify([r])}`, 'InvalidRoutes');
    }
  };

  return {
    member: 'router',
    plural: 'routers',
    path: 'routers',
    collection: repo.routers,
    quota: 'router',
    attrs: {
      name: { create: true, update: true, check: str(255), default: () => '' },
      admin_state_up: { create: true, update: true, check: bool, default: () => true },
      external_gateway_info: { create: true, update: true, check: gatewayCheck, default: () => null },
      routes: { update: true, check: list(routeCheck) },
      distributed: { create: true, update: true, adminOnly: true, check: bool, default: () => false },
      ha: { create: true, update: true, adminOnly: true, check: bool, default: () => false },
      availability_zone_hints: { create: true, check: list(str(255)), default: () => [] },
      flavor_id: { create: true },
    },
    view(r: Router, ctx: NetCtx): Json {
      const { project_id: _p, ...rest } = r;
      const v: Json = { ...rest, availability_zones: r.availability_zone_hints.length ? r.availability_zone_hints : core.zones().slice(0, 1) };
      if (!ctx.admin) {
        delete v.distributed;
        delete v.ha;
      }
      return v;
    },
    async create(input: Json, std: StandardAttrs, ctx: NetCtx): Promise<Router> {
      for (const z of input.availability_zone_hints as string[]) {
        if (!core.zones().includes(z)) throw invalidInput(`AvailabilityZone ${z} could not be found`);
      }
      const r: Router = {
        ...std, name: input.name as string, admin_state_up: input.admin_state_up as boolean, status: 'ACTIVE',
        external_gateway_info: null, routes: [], distributed: input.distributed as boolean, ha: input.ha as boolean,
        availability_zone_hints: input.availability_zone_hints as string[], flavor_id: null,
      };
      r.external_gateway_info = await setGateway(r, input.external_gateway_info as Json | null, ctx);
      return r;
    },
    async update(r: Router, patch: Json, ctx: NetCtx): Promise<Router> {
      const next: Router = { ...r };
      if (patch.name !== undefined) next.name = patch.name as string;
      if (patch.admin_state_up !== undefined) next.admin_state_up = patch.admin_state_up as boolean;
      if (patch.distributed !== undefined) next.distributed = patch.distributed as boolean;
      if (patch.ha !== undefined) next.ha = patch.ha as boolean;
      if (patch.routes !== undefined) {
        checkRoutes(r.id, patch.routes as HostRoute[]);
        next.routes = patch.routes as HostRoute[];
      }
      if ('external_gateway_info' in patch) {
        const info = patch.external_gateway_info as Json | null;
        const cur = r.external_gateway_info;
        const sameNet = info !== null && cur !== null && info.network_id === cur.network_id && info.external_fixed_ips === undefined;
        if (sameNet) {
          if (info.enable_snat !== undefined && !ctx.admin) policyRefusal('update_router:external_gateway_info:enable_snat');
          next.external_gateway_info = { ...cur, enable_snat: info.enable_snat === undefined ? cur.enable_snat : (bool(info.enable_snat, 'enable_snat') as boolean) };
        } else {
          if (info === null && repo.floatingips.list((f) => f.router_id === r.id).length > 0) {
            throw conflict('RouterExternalGatewayInUseByFloatingIp', `Gateway cannot be updated for router ${r.id}, since a gateway to external network ${cur?.network_id ?? ''} is required by one or more floating IPs.`);
          }
          next.external_gateway_info = await setGateway(r, info, ctx);
        }
      }
      return next;
    },
    async beforeDelete(r: Router): Promise<void> {
      if (repo.ports.byIndex('device_id', r.id).some((p) => p.device_owner === ROUTER_INTERFACE)) {
        throw conflict('RouterInUse', `Router ${r.id} still has ports`);
      }
      if (repo.floatingips.list((f) => f.router_id === r.id).length > 0) {
        throw conflict('RouterInUse', `Router ${r.id} still has floating IPs`);
      }
      await clearGateway(r.id);
    },
  };
}

function stdFor(core: NetworkCore, projectId: string): StandardAttrs {
  const now = new Date(core.clock.now()).toISOString().replace(/\.\d{3}Z$/, 'Z');
  return { id: crypto.randomUUID(), project_id: projectId, description: '', tags: [], revision_number: 0, created_at: now, updated_at: now };
}

/** PUT /routers/<id>/add_router_interface and remove_router_interface. */
export function registerRouterInterfaces(app: FastifyInstance, core: NetworkCore, preHandler: (req: FastifyRequest, reply: FastifyReply) => Promise<void>): void {
  const repo = core.repo;
  const body = (req: FastifyRequest): Json => {
    const b = req.body;
    if (typeof b !== 'object' || b === null || Array.isArray(b)) throw badRequest('Resource body required');
    return b as Json;
  };
  const answer = (r: Router, portId: string, subnetId: string, subnetIds: string[], networkId: string) => ({
    id: r.id, tenant_id: r.project_id, project_id: r.project_id, port_id: portId, subnet_id: subnetId, subnet_ids: subnetIds, network_id: networkId,
  });

  app.put('/v2.0/routers/:id/add_router_interface', { preHandler }, async (req) => {
    const ctx = ctxOf(req);
    const r = core.res.routers.findWritable(paramOf(req, 'id'), ctx, 'add_router_interface');
    const b = body(req);
    if (b.port_id !== undefined && b.subnet_id !== undefined) throw badRequest('Bad router request: Cannot specify both subnet-id and port-id.');
    if (b.port_id === undefined && b.subnet_id === undefined) throw badRequest('Bad router request: Either subnet_id or port_id must be specified.');
    return core.writes.run(async () => {
      const existing = repo.ports.byIndex('device_id', r.id).filter((p) => p.device_owner === ROUTER_INTERFACE);
      const attachedCidrs = existing.flatMap((p) => p.fixed_ips.map((f) => repo.subnets.get(f.subnet_id))).flatMap((s) => (s ? [s] : []));
      const checkOverlap = (subnetId: string) => {
        const s = repo.subnets.get(subnetId)!;
        const c = parseCidr(s.cidr)!;
        for (const o of attachedCidrs) {
          if (o.id === s.id) throw badRequest(`Bad router request: Router already has a port on subnet ${s.id}.`);
          if (overlaps(parseCidr(o.cidr)!, c)) throw badRequest(`Bad router request: Cidr ${s.cidr} of subnet ${s.id} overlaps with cidr ${o.cidr} of subnet ${o.id}.`);
        }
      };
      if (b.port_id !== undefined) {
        const port = core.res.ports.find(String(b.port_id), ctx);
        if (port.device_id) throw conflict('PortInUse', `Unable to complete operation on port ${port.id} for network ${port.network_id}. Port already has an attached device ${port.device_id}.`);
        if (port.fixed_ips.length === 0) throw badRequest(`Bad router request: Router port must have at least one fixed IP.`);
        for (const f of port.fixed_ips) checkOverlap(f.subnet_id);
        const updated = await core.res.ports.touch(port.id, (p) => ({ ...p, device_id: r.id, device_owner: ROUTER_INTERFACE }));
        core.notifyPort(port.id);
        await core.res.routers.touch(r.id, (x) => x);
        const first = updated.fixed_ips[0]!;
        return answer(r, port.id, first.subnet_id, updated.fixed_ips.map((f) => f.subnet_id), port.network_id);
      }
      const subnet = core.res.subnets.find(String(b.subnet_id), ctx);
      if (!subnet.gateway_ip) throw badRequest(`Bad router request: Subnet for router interface must have a gateway IP.`);
      checkOverlap(subnet.id);
      if (core.ipam.isTaken(subnet.id, subnet.gateway_ip)) {
        throw conflict('IpAddressAlreadyAllocated', `IP address ${subnet.gateway_ip} already allocated in subnet ${subnet.id}`);
      }
      const port = await core.res.ports.def.create(
        { network_id: subnet.network_id, device_owner: ROUTER_INTERFACE, device_id: r.id, name: '', admin_state_up: true, fixed_ips: [{ subnet_id: subnet.id, ip_address: subnet.gateway_ip }], allowed_address_pairs: [], extra_dhcp_opts: [], 'binding:host_id': '', 'binding:vnic_type': 'normal', 'binding:profile': {}, dns_name: '', propagate_uplink_status: false, security_groups: [] },
        stdFor(core, r.project_id),
        systemCtx(r.project_id),
      );
      await repo.ports.create(port);
      core.notifyPort(port.id);
      await core.res.routers.touch(r.id, (x) => x);
      return answer(r, port.id, subnet.id, [subnet.id], subnet.network_id);
    });
  });

  app.put('/v2.0/routers/:id/remove_router_interface', { preHandler }, async (req) => {
    const ctx = ctxOf(req);
    const r = core.res.routers.findWritable(paramOf(req, 'id'), ctx, 'remove_router_interface');
    const b = body(req);
    if (b.port_id === undefined && b.subnet_id === undefined) throw badRequest('Bad router request: Either subnet_id or port_id must be specified.');
    return core.writes.run(async () => {
      const ifaces = repo.ports.byIndex('device_id', r.id).filter((p) => p.device_owner === ROUTER_INTERFACE);
      let port = b.port_id !== undefined ? ifaces.find((p) => p.id === b.port_id) : ifaces.find((p) => p.fixed_ips.some((f) => f.subnet_id === b.subnet_id));
      if (b.port_id !== undefined && b.subnet_id !== undefined && port && !port.fixed_ips.some((f) => f.subnet_id === b.subnet_id)) port = undefined;
      if (!port) {
        if (b.port_id !== undefined) throw neutronError('NotFound', 'RouterInterfaceNotFound', `Router ${r.id} does not have an interface with id ${String(b.port_id)}`);
        throw neutronError('NotFound', 'RouterInterfaceNotFoundForSubnet', `Router ${r.id} has no interface on subnet ${String(b.subnet_id)}`);
      }
      const subnetIds = port.fixed_ips.map((f) => f.subnet_id);
      const inUse = repo.floatingips.list((f) => f.router_id === r.id && f.port_id !== null && subnetIds.some((s) => repo.ports.get(f.port_id!)?.fixed_ips.some((x) => x.subnet_id === s)));
      if (inUse.length > 0) throw conflict('RouterInterfaceInUseByFloatingIP', `Router interface for subnet ${subnetIds[0] ?? ''} on router ${r.id} cannot be deleted, as it is required by one or more floating IPs.`);
      const portNets = port.fixed_ips.map((f) => parseCidr(repo.subnets.get(f.subnet_id)?.cidr ?? '')).flatMap((c) => (c ? [c] : []));
      if (r.routes.some((rt) => { const hop = parseIp(rt.nexthop)!; return portNets.some((c) => c.version === hop.version && contains(c, hop.value)); })) {
        throw conflict('RouterInterfaceInUseByRoute', `Router interface for subnet ${subnetIds[0] ?? ''} on router ${r.id} cannot be deleted, as it is required by one or more routes.`);
      }
      await core.res.ports.def.beforeDelete?.(port, systemCtx(''));
      await repo.ports.delete(port.id);
      core.notifyPort(port.id);
      await core.res.routers.touch(r.id, (x) => x);
      return answer(r, port.id, subnetIds[0] ?? '', subnetIds, port.network_id);
    });
  });
}

