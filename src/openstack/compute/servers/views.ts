/**
 * A server as Nova returns it at the caller's microversion: the 2.1 body, the admin-only
 * OS-EXT-SRV-ATTR fields, `locked` (2.9), `host_status` (2.16), `description` (2.19),
 * `tags` (2.26), the embedded flavor (2.47), `trusted_image_certificates` (2.63),
 * `server_groups` (2.71) and `locked_reason` (2.73).
 */
import { createHash } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import type { ComputeCtx } from '../context.js';
import type { ComputeCore } from '../core.js';
import { hostUsable } from '../hosts.js';
import { baseUrl, linksOf, type Json } from '../http.js';
import type { Server } from '../model.js';
import { PROGRESS_STATUSES, statusOf } from './status.js';

/** `instance-0000002a`: the hypervisor's name for an instance, from its position. */
export const instanceName = (s: Server): string => `instance-${s.id.replace(/-/g, '').slice(0, 8)}`;

export function addressesOf(s: Server, detail: boolean): Record<string, Json[]> {
  const out: Record<string, Json[]> = {};
  for (const p of s.ports) {
    const list = out[p.network_name] ?? [];
    for (const ip of p.ips) {
      list.push(detail ? { version: ip.version, addr: ip.address, 'OS-EXT-IPS:type': 'fixed', 'OS-EXT-IPS-MAC:mac_addr': p.mac } : { version: ip.version, addr: ip.address });
    }
    out[p.network_name] = list;
  }
  return out;
}

export function serverView(req: FastifyRequest, core: ComputeCore, s: Server, ctx: ComputeCtx): Json {
  const status = statusOf(s);
  const base = baseUrl(req);
  const hostId = s.host ? createHash('sha224').update(`${s.project_id}${s.host}`).digest('hex') : '';
  const v: Json = {
    id: s.id, name: s.name, status, tenant_id: s.project_id, user_id: s.user_id, metadata: s.metadata, hostId,
    image: s.image_ref ? { id: s.image_ref, links: [{ rel: 'bookmark', href: `${base}/images/${s.image_ref}` }] } : '',
    flavor: ctx.mv >= 47
      ? { vcpus: s.flavor.vcpus, ram: s.flavor.ram, disk: s.flavor.disk, ephemeral: s.flavor.ephemeral, swap: s.flavor.swap, original_name: s.flavor.name, extra_specs: s.flavor.extra_specs }
      : { id: s.flavor.id, links: [{ rel: 'bookmark', href: `${base}/flavors/${s.flavor.id}` }] },
    created: s.created_at, updated: s.updated_at, addresses: addressesOf(s, true), accessIPv4: s.access_ipv4, accessIPv6: s.access_ipv6,
    links: linksOf(req, 'servers', s.id), 'OS-DCF:diskConfig': s.disk_config,
    key_name: s.key_name, security_groups: s.ports.length > 0 || s.security_groups.length > 0 ? s.security_groups.map((name) => ({ name })) : undefined,
    'OS-SRV-USG:launched_at': s.launched_at ? s.launched_at.replace('Z', '.000000') : null, 'OS-SRV-USG:terminated_at': null,
    'OS-EXT-AZ:availability_zone': s.availability_zone ?? '',
    'OS-EXT-STS:task_state': s.task_state, 'OS-EXT-STS:vm_state': s.vm_state, 'OS-EXT-STS:power_state': s.power_state,
    'os-extended-volumes:volumes_attached': [], config_drive: s.config_drive ? 'True' : '',
  };
  if (v.security_groups === undefined) delete v.security_groups;
  if (PROGRESS_STATUSES.has(status)) v.progress = status === 'ACTIVE' ? 100 : 0;
  if (s.fault && (status === 'ERROR' || status === 'DELETED')) {
    v.fault = { code: s.fault.code, created: s.fault.created, message: s.fault.message, ...(ctx.admin && s.fault.details ? { details: s.fault.details } : {}) };
  }
  if (ctx.admin) {
    Object.assign(v, { 'OS-EXT-SRV-ATTR:host': s.host, 'OS-EXT-SRV-ATTR:instance_name': instanceName(s), 'OS-EXT-SRV-ATTR:hypervisor_hostname': s.host });
    if (ctx.mv >= 3) {
      Object.assign(v, {
        'OS-EXT-SRV-ATTR:reservation_id': s.reservation_id, 'OS-EXT-SRV-ATTR:launch_index': s.launch_index,
        'OS-EXT-SRV-ATTR:kernel_id': '', 'OS-EXT-SRV-ATTR:ramdisk_id': '', 'OS-EXT-SRV-ATTR:hostname': s.hostname,
        'OS-EXT-SRV-ATTR:root_device_name': '/dev/vda', 'OS-EXT-SRV-ATTR:user_data': s.user_data,
      });
    }
  } else if (ctx.mv >= 90) v['OS-EXT-SRV-ATTR:hostname'] = s.hostname;
  if (ctx.mv >= 9) v.locked = s.locked;
  if (ctx.mv >= 16 && ctx.admin) v.host_status = !s.host ? '' : hostUsable(core, s.host) ? 'UP' : 'DOWN';
  if (ctx.mv >= 19) v.description = s.description;
  if (ctx.mv >= 26) v.tags = s.tags;
  if (ctx.mv >= 63) v.trusted_image_certificates = null;
  if (ctx.mv >= 71) v.server_groups = s.group_id ? [s.group_id] : [];
  if (ctx.mv >= 73) v.locked_reason = s.locked_reason;
  if (ctx.mv >= 3) v['os-extended-volumes:volumes_attached'] = [];
  return v;
}

/** Fields only the show/list views carry: update and rebuild answered without them before 2.75. */
const DETAIL_ONLY = /^(OS-EXT-|OS-SRV-USG:|os-extended-volumes:)|^(key_name|security_groups|config_drive|host_status)$/;

/** The body of an update or rebuild answer at the caller's microversion. */
export function changedServerView(req: FastifyRequest, core: ComputeCore, s: Server, ctx: ComputeCtx, rebuild: boolean): Json {
  const v = serverView(req, core, s, ctx);
  if (ctx.mv < 75) for (const k of Object.keys(v)) if (DETAIL_ONLY.test(k) && !(rebuild && k === 'key_name' && ctx.mv >= 54)) delete v[k];
  if (rebuild && ctx.mv >= 57) {
    delete v['OS-EXT-SRV-ATTR:user_data'];
    v.user_data = s.user_data;
  }
  if (!rebuild && ctx.mv < 71) delete v.server_groups;
  return v;
}
