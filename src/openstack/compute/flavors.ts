/**
 * Flavors (os-flavors, flavor-manage, extra specs, flavor access). Bootstrap gives the
 * devstack set with fixed ids "1".."5" so tempest.conf and clients can name them.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { uuid } from '../../core/ids.js';
import type { ComputeCtx } from './context.js';
import type { ComputeCore } from './core.js';
import { badRequest, conflict, notFound } from './errors.js';
import { baseUrl, bool, ctxOf, int, isObject, linksOf, member, param, queryOf, str, type Json } from './http.js';
import { nextLinks, paginate, sortItems } from './listing.js';
import type { Flavor } from './model.js';
import { computePolicy } from './policy.js';

export const BOOTSTRAP_FLAVORS: Pick<Flavor, 'id' | 'name' | 'ram' | 'vcpus' | 'disk'>[] = [
  { id: '1', name: 'm1.tiny', ram: 512, vcpus: 1, disk: 1 },
  { id: '2', name: 'm1.small', ram: 2048, vcpus: 1, disk: 20 },
  { id: '3', name: 'm1.medium', ram: 4096, vcpus: 2, disk: 40 },
  { id: '4', name: 'm1.large', ram: 8192, vcpus: 4, disk: 80 },
  { id: '5', name: 'm1.xlarge', ram: 16384, vcpus: 8, disk: 160 },
  { id: '42', name: 'm1.nano', ram: 128, vcpus: 1, disk: 1 },
  { id: '84', name: 'm1.micro', ram: 192, vcpus: 1, disk: 1 },
];

export async function bootstrapFlavors(core: ComputeCore): Promise<void> {
  for (const f of BOOTSTRAP_FLAVORS) {
    if (core.repo.flavors.has(f.id)) continue;
    await core.repo.flavors.create({
      ...f, ephemeral: 0, swap: 0, rxtx_factor: 1.0, is_public: true, disabled: false, description: null, extra_specs: {}, access: [], created_at: core.now(),
    });
  }
}

const flavorNotFound = (id: string) => notFound(`Flavor ${id} could not be found.`);

/** A flavor the caller may use: public, or private with access (admins see all). */
export function findFlavor(core: ComputeCore, ctx: ComputeCtx, id: string): Flavor {
  const f = core.repo.flavors.get(id);
  if (!f || (!f.is_public && !ctx.admin && !f.access.includes(ctx.projectId))) throw flavorNotFound(id);
  return f;
}

export function flavorView(req: FastifyRequest, f: Flavor, ctx: ComputeCtx, detail: boolean): Json {
  const base: Json = { id: f.id, name: f.name, links: linksOf(req, 'flavors', f.id) };
  if (ctx.mv >= 55) base.description = f.description;
  if (!detail) return base;
  const v: Json = {
    ...base, ram: f.ram, vcpus: f.vcpus, disk: f.disk, 'OS-FLV-EXT-DATA:ephemeral': f.ephemeral,
    'OS-FLV-DISABLED:disabled': f.disabled, swap: f.swap === 0 ? (ctx.mv >= 75 ? 0 : '') : f.swap,
    rxtx_factor: f.rxtx_factor, 'os-flavor-access:is_public': f.is_public,
  };
  if (ctx.mv >= 61) v.extra_specs = { ...f.extra_specs };
  return v;
}

