/**
 * The fleet as Nova shows it: hypervisors (one per configured host, its usage from
 * Placement's allocations) and os-services (nova-compute per host, plus the scheduler
 * and conductor on the control host), with disable, enable and force-down.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ComputeCtx } from './context.js';
import type { ComputeCore } from './core.js';
import { badRequest, notFound } from './errors.js';
import { baseUrl, bool, ctxOf, isObject, param, queryOf, str, type Json } from './http.js';
import { nextLinks, paginate } from './listing.js';
import type { ServiceState } from './model.js';
import { computePolicy } from './policy.js';
import { stableUuid } from '../placement/names.js';

export const CONTROL_HOST = 'kos-control';

export interface ServiceRow {
  id: string;
  number: number;
  uuid: string;
  binary: string;
  host: string;
  zone: string;
  state: ServiceState;
  up: boolean;
}

function stateOf(core: ComputeCore, key: string): ServiceState {
  return core.repo.services.get(key) ?? { id: key, disabled: false, disabled_reason: null, forced_down: false, updated_at: core.now() };
}

const cpuInfo = (vcpus: number) => ({ arch: 'x86_64', model: 'kos-sim', vendor: 'kos', topology: { cells: 1, sockets: 1, cores: vcpus, threads: 1 }, features: [] });

export function services(core: ComputeCore): ServiceRow[] {
  const rows: ServiceRow[] = [];
  const add = (binary: string, host: string, zone: string) => {
    const key = `${binary}@${host}`;
    const uuidOf = stableUuid('kos-nova-service', key);
    const state = stateOf(core, key);
    const up = !state.forced_down && (binary !== 'nova-compute' || core.driver.hostUp(host));
    rows.push({ id: key, number: rows.length + 1, uuid: uuidOf, binary, host, zone, state, up });
  };
  add('nova-scheduler', CONTROL_HOST, 'internal');
  add('nova-conductor', CONTROL_HOST, 'internal');
  for (const h of core.hosts.values()) add('nova-compute', h.name, core.zoneOf(h.name));
  return rows;
}

/** Whether the scheduler may place on a host: its nova-compute is up and enabled. */
export function hostUsable(core: ComputeCore, host: string): boolean {
  const s = stateOf(core, `nova-compute@${host}`);
  return !s.disabled && !s.forced_down && core.driver.hostUp(host);
}

function serviceView(r: ServiceRow, ctx: ComputeCtx): Json {
  const v: Json = {
    id: ctx.mv >= 53 ? r.uuid : r.number, binary: r.binary, host: r.host, zone: r.zone,
    status: r.state.disabled ? 'disabled' : 'enabled', state: r.up ? 'up' : 'down',
    updated_at: r.state.updated_at.replace('Z', '.000000'), disabled_reason: r.state.disabled_reason,
  };
  if (ctx.mv >= 11) v.forced_down = r.state.forced_down;
  return v;
}

/** Used resources of a host from Placement (what Nova's resource tracker reports). */
function usageOf(core: ComputeCore, host: string): { vcpus: number; ram: number; disk: number; vms: number } {
  const vms = core.repo.servers.byIndex('host', host);
  return {
    vcpus: vms.reduce((n, s) => n + s.flavor.vcpus, 0),
    ram: vms.reduce((n, s) => n + s.flavor.ram, 0),
    disk: vms.reduce((n, s) => n + s.flavor.disk, 0),
    vms: vms.length,
  };
}

