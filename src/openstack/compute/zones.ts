/**
 * Availability zones (os-availability-zone, /detail for admins) and host aggregates with
 * their `availability_zone` metadata, which moves a host into another zone.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ComputeCtx } from './context.js';
import type { ComputeCore } from './core.js';
import { badRequest, conflict, notFound } from './errors.js';
import { ctxOf, isObject, member, param, str, type Json } from './http.js';
import { CONTROL_HOST, services } from './hosts.js';
import type { Aggregate } from './model.js';
import { computePolicy } from './policy.js';
import { uuid } from '../../core/ids.js';

export function registerZones(app: FastifyInstance, core: ComputeCore): void {
  const zoneList = (): string[] => [...new Set([...core.hosts.keys()].map((h) => core.zoneOf(h)))].sort();

  app.get('/v2.1/os-availability-zone', async () => ({
    availabilityZoneInfo: zoneList().map((z) => ({ zoneName: z, zoneState: { available: true }, hosts: null })),
  }));
  app.get('/v2.1/os-availability-zone/detail', async (req) => {
    const ctx = ctxOf(req);
    computePolicy.enforce('os_compute_api:os-availability-zone:detail', ctx.auth);
    const rows = services(core);
    const byZone = new Map<string, Json>();
    for (const r of rows) {
      const hosts = (byZone.get(r.zone) ?? {}) as Record<string, Json>;
      hosts[r.host] = { ...(hosts[r.host] ?? {}), [r.binary]: { available: r.up, active: !r.state.disabled, updated_at: r.state.updated_at.replace('Z', '.000000') } };
      byZone.set(r.zone, hosts);
    }
    return {
      availabilityZoneInfo: [...byZone.entries()].map(([z, hosts]) => ({ zoneName: z, zoneState: { available: true }, hosts })),
    };
  });

  const repo = core.repo.aggregates;
  const admin = (req: FastifyRequest): ComputeCtx => {
    const ctx = ctxOf(req);
    computePolicy.enforce('os_compute_api:os-aggregates', ctx.auth);
    return ctx;
  };
  const view = (a: Aggregate, ctx: ComputeCtx): Json => {
    const v: Json = {
      id: a.number, name: a.name, availability_zone: a.availability_zone, hosts: a.hosts, metadata: a.metadata,
      created_at: a.created_at.replace('Z', '.000000'), updated_at: a.updated_at?.replace('Z', '.000000') ?? null, deleted: false, deleted_at: null,
    };
    if (ctx.mv >= 41) v.uuid = a.uuid;
    return v;
  };
  const find = (id: string): Aggregate => {
    const a = repo.list((x) => String(x.number) === id || x.uuid === id)[0];
    if (!a) throw notFound(`Aggregate ${id} could not be found.`);
    return a;
  };
  const checkAz = (az: unknown): string | null => {
    if (az === undefined || az === null) return null;
    const s = str(az, 'availability_zone');
    if (s === 'internal') throw badRequest('Aggregate availability zone cannot be the internal zone.');
    return s;
  };
  const azConflict = (a: Aggregate, host: string, az: string | null) => {
    for (const other of repo.list((x) => x.id !== a.id && x.hosts.includes(host) && x.availability_zone !== null)) {
      if (az !== null && other.availability_zone !== az) throw badRequest(`Cannot add host to aggregate ${a.number}. Reason: One or more hosts already in availability zone(s) ['${other.availability_zone}'].`);
    }
  };

  app.get('/v2.1/os-aggregates', async (req) => {
    const ctx = admin(req);
    return { aggregates: repo.list().sort((a, b) => a.number - b.number).map((a) => view(a, ctx)) };
  });
  app.post('/v2.1/os-aggregates', async (req) => {
    const ctx = admin(req);
    const b = member(req.body, 'aggregate');
    const name = str(b.name, 'name').trim();
    if (name === '') throw badRequest('Invalid input for field/attribute name.');
    const az = checkAz(b.availability_zone);
    const now = core.now();
    const created = await core.repo.writes.run(async () => {
      if (repo.list((a) => a.name === name).length > 0) throw conflict(`Aggregate ${name} already exists.`);
      const number = repo.list().reduce((n, a) => Math.max(n, a.number), 0) + 1;
      return repo.create({
        id: uuid(), number, uuid: uuid(), name, availability_zone: az, hosts: [],
        metadata: az ? { availability_zone: az } : {}, created_at: now, updated_at: null,
      });
    });
    const { hosts: _h, metadata: _m, ...rest } = view(created, ctx);
    return { aggregate: rest };
  });
  app.get('/v2.1/os-aggregates/:id', async (req) => ({ aggregate: view(find(param(req, 'id')), admin(req)) }));
  app.put('/v2.1/os-aggregates/:id', async (req) => {
    const ctx = admin(req);
    const a = find(param(req, 'id'));
    const b = member(req.body, 'aggregate');
    if (Object.keys(b).length === 0) throw badRequest('Invalid input for field/attribute aggregate.');
    const name = b.name === undefined ? a.name : str(b.name, 'name');
    const az = b.availability_zone === undefined ? a.availability_zone : checkAz(b.availability_zone);
    const updated = await core.repo.writes.run(async () => {
      if (name !== a.name && repo.list((x) => x.name === name).length > 0) throw conflict(`Aggregate ${name} already exists.`);
      return repo.update(a.id, (o) => ({
        ...o, name, availability_zone: az, updated_at: core.now(),
        metadata: az ? { ...o.metadata, availability_zone: az } : Object.fromEntries(Object.entries(o.metadata).filter(([k]) => k !== 'availability_zone')),
      }));
    });
    return { aggregate: view(updated, ctx) };
  });
  app.delete('/v2.1/os-aggregates/:id', async (req, reply) => {
    admin(req);
    const a = find(param(req, 'id'));
    if (a.hosts.length > 0) throw badRequest(`Cannot remove aggregate ${a.number}. Reason: Host aggregate is not empty.`);
    await repo.delete(a.id);
    return reply.code(200).send();
  });
  app.post('/v2.1/os-aggregates/:id/action', async (req) => {
    const ctx = admin(req);
    const a = find(param(req, 'id'));
    const body = isObject(req.body) ? req.body : {};
    const hostOf = (v: unknown): string => {
      const host = str(isObject(v) ? v.host : undefined, 'host');
      if (!core.hosts.has(host) && host !== CONTROL_HOST) throw notFound(`Compute host ${host} could not be found.`);
      return host;
    };
    let updated: Aggregate;
    if ('add_host' in body) {
      const host = hostOf(body.add_host);
      if (a.hosts.includes(host)) throw conflict(`Aggregate ${a.number} already has host ${host}.`);
      azConflict(a, host, a.availability_zone);
      updated = await repo.update(a.id, (o) => ({ ...o, hosts: [...o.hosts, host], updated_at: core.now() }));
    } else if ('remove_host' in body) {
      const host = hostOf(body.remove_host);
      if (!a.hosts.includes(host)) throw notFound(`Cannot remove host ${host} in aggregate ${a.number}`);
      updated = await repo.update(a.id, (o) => ({ ...o, hosts: o.hosts.filter((h) => h !== host), updated_at: core.now() }));
    } else if ('set_metadata' in body) {
      const md = isObject(body.set_metadata) ? body.set_metadata.metadata : undefined;
      if (!isObject(md)) throw badRequest('Invalid input for field/attribute metadata.');
      const next = { ...a.metadata };
      for (const [k, v] of Object.entries(md)) {
        if (k.length < 1 || k.length > 255) throw badRequest(`Invalid input for field/attribute metadata. Value: ${k}.`);
        if (v === null) delete next[k];
        else if (typeof v === 'string' && v.length <= 255) next[k] = v;
        else throw badRequest(`Invalid input for field/attribute metadata. Value: ${JSON.stringify(v)}.`);
      }
      if (next.availability_zone === 'internal') throw badRequest('Aggregate availability zone cannot be the internal zone.');
      updated = await repo.update(a.id, (o) => ({ ...o, metadata: next, availability_zone: next.availability_zone ?? null, updated_at: core.now() }));
    } else throw badRequest('Invalid request body: one of add_host, remove_host, set_metadata is required.');
    return { aggregate: view(updated, ctx) };
  });
}
