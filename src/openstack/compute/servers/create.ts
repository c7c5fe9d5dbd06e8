/**
 * Server create: the request checked as Nova's API checks it (name, flavor, image or
 * block_device_mapping_v2 image source, networks, key, zone and `az:host`, group hint,
 * metadata, user_data, counts), quota claimed, and BUILD records written — one per
 * instance of min_count..max_count. Scheduling and spawning happen in nova-compute.
 */
import { isIP } from 'node:net';
import { KosError } from '../../../core/errors.js';
import { randomToken, uuid } from '../../../core/ids.js';
import type { Image } from '../../image/model.js';
import type { ComputeCtx } from '../context.js';
import type { ComputeCore } from '../core.js';
import { badRequest, forbidden } from '../errors.js';
import { findFlavor } from '../flavors.js';
import { bool, int, isObject, str, stringMap, type Json } from '../http.js';
import type { NetworkRequest, Server } from '../model.js';
import { computePolicy } from '../policy.js';
import { checkNetworks } from '../ports.js';
import { checkQuota, limitsOf, usageOf } from '../quotas.js';
import { findGroup } from '../server-groups.js';

const UUID = /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i;

export interface CreateResult {
  servers: Server[];
  adminPass: string;
  reservationId: string;
}

export function hostnameOf(name: string): string {
  const h = name.toLowerCase().replace(/[^a-z0-9.-]+/g, '-').replace(/^[.-]+|[.-]+$/g, '').slice(0, 63);
  return h === '' ? 'server' : h;
}

/** The Glance image a server boots from, or Nova's 400. */
export function bootImage(core: ComputeCore, ctx: ComputeCtx, id: string): Image {
  let image: Image;
  try {
    image = core.peers.images.get({ requestId: ctx.requestId, auth: ctx.auth }, id);
  } catch (e) {
    if (e instanceof KosError && e.kind === 'NotFound') throw badRequest(`Image ${id} could not be found.`);
    throw e;
  }
  if (image.status !== 'active') throw badRequest(`Image ${id} is not active.`);
  return image;
}

export function checkMetadata(core: ComputeCore, projectId: string, v: unknown): Record<string, string> {
  const md = stringMap(v, 'metadata');
  const limit = limitsOf(core, projectId).metadata_items ?? 128;
  if (limit >= 0 && Object.keys(md).length > limit) throw forbidden('Quota exceeded for metadata_items: Requested 1, but already used 128 of 128 metadata_items');
  return md;
}

function parseNetworks(v: unknown, mv: number): NetworkRequest {
  if (v === undefined) {
    if (mv >= 37) throw badRequest(`Invalid input for field/attribute server. 'networks' is a required property`);
    return { kind: 'auto' };
  }
  if (v === 'auto' || v === 'none') {
    if (mv < 37) throw badRequest(`Invalid input for field/attribute networks. Value: ${v}. '${v}' is not of type 'array'`);
    return { kind: v };
  }
  if (!Array.isArray(v)) throw badRequest(`Invalid input for field/attribute networks. Value: ${JSON.stringify(v)}.`);
  const items = v.map((n) => {
    if (!isObject(n)) throw badRequest(`Invalid input for field/attribute networks.`);
    const item: { uuid?: string; port?: string; fixed_ip?: string; tag?: string } = {};
    if (n.uuid !== undefined) {
      if (typeof n.uuid !== 'string' || !UUID.test(n.uuid)) throw badRequest(`Bad networks format: network uuid is not in proper format (${String(n.uuid)})`);
      item.uuid = n.uuid;
    }
    if (n.port !== undefined && n.port !== null) {
      if (typeof n.port !== 'string' || !UUID.test(n.port)) throw badRequest(`Invalid input for field/attribute port. Value: ${String(n.port)}.`);
      item.port = n.port;
    }
    if (n.fixed_ip !== undefined) {
      if (typeof n.fixed_ip !== 'string' || !/^[0-9a-fA-F.:]+$/.test(n.fixed_ip)) throw badRequest(`Invalid input for field/attribute fixed_ip. Value: ${String(n.fixed_ip)}.`);
      item.fixed_ip = n.fixed_ip;
    }
    if (n.tag !== undefined) item.tag = str(n.tag, 'tag', 60);
    if (!item.uuid && !item.port) throw badRequest('Bad network format: missing uuid');
    return item;
  });
  return { kind: 'list', items };
}

