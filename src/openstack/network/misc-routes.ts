/**
 * The routes that are not resources: the version documents, extensions, availability
 * zones, quotas (with details and defaults), network IP availabilities, service providers
 * and agents (kos runs no agents: the data plane is a driver).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { NetworkCore } from './core.js';
import { DEFAULT_QUOTAS } from './core.js';
import { policyRefusal } from './context.js';
import { badRequest, neutronError } from './errors.js';
import { EXTENSIONS, extensionView } from './extensions.js';
import { ctxOf, paramOf, type Json } from './resource.js';
import { filtersOf, matches, queryParams } from './query.js';

type PreHandler = (req: FastifyRequest, reply: FastifyReply) => Promise<void>;

const base = (req: FastifyRequest) => `${req.protocol}://${req.headers.host ?? 'localhost'}/network`;

export function registerVersions(app: FastifyInstance): void {
  const v2 = (req: FastifyRequest) => ({ id: 'v2.0', status: 'CURRENT', links: [{ href: `${base(req)}/v2.0/`, rel: 'self' }] });
  app.get('/', async (req) => ({ versions: [v2(req)] }));
  app.get('/v2.0', async (req) => ({
    resources: ['subnet', 'network', 'port', 'subnetpool', 'router', 'floatingip', 'security_group', 'security_group_rule'].map((r) => ({
      name: r, collection: `${r}s`, links: [{ href: `${base(req)}/v2.0/${r.replaceAll('_', '-')}s`, rel: 'self' }],
    })),
  }));
}

export function registerMisc(app: FastifyInstance, core: NetworkCore, preHandler: PreHandler): void {
  const opts = { preHandler };
  app.get('/v2.0/extensions', opts, async () => ({ extensions: EXTENSIONS.map(extensionView) }));
  app.get('/v2.0/extensions/:alias', opts, async (req) => {
    const e = EXTENSIONS.find((x) => x.alias === paramOf(req, 'alias'));
    if (!e) throw neutronError('NotFound', 'HTTPNotFound', `Extension with alias ${paramOf(req, 'alias')} does not exist`);
    return { extension: extensionView(e) };
  });

  app.get('/v2.0/availability_zones', opts, async (req) => {
    const q = queryParams(req);
    const all: Json[] = core.zones().flatMap((name) => ['network', 'router'].map((resource) => ({ name, resource, state: 'available' })));
    return { availability_zones: all.filter((z) => matches(z, filtersOf(q))) };
  });

  app.get('/v2.0/service-providers', opts, async () => ({
    service_providers: [{ service_type: 'L3_ROUTER_NAT', name: 'kos', default: true }],
  }));
  // Neutron filters agents by policy rather than refusing the list: a non-admin sees none.
  // kos has no agents at all (the data plane is a driver), so the list is empty for everyone.
  app.get('/v2.0/agents', opts, async () => ({ agents: [] }));
  for (const m of ['get', 'put', 'delete'] as const) {
    app[m]('/v2.0/agents/:id', opts, async (req) => {
      if (!ctxOf(req).admin) policyRefusal(`${m}_agent`);
      throw neutronError('NotFound', 'AgentNotFound', `Agent ${paramOf(req, 'id')} could not be found.`);
    });
  }

  registerQuotas(app, core, opts);
  registerIpAvailability(app, core, opts);
}

function registerQuotas(app: FastifyInstance, core: NetworkCore, opts: { preHandler: PreHandler }): void {
  const view = (projectId: string): Json => ({ ...core.quotaOf(projectId) });
  const mayRead = (req: FastifyRequest, projectId: string) => {
    const ctx = ctxOf(req);
    if (!ctx.admin && ctx.projectId !== projectId) policyRefusal('get_quota');
  };
  app.get('/v2.0/quotas', opts, async (req) => {
    if (!ctxOf(req).admin) policyRefusal('get_quota');
    return { quotas: core.repo.quotas.list().map((q) => ({ ...view(q.id), project_id: q.id, tenant_id: q.id })) };
  });
  app.get('/v2.0/quotas/:project/default', opts, async (req) => {
    mayRead(req, paramOf(req, 'project'));
    return { quota: { ...DEFAULT_QUOTAS } };
  });
  app.get('/v2.0/quotas/:project/details.json', opts, async (req) => {
    const projectId = paramOf(req, 'project');
    mayRead(req, projectId);
    const limits = core.quotaOf(projectId);
    const out: Json = {};
    for (const [k, limit] of Object.entries(limits)) out[k] = { limit, used: core.usedOf(k, projectId), reserved: 0 };
    return { quota: out };
  });
  app.get('/v2.0/quotas/:project', opts, async (req) => {
    const projectId = paramOf(req, 'project').replace(/\.json$/, '');
    mayRead(req, projectId);
    return { quota: view(projectId) };
  });
  app.put('/v2.0/quotas/:project', opts, async (req) => {
    if (!ctxOf(req).admin) policyRefusal('update_quota');
    const projectId = paramOf(req, 'project');
    const b = req.body as Json | undefined;
    const given = b && typeof b.quota === 'object' && b.quota !== null ? (b.quota as Json) : undefined;
    if (!given) throw badRequest('Resource body required');
    const limits: Record<string, number> = { ...(core.repo.quotas.get(projectId)?.limits ?? {}) };
    for (const [k, v] of Object.entries(given)) {
      if (!(k in DEFAULT_QUOTAS)) throw badRequest(`Unrecognized attribute(s) '${k}'`);
      const n = typeof v === 'string' ? Number(v) : v;
      if (typeof n !== 'number' || !Number.isInteger(n) || n < -1) throw badRequest(`Invalid input for ${k}. Reason: '${String(v)}' is not an integer.`);
      limits[k] = n;
    }
    await core.writes.run(async () => {
      if (core.repo.quotas.has(projectId)) await core.repo.quotas.update(projectId, () => ({ id: projectId, limits }));
      else await core.repo.quotas.create({ id: projectId, limits });
    });
    return { quota: view(projectId) };
  });
  app.delete('/v2.0/quotas/:project', opts, async (req, reply) => {
    if (!ctxOf(req).admin) policyRefusal('delete_quota');
    await core.writes.run(() => core.repo.quotas.deleteIfExists(paramOf(req, 'project')));
    return reply.code(204).send();
  });
}

function registerIpAvailability(app: FastifyInstance, core: NetworkCore, opts: { preHandler: PreHandler }): void {
  const viewOf = (networkId: string): Json => {
    const n = core.repo.networks.get(networkId)!;
    let total = 0n;
    let used = 0;
    const subnets = core.repo.subnets.byIndex('network_id', n.id).map((s) => {
      const u = core.ipam.usage(s.id);
      total += u.total;
      used += u.used;
      return { subnet_id: s.id, subnet_name: s.name, cidr: s.cidr, ip_version: s.ip_version, total_ips: Number(u.total), used_ips: u.used };
    });
    return { network_id: n.id, network_name: n.name, project_id: n.project_id, tenant_id: n.project_id, total_ips: Number(total), used_ips: used, subnet_ip_availability: subnets };
  };
  app.get('/v2.0/network-ip-availabilities', opts, async (req) => {
    if (!ctxOf(req).admin) policyRefusal('get_network_ip_availability');
    const filters = filtersOf(queryParams(req));
    return { network_ip_availabilities: core.repo.networks.list().map((n) => viewOf(n.id)).filter((v) => matches(v, filters)) };
  });
  app.get('/v2.0/network-ip-availabilities/:id', opts, async (req) => {
    if (!ctxOf(req).admin) policyRefusal('get_network_ip_availability');
    const id = paramOf(req, 'id');
    if (!core.repo.networks.has(id)) throw neutronError('NotFound', 'NetworkNotFound', `Network ${id} could not be found.`);
    return { network_ip_availability: viewOf(id) };
  });
}
