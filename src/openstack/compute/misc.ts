/**
 * The small admin surfaces: os-migrations, os-simple-tenant-usage, extensions (2.1's
 * list), and the documented fault-injection call of the simulated fleet:
 *
 *   GET  /compute/v2.1/os-kos-faults      the current faults
 *   POST /compute/v2.1/os-kos-faults      {"down_hosts": ["az1-hv-1"], "failing_hosts": [], "fail_next_boots": 1}
 *
 * (admin only). A down hypervisor reports state `down` and gets no new servers; a failing
 * host or the next N boots end in ERROR with the driver's message as the fault.
 */
import type { FastifyInstance } from 'fastify';
import type { ComputeCore } from './core.js';
import { badRequest } from './errors.js';
import { ctxOf, int, isObject, queryOf, type Json } from './http.js';
import { computePolicy } from './policy.js';

const stringList = (v: unknown, field: string): string[] => {
  if (!Array.isArray(v) || v.some((x) => typeof x !== 'string')) throw badRequest(`Invalid input for field/attribute ${field}.`);
  return v as string[];
};

export function registerMisc(app: FastifyInstance, core: ComputeCore): void {
  app.get('/v2.1/os-kos-faults', async (req) => {
    computePolicy.enforce('os_compute_api:os-admin-actions', ctxOf(req).auth);
    return { faults: core.driver.faults() };
  });
  app.post('/v2.1/os-kos-faults', async (req) => {
    computePolicy.enforce('os_compute_api:os-admin-actions', ctxOf(req).auth);
    const b = isObject(req.body) ? req.body : {};
    const faults = core.driver.setFaults({
      ...(b.down_hosts !== undefined ? { downHosts: stringList(b.down_hosts, 'down_hosts') } : {}),
      ...(b.failing_hosts !== undefined ? { failingHosts: stringList(b.failing_hosts, 'failing_hosts') } : {}),
      ...(b.fail_next_boots !== undefined ? { failNextBoots: int(b.fail_next_boots, 'fail_next_boots') } : {}),
    });
    return { faults };
  });

  app.get('/v2.1/os-migrations', async (req) => {
    const ctx = ctxOf(req);
    computePolicy.enforce('os_compute_api:os-migrations:index', ctx.auth);
    const q = queryOf(req);
    const type = q.get('migration_type');
    const instance = q.get('instance_uuid');
    const list = core.repo.migrations.list((m) => (!type || m.migration_type === type) && (!instance || m.instance_uuid === instance));
    return {
      migrations: list.sort((a, b) => b.number - a.number).map((m) => {
        const v: Json = {
          id: m.number, instance_uuid: m.instance_uuid, source_compute: m.source_compute, dest_compute: m.dest_compute,
          source_node: m.source_compute, dest_node: m.dest_compute, dest_host: m.dest_compute ? '127.0.0.1' : '', status: m.status, old_instance_type_id: Number(m.old_flavor_id) || 0, new_instance_type_id: Number(m.new_flavor_id) || 0,
          created_at: m.created_at.replace('Z', '.000000'), updated_at: m.updated_at.replace('Z', '.000000'),
        };
        if (ctx.mv >= 23) Object.assign(v, { migration_type: m.migration_type, links: [] });
        if (ctx.mv >= 59) v.uuid = m.id;
        if (ctx.mv >= 80) Object.assign(v, { project_id: m.project_id, user_id: m.user_id });
        return v;
      }),
    };
  });


  // Neutron's notifications (network-vif-plugged…): accepted for servers that exist.
  app.post('/v2.1/os-server-external-events', async (req, reply) => {
    computePolicy.enforce('os_compute_api:os-admin-actions', ctxOf(req).auth);
    const events = isObject(req.body) && Array.isArray(req.body.events) ? req.body.events : undefined;
    if (!events || events.length === 0) throw badRequest('Invalid input for field/attribute events.');
    const out = events.map((e) => {
      if (!isObject(e) || typeof e.server_uuid !== 'string' || typeof e.name !== 'string') throw badRequest('Invalid input for field/attribute events.');
      const found = core.repo.servers.has(e.server_uuid);
      return { ...e, status: e.status ?? 'completed', code: found ? 200 : 404 };
    });
    const anyFound = out.some((e) => e.code === 200);
    if (!anyFound) return reply.code(404).send({ itemNotFound: { code: 404, message: 'No instances found for any event' } });
    return reply.code(anyFound && out.some((e) => e.code !== 200) ? 207 : 200).send({ events: out });
  });

  app.get('/v2.1/extensions', async () => ({ extensions: [] }));
}