/** The image a request boots from: imageRef, or a boot_index 0 image source in block_device_mapping_v2. */
function imageRefOf(b: Json): string {
  const bdms = b.block_device_mapping_v2;
  if (bdms !== undefined) {
    if (!Array.isArray(bdms)) throw badRequest('Invalid input for field/attribute block_device_mapping_v2.');
    for (const m of bdms) {
      if (!isObject(m)) throw badRequest('Invalid input for field/attribute block_device_mapping_v2.');
      const src = m.source_type;
      if (src !== undefined && !['image', 'volume', 'snapshot', 'blank'].includes(String(src))) throw badRequest(`Invalid input for field/attribute source_type. Value: ${String(src)}.`);
      if ((src === 'volume' || src === 'snapshot') && m.uuid !== undefined) throw badRequest(`Volume ${String(m.uuid)} could not be found.`);
      if (src === 'image' && (m.boot_index === 0 || m.boot_index === '0') && typeof m.uuid === 'string') return m.uuid;
    }
  }
  const ref = b.imageRef;
  if (ref === undefined || ref === '') {
    if (bdms === undefined) throw badRequest('Block Device Mapping is Invalid: Boot sequence for the instance and image/block device mapping combination is not valid.');
    return '';
  }
  if (typeof ref !== 'string') throw badRequest(`Invalid input for field/attribute imageRef. Value: ${JSON.stringify(ref)}.`);
  const id = ref.split('/').pop() ?? '';
  if (!UUID.test(id)) throw badRequest(`Invalid imageRef provided.`);
  return id;
}