function listFlavors(core: ComputeCore, req: FastifyRequest, detail: boolean): Json {
  const ctx = ctxOf(req);
  const q = queryOf(req);
  const isPublic = q.get('is_public');
  let pub: boolean | undefined = true;
  if (ctx.admin) pub = isPublic === null ? true : ['none', 'all'].includes(isPublic.toLowerCase()) ? undefined : bool(isPublic, 'is_public');
  const minRam = q.get('minRam');
  const minDisk = q.get('minDisk');
  if (minRam !== null && !/^\d+$/.test(minRam)) throw badRequest(`Invalid minRam filter [${minRam}]`);
  if (minDisk !== null && !/^\d+$/.test(minDisk)) throw badRequest(`Invalid minDisk filter [${minDisk}]`);
  const items = core.repo.flavors.list((f) => {
    if (!ctx.admin && !(f.is_public || f.access.includes(ctx.projectId))) return false;
    if (ctx.admin && pub !== undefined && f.is_public !== pub) return false;
    if (!ctx.admin && isPublic !== null && !['none', 'all'].includes(isPublic.toLowerCase()) && f.is_public !== bool(isPublic, 'is_public')) return false;
    if (minRam !== null && f.ram < Number(minRam)) return false;
    if (minDisk !== null && f.disk < Number(minDisk)) return false;
    return true;
  });
  const keyMap: Record<string, keyof Flavor> = { flavorid: 'id', id: 'id', name: 'name', memory_mb: 'ram', ram: 'ram', vcpus: 'vcpus', root_gb: 'disk', disk: 'disk', ephemeral_gb: 'ephemeral', swap: 'swap', rxtx_factor: 'rxtx_factor', created_at: 'created_at' };
  const sortKey = q.get('sort_key') ?? 'flavorid';
  const sortDir = q.get('sort_dir') ?? 'asc';
  const field = keyMap[sortKey];
  if (!field) throw badRequest(`Invalid input for query parameters sort_key. Value: ${sortKey}.`);
  if (sortDir !== 'asc' && sortDir !== 'desc') throw badRequest(`Invalid input for query parameters sort_dir. Value: ${sortDir}.`);
  const sorted = sortItems(items, {
    keys: [{ key: field, dir: sortDir }],
    valueOf: (f, k) => {
      const v = f[k as keyof Flavor];
      if (k === 'id' && typeof v === 'string' && /^\d+$/.test(v)) return v.padStart(12, '0');
      return typeof v === 'object' ? undefined : v;
    },
  });
  const page = paginate(sorted, { limit: q.get('limit') ?? undefined, marker: q.get('marker') ?? undefined }, (f) => f.id);
  const out: Json = { flavors: page.items.map((f) => flavorView(req, f, ctx, detail)) };
  const links = nextLinks(`${baseUrl(req)}/v2.1/flavors${detail ? '/detail' : ''}`, q, page.next);
  if (links) out.flavors_links = links;
  return out;
}

