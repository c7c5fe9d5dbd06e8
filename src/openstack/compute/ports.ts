/**
 * Nova's side of Neutron, in-process through NetworkCore: which networks a project may
 * boot on, the ports Nova creates (and later deletes) or is given (and later releases),
 * bound to the server's host with device_owner `compute:<az>`.
 */
import { KosError } from '../../core/errors.js';
import type { AuthContext } from '../common/context.js';
import { netCtxOf, systemCtx } from '../network/context.js';
import type { NetworkCore } from '../network/core.js';
import type { Network } from '../network/model.js';
import { badRequest, conflict } from './errors.js';
import type { NetworkRequest, Server, ServerPort } from './model.js';

/** Networks a project boots on without naming one: its own and shared ones, not external. */
export function bootableNetworks(net: NetworkCore, projectId: string): Network[] {
  return net.repo.networks.list((n) => !n['router:external'] && (n.project_id === projectId || n.shared));
}

/** Check a create request's networks as Nova's API does (400/409 before anything is built). */
export function checkNetworks(net: NetworkCore, auth: AuthContext, projectId: string, req: NetworkRequest, count: number): void {
  const ctx = netCtxOf(auth);
  if (req.kind === 'auto') {
    if (bootableNetworks(net, projectId).length > 1) throw conflict('Multiple possible networks found, use a Network ID to be more specific.');
    return;
  }
  if (req.kind === 'none') return;
  for (const item of req.items) {
    if (item.port) {
      const p = net.repo.ports.get(item.port);
      if (!p || !(ctx.admin || p.project_id === projectId)) throw badRequest(`Port ${item.port} could not be found.`);
      if (p.device_id !== '') throw conflict(`Port ${item.port} is still in use.`);
      if (count > 1) throw badRequest('Multiple instances cannot be created with a port specified.');
      continue;
    }
    if (!item.uuid) throw badRequest('Bad networks format: network uuid is not in proper format');
    try {
      const n = net.res.networks.find(item.uuid, ctx);
      if (item.fixed_ip && !net.repo.subnets.byIndex('network_id', n.id).some((s) => net.ipam.inCidr(s.id, item.fixed_ip!))) {
        throw badRequest(`Fixed IP address ${item.fixed_ip} is not valid on network ${n.id}.`);
      }
    } catch (e) {
      if (e instanceof KosError && e.kind === 'NotFound') throw badRequest(`Network ${item.uuid} could not be found.`);
      throw e;
    }
  }
}

const networkName = (net: NetworkCore, id: string): string => net.repo.networks.get(id)?.name ?? id;

function toServerPort(net: NetworkCore, portId: string, created: boolean, tag: string | null): ServerPort {
  const p = net.repo.ports.get(portId)!;
  return {
    port_id: p.id, network_id: p.network_id, network_name: networkName(net, p.network_id), mac: p.mac_address,
    ips: p.fixed_ips.map((f) => ({ address: f.ip_address, version: f.ip_address.includes(':') ? 6 : 4 })), created, tag,
  };
}

/** Create or claim one port for a server on its host; returns what the server records. */
export async function plugPort(net: NetworkCore, s: Server, item: { uuid?: string; port?: string; fixed_ip?: string; tag?: string }): Promise<ServerPort> {
  const ctx = systemCtx(s.project_id);
  const binding = { device_id: s.id, device_owner: `compute:${s.availability_zone ?? 'nova'}`, 'binding:host_id': s.host ?? '' };
  if (item.port) {
    await net.res.ports.update(item.port, binding, ctx);
    return toServerPort(net, item.port, false, item.tag ?? null);
  }
  const p = await net.res.ports.create({
    network_id: item.uuid, ...binding, ...(item.fixed_ip ? { fixed_ips: [{ ip_address: item.fixed_ip }] } : {}),
  }, ctx);
  return toServerPort(net, p.id, true, item.tag ?? null);
}

/** The ports a request asks for, `auto` resolved to the project's one network (if any). */
export function portRequests(net: NetworkCore, s: Server): { uuid?: string; port?: string; fixed_ip?: string; tag?: string }[] {
  const r = s.networks_request;
  if (r.kind === 'none') return [];
  if (r.kind === 'list') return r.items;
  const nets = bootableNetworks(net, s.project_id);
  return nets.length === 1 ? [{ uuid: nets[0]!.id }] : [];
}

/** Re-point a server's ports at a new host (migration, unshelve). */
export async function rebindPorts(net: NetworkCore, s: Server, host: string | null): Promise<void> {
  const ctx = systemCtx(s.project_id);
  for (const p of s.ports) if (net.repo.ports.has(p.port_id)) await net.res.ports.update(p.port_id, { 'binding:host_id': host ?? '' }, ctx);
}

/** Delete the ports Nova created, release the ones it was given. */
export async function unplugPort(net: NetworkCore, s: Server, port: ServerPort): Promise<void> {
  const ctx = systemCtx(s.project_id);
  if (!net.repo.ports.has(port.port_id)) return;
  if (port.created) await net.res.ports.remove(port.port_id, ctx);
  else await net.res.ports.update(port.port_id, { device_id: '', device_owner: '', 'binding:host_id': '' }, ctx);
}