export async function createServers(core: ComputeCore, ctx: ComputeCtx, b: Json, hints: Json): Promise<CreateResult> {
  computePolicy.enforce('os_compute_api:servers:create', ctx.auth);
  const name = str(b.name, 'name');
  if (name.trim() === '' || /^\s|\s$/.test(name)) throw badRequest(`Invalid input for field/attribute name. Value: ${name}. '${name}' does not match '^(?! )[\\S ]*(?<! )$'`);
  const flavorRef = b.flavorRef;
  if (flavorRef === undefined) throw badRequest(`Invalid input for field/attribute server. 'flavorRef' is a required property`);
  if (typeof flavorRef !== 'string' && typeof flavorRef !== 'number') throw badRequest('Invalid flavorRef provided.');
  const flavorId = String(flavorRef).split('/').pop() ?? '';
  let flavor;
  try {
    flavor = findFlavor(core, ctx, flavorId);
  } catch {
    throw badRequest(`Flavor ${flavorId} could not be found.`);
  }
  if (flavor.disabled) throw badRequest(`Flavor ${flavorId} could not be found.`);
  const imageId = imageRefOf(b);
  const image = imageId ? bootImage(core, ctx, imageId) : undefined;
  if (image) {
    if (flavor.disk > 0 && (image.min_disk > flavor.disk || (image.size ?? 0) > flavor.disk * 1024 ** 3)) throw badRequest(`Flavor's disk is too small for requested image. Flavor disk is ${flavor.disk * 1024 ** 3} bytes, image is ${image.size ?? 0} bytes.`);
    if (image.min_ram > flavor.ram) throw badRequest(`Flavor's memory is too small for requested image.`);
  }
  const minCount = b.min_count === undefined ? 1 : int(b.min_count, 'min_count', 1);
  const maxCount = b.max_count === undefined ? minCount : int(b.max_count, 'max_count', 1);
  if (minCount > maxCount) throw badRequest(`min_count must be <= max_count`);
  const networks = parseNetworks(b.networks, ctx.mv);
  checkNetworks(core.peers.network, ctx.auth, ctx.projectId, networks, maxCount);
  let keyName: string | null = null;
  if (b.key_name !== undefined && b.key_name !== null) {
    keyName = str(b.key_name, 'key_name');
    if (!core.repo.keypairs.has(`${ctx.userId}/${encodeURIComponent(keyName)}`)) throw badRequest('Invalid key_name provided.');
  }
  let zone: string | null = null;
  let forcedHost: string | null = null;
  if (b.availability_zone !== undefined && b.availability_zone !== null) {
    const az = str(b.availability_zone, 'availability_zone');
    const [z, host, node] = az.split(':');
    if (host || node) {
      computePolicy.enforce('os_compute_api:servers:create:forced_host', ctx.auth);
      forcedHost = host || node || null;
      if (forcedHost && !core.hosts.has(forcedHost)) throw badRequest(`Compute host ${forcedHost} could not be found.`);
    }
    if (z) {
      if (!core.zones().includes(z) && !core.repo.aggregates.list((a) => a.availability_zone === z).length) throw badRequest(`The requested availability zone is not available`);
      zone = z;
    }
  }
  let groupId: string | null = null;
  if (hints.group !== undefined) {
    const gid = str(hints.group, 'group');
    if (!UUID.test(gid)) throw badRequest(`Invalid input for field/attribute group. Value: ${gid}. '${gid}' is not a 'uuid'`);
    groupId = findGroup(core, ctx, gid).id;
  }
  const metadata = b.metadata === undefined ? {} : checkMetadata(core, ctx.projectId, b.metadata);
  let userData: string | null = null;
  if (b.user_data !== undefined && b.user_data !== null) {
    userData = str(b.user_data, 'user_data', 65535, 0);
    if (!/^[A-Za-z0-9+/\s]*={0,2}\s*$/.test(userData)) throw badRequest('User data needs to be valid base 64.');
  }
  const ipv4 = b.accessIPv4 === undefined || b.accessIPv4 === null ? '' : str(b.accessIPv4, 'accessIPv4', 15, 0);
  if (ipv4 && isIP(ipv4) !== 4) throw badRequest(`Invalid input for field/attribute accessIPv4. Value: ${ipv4}. '${ipv4}' is not a 'ipv4'`);
  const ipv6 = b.accessIPv6 === undefined || b.accessIPv6 === null ? '' : str(b.accessIPv6, 'accessIPv6', 45, 0);
  if (ipv6 && isIP(ipv6) !== 6) throw badRequest(`Invalid input for field/attribute accessIPv6. Value: ${ipv6}. '${ipv6}' is not a 'ipv6'`);
  const ipv6Canonical = ipv6 ? canonicalIpv6(ipv6) : '';
  const diskConfig = b['OS-DCF:diskConfig'] === undefined ? 'MANUAL' : b['OS-DCF:diskConfig'];
  if (diskConfig !== 'AUTO' && diskConfig !== 'MANUAL') throw badRequest(`Invalid input for field/attribute OS-DCF:diskConfig. Value: ${String(diskConfig)}.`);
  const tags = b.tags === undefined ? [] : checkTags(b.tags, ctx.mv);
  const description = b.description === undefined || b.description === null ? null : ctx.mv >= 19 ? str(b.description, 'description', 255, 0) : (() => { throw badRequest(`Additional properties are not allowed ('description' was unexpected)`); })();
  const securityGroups = Array.isArray(b.security_groups) ? b.security_groups.map((g) => str(isObject(g) ? g.name : undefined, 'security_groups.name')) : ['default'];
  for (const g of securityGroups) {
    if (g === 'default') continue;
    const found = core.peers.network.repo.securityGroups.list((x) => (x.name === g || x.id === g) && (x.project_id === ctx.projectId || ctx.admin));
    if (found.length === 0) throw badRequest(`Unable to find security_group with name or id '${g}'`);
  }
  const configDrive = b.config_drive === undefined || b.config_drive === '' ? false : bool(b.config_drive, 'config_drive');
  const adminPass = typeof b.adminPass === 'string' ? b.adminPass : randomToken(9);
  const reservationId = `r-${randomToken(6).toLowerCase().replace(/[^a-z0-9]/g, 'x').slice(0, 8)}`;

  return core.repo.writes.run(async () => {
    // Nova builds as many as quota allows between min_count and max_count.
    const limits = limitsOf(core, ctx.projectId);
    const used = usageOf(core, ctx.projectId);
    let count = maxCount;
    const room = (res: string, per: number) => ((limits[res] ?? -1) < 0 ? Infinity : Math.floor(((limits[res] ?? 0) - (used[res] ?? 0)) / per));
    count = Math.min(count, room('instances', 1), room('cores', flavor.vcpus), room('ram', flavor.ram));
    if (count < minCount) checkQuota(core, ctx.projectId, { instances: minCount, cores: flavor.vcpus * minCount, ram: flavor.ram * minCount });
    if (groupId) {
      const g = core.repo.groups.get(groupId)!;
      const limit = limits.server_group_members ?? 10;
      if (limit >= 0 && g.members.length + count > limit) throw forbidden('Quota exceeded, too many servers in group');
    }
    const now = core.now();
    const servers: Server[] = [];
    for (let i = 0; i < count; i++) {
      const displayName = count > 1 ? `${name}-${i + 1}` : name;
      const s: Server = {
        id: uuid(), name: displayName, project_id: ctx.projectId, user_id: ctx.userId, description, image_ref: imageId,
        flavor: { id: flavor.id, name: flavor.name, ram: flavor.ram, vcpus: flavor.vcpus, disk: flavor.disk, ephemeral: flavor.ephemeral, swap: flavor.swap, extra_specs: { ...flavor.extra_specs } },
        old_flavor: null, key_name: keyName, metadata, tags, user_data: userData, config_drive: configDrive,
        availability_zone: zone, requested_az: zone, forced_host: forcedHost, group_id: groupId, networks_request: networks,
        security_groups: securityGroups, host: null, migration_source: null, vm_state: 'building', task_state: 'scheduling', power_state: 0,
        locked: false, locked_reason: null, locked_by: null, ports: [], fault: null, access_ipv4: ipv4, access_ipv6: ipv6Canonical,
        disk_config: diskConfig, reservation_id: reservationId, launch_index: i, hostname: hostnameOf(displayName), launched_at: null,
        created_at: now, updated_at: now, admin_pass_set: true,
      };
      servers.push(await core.repo.servers.create(s));
      await core.startAction(ctx, s.id, 'create', 'compute__do_build_and_run_instance');
    }
    if (groupId) await core.repo.groups.update(groupId, (g) => ({ ...g, members: [...g.members, ...servers.map((s) => s.id)] }));
    return { servers, adminPass, reservationId };
  });
}

/** The compressed text form of an IPv6 address, as Nova stores it (netaddr). */
export function canonicalIpv6(ip: string): string {
  return new URL(`http://[${ip}]/`).hostname.replace(/^\[|\]$/g, '');
}

export function checkTags(v: unknown, mv: number): string[] {
  if (mv < 26) throw badRequest(`Additional properties are not allowed ('tags' was unexpected)`);
  if (!Array.isArray(v)) throw badRequest(`Invalid input for field/attribute tags.`);
  if (v.length > 50) throw badRequest(`Invalid input for field/attribute tags. Value: ${JSON.stringify(v)}. is too long`);
  return [...new Set(v.map((t) => checkTag(t)))];
}

export function checkTag(t: unknown): string {
  const tag = str(t, 'tag', 60);
  if (/[,/]/.test(tag)) throw badRequest(`Invalid input for field/attribute tag. Value: ${tag}. '${tag}' does not match '^[^,/]*$'`);
  return tag;
}