export function registerHosts(app: FastifyInstance, core: ComputeCore): void {
  const admin = (req: FastifyRequest, rule: string): ComputeCtx => {
    const ctx = ctxOf(req);
    computePolicy.enforce(rule, ctx.auth);
    return ctx;
  };

  const hvView = (name: string, ctx: ComputeCtx, detail: boolean, withServers = false): Json => {
    const h = core.hosts.get(name)!;
    const svc = services(core).find((r) => r.binary === 'nova-compute' && r.host === name)!;
    const v: Json = {
      id: ctx.mv >= 53 ? h.uuid : h.number, hypervisor_hostname: name,
      state: svc.up ? 'up' : 'down', status: svc.state.disabled ? 'disabled' : 'enabled',
    };
    if (withServers) v.servers = core.repo.servers.byIndex('host', name).map((s) => ({ uuid: s.id, name: s.hostname }));
    if (!detail) return v;
    Object.assign(v, {
      hypervisor_type: 'QEMU', hypervisor_version: 8002000, host_ip: `192.168.${Math.floor(h.number / 250)}.${(h.number % 250) + 2}`,
      service: { host: name, id: ctx.mv >= 53 ? svc.uuid : svc.number, disabled_reason: svc.state.disabled_reason },
    });
    if (ctx.mv < 88) {
      const u = usageOf(core, name);
      Object.assign(v, {
        vcpus: h.vcpus, memory_mb: h.memoryMiB, local_gb: h.diskGiB, vcpus_used: u.vcpus, memory_mb_used: u.ram + 512,
        local_gb_used: u.disk, free_ram_mb: h.memoryMiB - u.ram - 512, free_disk_gb: h.diskGiB - u.disk, current_workload: 0,
        running_vms: u.vms, disk_available_least: h.diskGiB - u.disk,
        cpu_info: ctx.mv >= 28 ? cpuInfo(h.vcpus) : JSON.stringify(cpuInfo(h.vcpus)),
      });
    } else v.uptime = ' 08:32:11 up 1 day, 1 user, load average: 0.00, 0.00, 0.00';
    return v;
  };

  const findHv = (id: string, ctx: ComputeCtx): string => {
    for (const h of core.hosts.values()) if ((ctx.mv >= 53 ? h.uuid : String(h.number)) === id) return h.name;
    if (ctx.mv >= 53 && !/^[0-9a-f-]{36}$/.test(id)) throw badRequest(`Invalid uuid ${id}`);
    throw notFound(`Hypervisor with ID ${id} could not be found.`);
  };

  const listHv = (req: FastifyRequest, detail: boolean): Json => {
    const ctx = admin(req, 'os_compute_api:os-hypervisors');
    const q = queryOf(req);
    const pattern = ctx.mv >= 53 ? q.get('hypervisor_hostname_pattern') : null;
    const withServers = ctx.mv >= 53 && q.get('with_servers') !== null && bool(q.get('with_servers'), 'with_servers');
    let names = [...core.hosts.keys()];
    if (pattern !== null) {
      names = names.filter((n) => n.includes(pattern));
      if (names.length === 0) throw notFound(`No hypervisor matching '${pattern}' could be found.`);
    }
    const idOf = (n: string) => (ctx.mv >= 53 ? core.hosts.get(n)!.uuid : String(core.hosts.get(n)!.number));
    const page = ctx.mv >= 33 ? paginate(names, { limit: q.get('limit') ?? undefined, marker: q.get('marker') ?? undefined }, idOf) : { items: names };
    const out: Json = { hypervisors: page.items.map((n) => hvView(n, ctx, detail, withServers)) };
    const links = nextLinks(`${baseUrl(req)}/v2.1/os-hypervisors${detail ? '/detail' : ''}`, q, page.next);
    if (links) out.hypervisors_links = links;
    return out;
  };

  app.get('/v2.1/os-hypervisors', async (req) => listHv(req, false));
  app.get('/v2.1/os-hypervisors/detail', async (req) => listHv(req, true));
  app.get('/v2.1/os-hypervisors/statistics', async (req) => {
    const ctx = admin(req, 'os_compute_api:os-hypervisors');
    if (ctx.mv >= 88) throw notFound('The resource could not be found.');
    const s = { count: 0, current_workload: 0, disk_available_least: 0, free_disk_gb: 0, free_ram_mb: 0, local_gb: 0, local_gb_used: 0, memory_mb: 0, memory_mb_used: 0, running_vms: 0, vcpus: 0, vcpus_used: 0 };
    for (const h of core.hosts.values()) {
      const u = usageOf(core, h.name);
      s.count++; s.vcpus += h.vcpus; s.vcpus_used += u.vcpus; s.memory_mb += h.memoryMiB; s.memory_mb_used += u.ram + 512;
      s.free_ram_mb += h.memoryMiB - u.ram - 512; s.local_gb += h.diskGiB; s.local_gb_used += u.disk; s.free_disk_gb += h.diskGiB - u.disk;
      s.disk_available_least += h.diskGiB - u.disk; s.running_vms += u.vms;
    }
    return { hypervisor_statistics: s };
  });
  app.get('/v2.1/os-hypervisors/:id', async (req) => {
    const ctx = admin(req, 'os_compute_api:os-hypervisors');
    const withServers = ctx.mv >= 53 && queryOf(req).get('with_servers') !== null && bool(queryOf(req).get('with_servers'), 'with_servers');
    return { hypervisor: hvView(findHv(param(req, 'id'), ctx), ctx, true, withServers) };
  });
  app.get('/v2.1/os-hypervisors/:id/uptime', async (req) => {
    const ctx = admin(req, 'os_compute_api:os-hypervisors');
    if (ctx.mv >= 88) throw notFound('The resource could not be found.');
    const v = hvView(findHv(param(req, 'id'), ctx), ctx, false);
    return { hypervisor: { ...v, uptime: ' 08:32:11 up 1 day, 1 user, load average: 0.00, 0.00, 0.00' } };
  });
  const byName = (req: FastifyRequest, withServers: boolean) => {
    const ctx = admin(req, 'os_compute_api:os-hypervisors');
    if (ctx.mv >= 53) throw notFound('The resource could not be found.');
    const pattern = param(req, 'pattern');
    const names = [...core.hosts.keys()].filter((n) => n.includes(pattern));
    if (names.length === 0) throw notFound(`No hypervisor matching '${pattern}' could be found.`);
    return { hypervisors: names.map((n) => hvView(n, ctx, false, withServers)) };
  };
  app.get('/v2.1/os-hypervisors/:pattern/search', async (req) => byName(req, false));
  app.get('/v2.1/os-hypervisors/:pattern/servers', async (req) => byName(req, true));

  // os-services
  app.get('/v2.1/os-services', async (req) => {
    const ctx = admin(req, 'os_compute_api:os-services');
    const q = queryOf(req);
    const host = q.get('host');
    const binary = q.get('binary');
    return { services: services(core).filter((r) => (!host || r.host === host) && (!binary || r.binary === binary)).map((r) => serviceView(r, ctx)) };
  });

  const change = async (key: string, patch: Partial<ServiceState>): Promise<ServiceState> => {
    const now = core.now();
    return core.repo.writes.run(async () => {
      if (core.repo.services.has(key)) return core.repo.services.update(key, (s) => ({ ...s, ...patch, updated_at: now }));
      return core.repo.services.create({ ...stateOf(core, key), ...patch, updated_at: now });
    });
  };

  app.put('/v2.1/os-services/:action', async (req) => {
    const ctx = admin(req, 'os_compute_api:os-services');
    const action = param(req, 'action');
    if (ctx.mv >= 53) {
      const row = services(core).find((r) => r.uuid === action);
      if (!row) throw notFound(`Service ${action} could not be found.`);
      const b = isObject(req.body) ? req.body : {};
      const patch: Partial<ServiceState> = {};
      if (b.status !== undefined) {
        if (b.status !== 'enabled' && b.status !== 'disabled') throw badRequest(`Invalid input for field/attribute status.`);
        patch.disabled = b.status === 'disabled';
        patch.disabled_reason = patch.disabled ? (b.disabled_reason === undefined ? null : str(b.disabled_reason, 'disabled_reason')) : null;
      } else if (b.disabled_reason !== undefined) throw badRequest('Specifying \'disabled_reason\' with status \'enabled\' is invalid.');
      if (b.forced_down !== undefined) patch.forced_down = bool(b.forced_down, 'forced_down');
      if (Object.keys(patch).length === 0) throw badRequest('No updates were requested. Fields \'status\' or \'forced_down\' should be specified.');
      if (row.binary !== 'nova-compute') throw badRequest(`Updating a ${row.binary} service is not supported. Only nova-compute services can be updated.`);
      const state = await change(row.id, patch);
      return { service: serviceView({ ...row, state, up: !state.forced_down && core.driver.hostUp(row.host) }, ctx) };
    }
    const b = isObject(req.body) ? req.body : {};
    const host = str(b.host, 'host');
    const binary = str(b.binary, 'binary');
    const row = services(core).find((r) => r.host === host && r.binary === binary);
    if (!row) throw notFound(`Service ${binary} on host ${host} could not be found.`);
    switch (action) {
      case 'enable': await change(row.id, { disabled: false, disabled_reason: null }); return { service: { host, binary, status: 'enabled' } };
      case 'disable': await change(row.id, { disabled: true }); return { service: { host, binary, status: 'disabled' } };
      case 'disable-log-reason': {
        const reason = str(b.disabled_reason, 'disabled_reason');
        await change(row.id, { disabled: true, disabled_reason: reason });
        return { service: { host, binary, status: 'disabled', disabled_reason: reason } };
      }
      case 'force-down': {
        if (ctx.mv < 11) throw notFound('The resource could not be found.');
        const forced = bool(b.forced_down, 'forced_down');
        await change(row.id, { forced_down: forced });
        return { service: { host, binary, forced_down: forced } };
      }
      default: throw notFound(`Unknown action ${action}`);
    }
  });
  app.delete('/v2.1/os-services/:id', async (req) => {
    admin(req, 'os_compute_api:os-services');
    throw badRequest(`Service ${param(req, 'id')} is a configured hypervisor of kos and cannot be deleted.`);
  });
}