export function registerFlavors(app: FastifyInstance, core: ComputeCore): void {
  const repo = core.repo;
  app.get('/v2.1/flavors', async (req) => listFlavors(core, req, false));
  app.get('/v2.1/flavors/detail', async (req) => listFlavors(core, req, true));
  app.get('/v2.1/flavors/:id', async (req) => ({ flavor: flavorView(req, findFlavor(core, ctxOf(req), param(req, 'id')), ctxOf(req), true) }));

  app.post('/v2.1/flavors', async (req) => {
    const ctx = ctxOf(req);
    computePolicy.enforce('os_compute_api:os-flavor-manage:create', ctx.auth);
    const b = member(req.body, 'flavor');
    const name = str(b.name, 'name').trim();
    if (name === '') throw badRequest(`Invalid input for field/attribute name. Value: ${String(b.name)}. '${String(b.name)}' does not match '^(?! )[a-zA-Z0-9. _-]+(?<! )$'`);
    const id = b.id === undefined || b.id === null ? uuid() : typeof b.id === 'number' && Number.isInteger(b.id) ? String(b.id) : str(b.id, 'id');
    if (!/^[\w.\- ]+$/.test(id) || id.trim() !== id) throw badRequest(`Invalid input for field/attribute id. Value: ${id}.`);
    const swap = b.swap === undefined || b.swap === '' ? 0 : int(b.swap, 'swap', 0, 1048576);
    const rxtx = b.rxtx_factor === undefined ? 1.0 : Number(b.rxtx_factor);
    if (!Number.isFinite(rxtx) || rxtx <= 0) throw badRequest(`Invalid input for field/attribute rxtx_factor. Value: ${String(b.rxtx_factor)}.`);
    if (b.description !== undefined && ctx.mv < 55) throw badRequest(`Additional properties are not allowed ('description' was unexpected)`);
    const flavor: Flavor = {
      id, name, ram: int(b.ram, 'ram', 1), vcpus: int(b.vcpus, 'vcpus', 1), disk: int(b.disk, 'disk', 0),
      ephemeral: b['OS-FLV-EXT-DATA:ephemeral'] === undefined ? 0 : int(b['OS-FLV-EXT-DATA:ephemeral'], 'OS-FLV-EXT-DATA:ephemeral', 0),
      swap, rxtx_factor: rxtx,
      is_public: b['os-flavor-access:is_public'] === undefined ? true : bool(b['os-flavor-access:is_public'], 'os-flavor-access:is_public'),
      disabled: false, description: b.description === undefined || b.description === null ? null : str(b.description, 'description', 65535, 0),
      extra_specs: {}, access: [], created_at: core.now(),
    };
    const created = await repo.writes.run(async () => {
      if (repo.flavors.list((f) => f.name === name).length > 0) throw conflict(`Flavor with name ${name} already exists.`);
      if (repo.flavors.has(id)) throw conflict(`Flavor with ID ${id} already exists.`);
      return repo.flavors.create(flavor);
    });
    return { flavor: flavorView(req, created, ctx, true) };
  });

  app.put('/v2.1/flavors/:id', async (req) => {
    const ctx = ctxOf(req);
    if (ctx.mv < 55) throw notFound('The resource could not be found.');
    computePolicy.enforce('os_compute_api:os-flavor-manage:update', ctx.auth);
    const b = member(req.body, 'flavor');
    if (!('description' in b) || Object.keys(b).length !== 1) throw badRequest(`Invalid input for field/attribute flavor. 'description' is a required property`);
    const description = b.description === null ? null : str(b.description, 'description', 65535, 0);
    findFlavor(core, ctx, param(req, 'id'));
    const f = await repo.flavors.update(param(req, 'id'), (o) => ({ ...o, description }));
    return { flavor: flavorView(req, f, ctx, true) };
  });

  app.delete('/v2.1/flavors/:id', async (req, reply) => {
    const ctx = ctxOf(req);
    computePolicy.enforce('os_compute_api:os-flavor-manage:delete', ctx.auth);
    if (!repo.flavors.has(param(req, 'id'))) throw flavorNotFound(param(req, 'id'));
    await repo.flavors.delete(param(req, 'id'));
    return reply.code(202).send();
  });

  // Extra specs.
  const specsOf = (req: FastifyRequest) => findFlavor(core, ctxOf(req), param(req, 'id'));
  app.get('/v2.1/flavors/:id/os-extra_specs', async (req) => ({ extra_specs: { ...specsOf(req).extra_specs } }));
  app.get('/v2.1/flavors/:id/os-extra_specs/:key', async (req) => {
    const f = specsOf(req);
    const key = param(req, 'key');
    const v = f.extra_specs[key];
    if (v === undefined) throw notFound(`Flavor ${f.id} has no extra specs with key ${key}.`);
    return { [key]: v };
  });
  const checkSpecs = (v: unknown): Record<string, string> => {
    if (!isObject(v) || Object.keys(v).length === 0) throw badRequest(`Invalid input for field/attribute extra_specs.`);
    const out: Record<string, string> = {};
    for (const [k, val] of Object.entries(v)) {
      if (!/^[\w.\-: ]{1,255}$/.test(k)) throw badRequest(`Invalid input for field/attribute extra_specs. Value: ${k}.`);
      if (typeof val === 'string' || typeof val === 'number' || typeof val === 'boolean') out[k] = String(val);
      else throw badRequest(`Invalid input for field/attribute extra_specs. Value: ${JSON.stringify(val)}.`);
      if (out[k]!.length > 255) throw badRequest(`Invalid input for field/attribute extra_specs. Value too long.`);
    }
    return out;
  };
  app.post('/v2.1/flavors/:id/os-extra_specs', async (req) => {
    const ctx = ctxOf(req);
    computePolicy.enforce('os_compute_api:os-flavor-extra-specs:manage', ctx.auth);
    const f = specsOf(req);
    const specs = checkSpecs(isObject(req.body) ? req.body.extra_specs : undefined);
    await repo.flavors.update(f.id, (o) => ({ ...o, extra_specs: { ...o.extra_specs, ...specs } }));
    return { extra_specs: specs };
  });
  app.put('/v2.1/flavors/:id/os-extra_specs/:key', async (req) => {
    const ctx = ctxOf(req);
    computePolicy.enforce('os_compute_api:os-flavor-extra-specs:manage', ctx.auth);
    const f = specsOf(req);
    const specs = checkSpecs(req.body);
    const key = param(req, 'key');
    if (Object.keys(specs).length !== 1) throw badRequest('Request body contains too many items');
    if (!(key in specs)) throw badRequest('Request body and URI mismatch');
    await repo.flavors.update(f.id, (o) => ({ ...o, extra_specs: { ...o.extra_specs, ...specs } }));
    return specs;
  });
  app.delete('/v2.1/flavors/:id/os-extra_specs/:key', async (req, reply) => {
    const ctx = ctxOf(req);
    computePolicy.enforce('os_compute_api:os-flavor-extra-specs:manage', ctx.auth);
    const f = specsOf(req);
    const key = param(req, 'key');
    if (!(key in f.extra_specs)) throw notFound(`Flavor ${f.id} has no extra specs with key ${key}.`);
    await repo.flavors.update(f.id, (o) => {
      const { [key]: _gone, ...rest } = o.extra_specs;
      return { ...o, extra_specs: rest };
    });
    return reply.code(200).send();
  });

  // Flavor access (private flavors).
  const accessView = (f: Flavor) => ({ flavor_access: f.access.map((p) => ({ flavor_id: f.id, tenant_id: p })) });
  app.get('/v2.1/flavors/:id/os-flavor-access', async (req) => {
    const ctx = ctxOf(req);
    computePolicy.enforce('os_compute_api:os-flavor-access', ctx.auth);
    const f = findFlavor(core, ctx, param(req, 'id'));
    if (f.is_public) throw notFound('Access list not available for public flavors.');
    return accessView(f);
  });
  app.post('/v2.1/flavors/:id/action', async (req) => {
    const ctx = ctxOf(req);
    computePolicy.enforce('os_compute_api:os-flavor-access', ctx.auth);
    const f = findFlavor(core, ctx, param(req, 'id'));
    const body = isObject(req.body) ? req.body : {};
    if (isObject(body.addTenantAccess)) {
      const tenant = str(body.addTenantAccess.tenant, 'tenant');
      if (f.is_public) throw conflict('Can not add access to a public flavor.');
      if (f.access.includes(tenant)) throw conflict(`Flavor access already exists for flavor ${f.id} and project ${tenant} combination.`);
      return accessView(await repo.flavors.update(f.id, (o) => ({ ...o, access: [...o.access, tenant] })));
    }
    if (isObject(body.removeTenantAccess)) {
      const tenant = str(body.removeTenantAccess.tenant, 'tenant');
      if (!f.access.includes(tenant)) throw notFound(`Flavor access not found for ${f.id} / ${tenant} combination.`);
      return accessView(await repo.flavors.update(f.id, (o) => ({ ...o, access: o.access.filter((p) => p !== tenant) })));
    }
    throw badRequest('Invalid input for field/attribute action.');
  });
}
