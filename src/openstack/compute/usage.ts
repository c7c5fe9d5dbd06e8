/**
 * os-simple-tenant-usage: per-project totals of the servers that ran in a period (vCPU,
 * RAM and disk hours), listed for admins and shown to a project itself.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ComputeCtx } from './context.js';
import type { ComputeCore } from './core.js';
import { badRequest, notFound } from './errors.js';
import { bool, ctxOf, param, queryOf, type Json } from './http.js';
import type { Server } from './model.js';
import { computePolicy } from './policy.js';

const ISO = /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?)?Z?$/;

function period(req: FastifyRequest, core: ComputeCore): { start: number; end: number } {
  const q = queryOf(req);
  const parse = (v: string | null, dflt: number, field: string): number => {
    if (v === null) return dflt;
    const t = ISO.test(v) ? Date.parse(v.endsWith('Z') ? v : `${v}Z`) : NaN;
    if (Number.isNaN(t)) throw badRequest(`Invalid ${field} time. The time should be in ISO 8601 format.`);
    return t;
  };
  const now = core.clock.now();
  const start = parse(q.get('start'), now - 24 * 3600 * 1000, 'start');
  const end = parse(q.get('end'), now, 'end');
  if (start > end) throw badRequest('Invalid start time. The start time cannot occur after the end time.');
  return { start, end };
}

function usage(servers: Server[], projectId: string, start: number, end: number, detailed: boolean): Json {
  let vcpu = 0; let ram = 0; let disk = 0; let hours = 0;
  const rows: Json[] = [];
  for (const s of servers) {
    const from = Math.max(start, Date.parse(s.created_at));
    const h = Math.max(0, (end - from) / 3.6e6);
    hours += h; vcpu += h * s.flavor.vcpus; ram += h * s.flavor.ram; disk += h * s.flavor.disk;
    if (detailed) {
      rows.push({
        instance_id: s.id, name: s.name, hours: h, memory_mb: s.flavor.ram, local_gb: s.flavor.disk, vcpus: s.flavor.vcpus,
        tenant_id: s.project_id, flavor: s.flavor.name, started_at: s.created_at.replace('Z', ''), ended_at: null,
        state: s.vm_state === 'stopped' ? 'stopped' : s.vm_state === 'error' ? 'error' : 'active', uptime: Math.round(h * 3600),
      });
    }
  }
  const v: Json = {
    tenant_id: projectId, total_local_gb_usage: disk, total_vcpus_usage: vcpu, total_memory_mb_usage: ram, total_hours: hours,
    start: new Date(start).toISOString().replace('Z', ''), stop: new Date(end).toISOString().replace('Z', ''),
  };
  if (detailed) v.server_usages = rows;
  return v;
}

export function registerUsage(app: FastifyInstance, core: ComputeCore): void {
  const detailedOf = (req: FastifyRequest): boolean => {
    const d = queryOf(req).get('detailed');
    return d !== null && d !== '' && (d === '1' || bool(d, 'detailed'));
  };
  app.get('/v2.1/os-simple-tenant-usage', async (req) => {
    const ctx: ComputeCtx = ctxOf(req);
    computePolicy.enforce('os_compute_api:os-simple-tenant-usage:list', ctx.auth);
    const { start, end } = period(req, core);
    const byProject = new Map<string, Server[]>();
    for (const s of core.repo.servers.list((x) => Date.parse(x.created_at) <= end)) byProject.set(s.project_id, [...(byProject.get(s.project_id) ?? []), s]);
    return { tenant_usages: [...byProject.entries()].map(([p, list]) => usage(list, p, start, end, detailedOf(req))) };
  });
  app.get('/v2.1/os-simple-tenant-usage/:project', async (req) => {
    const ctx = ctxOf(req);
    const project = param(req, 'project');
    if (project === '') throw notFound('The resource could not be found.');
    computePolicy.enforce('os_compute_api:os-quota-sets:show', ctx.auth, { project_id: project });
    const { start, end } = period(req, core);
    const servers = core.repo.servers.byIndex('project', project).filter((x) => Date.parse(x.created_at) <= end);
    return { tenant_usage: servers.length ? usage(servers, project, start, end, true) : {} };
  });
}
