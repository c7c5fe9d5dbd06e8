/**
 * The deprecated os-hosts API (until 2.43): hosts and their services, per-host resource
 * usage by project, enable/disable through the host's compute service. Power actions on
 * a hypervisor are not something the simulated fleet offers (501, as libvirt answers).
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { KosError } from '../../core/errors.js';
import type { ComputeCtx } from './context.js';
import type { ComputeCore } from './core.js';
import { badRequest, notFound } from './errors.js';
import { services } from './hosts.js';
import { ctxOf, isObject, param, queryOf, type Json } from './http.js';
import { computePolicy } from './policy.js';

export function registerOsHosts(app: FastifyInstance, core: ComputeCore): void {
  const admin = (req: FastifyRequest): ComputeCtx => {
    const ctx = ctxOf(req);
    computePolicy.enforce('os_compute_api:os-services', ctx.auth);
    if (ctx.mv >= 43) throw notFound('The resource could not be found.');
    return ctx;
  };
  const known = (host: string): void => {
    if (!services(core).some((r) => r.host === host)) throw notFound(`Host ${host} could not be found.`);
  };
  const serviceName: Record<string, string> = { 'nova-compute': 'compute', 'nova-scheduler': 'scheduler', 'nova-conductor': 'conductor' };

  app.get('/v2.1/os-hosts', async (req) => {
    admin(req);
    const zone = queryOf(req).get('zone');
    const hosts = services(core)
      .filter((r) => !zone || r.zone === zone)
      .map((r) => ({ host_name: r.host, service: serviceName[r.binary] ?? r.binary, zone: r.zone }));
    return { hosts };
  });

  app.get('/v2.1/os-hosts/:host', async (req) => {
    admin(req);
    const host = param(req, 'host');
    known(host);
    const h = core.hosts.get(host);
    const vms = core.repo.servers.byIndex('host', host);
    const used = { cpu: vms.reduce((n, s) => n + s.flavor.vcpus, 0), memory_mb: vms.reduce((n, s) => n + s.flavor.ram, 0), disk_gb: vms.reduce((n, s) => n + s.flavor.disk, 0) };
    const rows: Json[] = [
      { resource: { host, project: '(total)', cpu: h?.vcpus ?? 0, memory_mb: h?.memoryMiB ?? 0, disk_gb: h?.diskGiB ?? 0 } },
      { resource: { host, project: '(used_now)', ...used } },
      { resource: { host, project: '(used_max)', ...used } },
    ];
    const byProject = new Map<string, { cpu: number; memory_mb: number; disk_gb: number }>();
    for (const s of vms) {
      const p = byProject.get(s.project_id) ?? { cpu: 0, memory_mb: 0, disk_gb: 0 };
      p.cpu += s.flavor.vcpus; p.memory_mb += s.flavor.ram; p.disk_gb += s.flavor.disk;
      byProject.set(s.project_id, p);
    }
    for (const [project, r] of byProject) rows.push({ resource: { host, project, ...r } });
    return { host: rows };
  });

  app.put('/v2.1/os-hosts/:host', async (req) => {
    admin(req);
    const host = param(req, 'host');
    const b = isObject(req.body) ? req.body : {};
    const status = b.status;
    const maintenance = b.maintenance_mode;
    if (status === undefined && maintenance === undefined) throw badRequest('Invalid input for field/attribute host. At least one of status or maintenance_mode is required.');
    if (status !== undefined && status !== 'enable' && status !== 'disable') throw badRequest(`Invalid input for field/attribute status. Value: ${String(status)}.`);
    if (maintenance !== undefined && maintenance !== 'enable' && maintenance !== 'disable') throw badRequest(`Invalid input for field/attribute maintenance_mode. Value: ${String(maintenance)}.`);
    for (const k of Object.keys(b)) if (k !== 'status' && k !== 'maintenance_mode') throw badRequest(`Additional properties are not allowed ('${k}' was unexpected)`);
    known(host);
    if (maintenance !== undefined) throw new KosError('NotImplemented', 'Virt driver does not implement host maintenance mode.');
    const key = `nova-compute@${host}`;
    const disabled = status === 'disable';
    await core.repo.writes.run(async () => {
      const now = core.now();
      if (core.repo.services.has(key)) await core.repo.services.update(key, (s) => ({ ...s, disabled, disabled_reason: null, updated_at: now }));
      else await core.repo.services.create({ id: key, disabled, disabled_reason: null, forced_down: false, updated_at: now });
    });
    return { host, status: disabled ? 'disabled' : 'enabled' };
  });

  for (const action of ['startup', 'shutdown', 'reboot']) {
    app.get(`/v2.1/os-hosts/:host/${action}`, async (req) => {
      admin(req);
      known(param(req, 'host'));
      throw new KosError('NotImplemented', 'Virt driver does not implement host power management.');
    });
  }
}
