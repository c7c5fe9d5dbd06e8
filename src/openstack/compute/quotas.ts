/**
 * Quota sets (os-quota-sets, per project and per user), absolute limits, and enforcement
 * with Nova's 403 messages. Usage is counted from the servers, keypairs and server groups
 * themselves (Nova's counting quota driver), so nothing can drift.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { KosError } from '../../core/errors.js';
import type { ComputeCtx } from './context.js';
import type { ComputeCore } from './core.js';
import { badRequest, forbidden } from './errors.js';
import { bool, ctxOf, int, member, param, queryOf, type Json } from './http.js';
import { computePolicy } from './policy.js';

export const DEFAULT_QUOTAS: Readonly<Record<string, number>> = {
  instances: 10, cores: 20, ram: 51200, metadata_items: 128, key_pairs: 100, server_groups: 10, server_group_members: 10,
  injected_files: 5, injected_file_content_bytes: 10240, injected_file_path_bytes: 255,
  floating_ips: 10, fixed_ips: -1, security_groups: 10, security_group_rules: 20,
};

const NETWORK_KEYS = ['floating_ips', 'fixed_ips', 'security_groups', 'security_group_rules'];
const FILE_KEYS = ['injected_files', 'injected_file_content_bytes', 'injected_file_path_bytes'];

/** The quota resources shown at a microversion. */
function keysAt(mv: number): string[] {
  return Object.keys(DEFAULT_QUOTAS).filter((k) => !(mv >= 36 && NETWORK_KEYS.includes(k)) && !(mv >= 57 && FILE_KEYS.includes(k)));
}

const CLASS_ID = 'quota-class/default';

/** The defaults every project starts from: Nova's, changed by the `default` quota class. */
export function classDefaults(core: ComputeCore): Record<string, number> {
  return { ...DEFAULT_QUOTAS, ...(core.repo.quotas.get(CLASS_ID)?.limits ?? {}) };
}

export function limitsOf(core: ComputeCore, projectId: string, userId?: string): Record<string, number> {
  const project = { ...classDefaults(core), ...(core.repo.quotas.get(projectId)?.limits ?? {}) };
  if (!userId) return project;
  return { ...project, ...(core.repo.quotas.get(`${projectId}/${userId}`)?.limits ?? {}) };
}

export function usageOf(core: ComputeCore, projectId: string, userId?: string): Record<string, number> {
  const servers = core.repo.servers.byIndex('project', projectId).filter((s) => !userId || s.user_id === userId);
  return {
    instances: servers.length,
    cores: servers.reduce((n, s) => n + s.flavor.vcpus, 0),
    ram: servers.reduce((n, s) => n + s.flavor.ram, 0),
    key_pairs: userId ? core.repo.keypairs.byIndex('user', userId).length : 0,
    server_groups: core.repo.groups.list((g) => g.project_id === projectId && (!userId || g.user_id === userId)).length,
  };
}

/** Refuse with Nova's 403 when adding `wanted` would pass a limit (-1 is unlimited). */
export function checkQuota(core: ComputeCore, projectId: string, wanted: Record<string, number>, userId?: string): void {
  const limits = limitsOf(core, projectId, userId);
  const used = usageOf(core, projectId, userId);
  for (const [res, n] of Object.entries(wanted)) {
    const limit = limits[res] ?? -1;
    if (limit < 0 || n <= 0) continue;
    const u = used[res] ?? 0;
    if (u + n <= limit) continue;
    if (res === 'key_pairs') throw forbidden('Quota exceeded, too many key pairs.');
    if (res === 'server_groups') throw forbidden('Quota exceeded, too many server groups.');
    if (res === 'server_group_members') throw forbidden('Quota exceeded, too many servers in group');
    throw forbidden(`Quota exceeded for ${res}: Requested ${n}, but already used ${u} of ${limit} ${res}`);
  }
}

function quotaView(values: Record<string, number>, mv: number, id?: string): Json {
  const out: Json = id === undefined ? {} : { id };
  for (const k of keysAt(mv)) out[k] = values[k];
  return out;
}

export function registerQuotas(app: FastifyInstance, core: ComputeCore): void {
  const targetOf = (req: FastifyRequest, ctx: ComputeCtx): { project: string; user?: string } => {
    const project = param(req, 'project');
    const user = queryOf(req).get('user_id') ?? undefined;
    computePolicy.enforce('os_compute_api:os-quota-sets:show', ctx.auth, { project_id: project });
    return user ? { project, user } : { project };
  };

  app.get('/v2.1/os-quota-sets/:project', async (req) => {
    const ctx = ctxOf(req);
    const t = targetOf(req, ctx);
    return { quota_set: quotaView(limitsOf(core, t.project, t.user), ctx.mv, t.project) };
  });
  app.get('/v2.1/os-quota-sets/:project/defaults', async (req) => ({ quota_set: quotaView(classDefaults(core), ctxOf(req).mv, param(req, 'project')) }));
  app.get('/v2.1/os-quota-sets/:project/detail', async (req) => {
    const ctx = ctxOf(req);
    const t = targetOf(req, ctx);
    const limits = limitsOf(core, t.project, t.user);
    const used = usageOf(core, t.project, t.user);
    const out: Json = { id: t.project };
    for (const k of keysAt(ctx.mv)) out[k] = { limit: limits[k], in_use: used[k] ?? 0, reserved: 0 };
    return { quota_set: out };
  });
  app.put('/v2.1/os-quota-sets/:project', async (req) => {
    const ctx = ctxOf(req);
    computePolicy.enforce('os_compute_api:os-quota-sets:update', ctx.auth);
    const project = param(req, 'project');
    const user = queryOf(req).get('user_id') ?? undefined;
    const b = member(req.body, 'quota_set');
    const allowed = new Set([...keysAt(ctx.mv), 'force']);
    const changes: Record<string, number> = {};
    const force = b.force === undefined ? false : bool(b.force, 'force');
    for (const [k, v] of Object.entries(b)) {
      if (!allowed.has(k)) throw badRequest(`Additional properties are not allowed ('${k}' was unexpected)`);
      if (k === 'force') continue;
      changes[k] = int(v, k, -1);
    }
    if (!force) {
      const used = usageOf(core, project, user);
      for (const [k, v] of Object.entries(changes)) {
        if (v >= 0 && (used[k] ?? 0) > v) throw badRequest(`Quota limit ${v} for ${k} must be greater than or equal to already used and reserved ${used[k] ?? 0}.`);
      }
    }
    const id = user ? `${project}/${user}` : project;
    await core.repo.writes.run(async () => {
      if (core.repo.quotas.has(id)) await core.repo.quotas.update(id, (q) => ({ ...q, limits: { ...q.limits, ...changes } }));
      else await core.repo.quotas.create({ id, limits: changes });
    });
    return { quota_set: quotaView(limitsOf(core, project, user), ctx.mv) };
  });
  app.delete('/v2.1/os-quota-sets/:project', async (req, reply) => {
    const ctx = ctxOf(req);
    computePolicy.enforce('os_compute_api:os-quota-sets:update', ctx.auth);
    const user = queryOf(req).get('user_id');
    await core.repo.quotas.deleteIfExists(user ? `${param(req, 'project')}/${user}` : param(req, 'project'));
    return reply.code(202).send();
  });

  // Quota classes: only `default` exists; its values are the defaults of every project.
  app.get('/v2.1/os-quota-class-sets/:id', async (req) => ({ quota_class_set: quotaView(classDefaults(core), ctxOf(req).mv, param(req, 'id')) }));
  app.put('/v2.1/os-quota-class-sets/:id', async (req) => {
    const ctx = ctxOf(req);
    computePolicy.enforce('os_compute_api:os-quota-sets:update', ctx.auth);
    const b = member(req.body, 'quota_class_set');
    const keys = new Set(keysAt(ctx.mv));
    const changes: Record<string, number> = {};
    for (const [k, v] of Object.entries(b)) {
      if (!keys.has(k)) throw badRequest(`Additional properties are not allowed ('${k}' was unexpected)`);
      changes[k] = int(v, k, -1);
    }
    await core.repo.writes.run(async () => {
      if (core.repo.quotas.has(CLASS_ID)) await core.repo.quotas.update(CLASS_ID, (q) => ({ ...q, limits: { ...q.limits, ...changes } }));
      else await core.repo.quotas.create({ id: CLASS_ID, limits: changes });
    });
    return { quota_class_set: quotaView(classDefaults(core), ctx.mv) };
  });

  app.get('/v2.1/limits', async (req) => {
    const ctx = ctxOf(req);
    const asked = queryOf(req).get('tenant_id');
    if (asked && asked !== ctx.projectId && !ctx.admin) throw new KosError('Forbidden', 'Policy doesn\'t allow os_compute_api:limits:other_project to be performed.');
    const project = asked ?? ctx.projectId;
    const l = limitsOf(core, project);
    const u = usageOf(core, project);
    const absolute: Json = {
      maxImageMeta: l.metadata_items, maxPersonality: l.injected_files, maxPersonalitySize: l.injected_file_content_bytes,
      maxSecurityGroupRules: l.security_group_rules, maxSecurityGroups: l.security_groups, maxServerMeta: l.metadata_items,
      maxTotalCores: l.cores, maxTotalFloatingIps: l.floating_ips, maxTotalInstances: l.instances, maxTotalKeypairs: l.key_pairs,
      maxTotalRAMSize: l.ram, maxServerGroups: l.server_groups, maxServerGroupMembers: l.server_group_members,
      totalCoresUsed: u.cores, totalInstancesUsed: u.instances, totalRAMUsed: u.ram, totalSecurityGroupsUsed: 0,
      totalFloatingIpsUsed: 0, totalServerGroupsUsed: u.server_groups,
    };
    if (ctx.mv >= 36) for (const k of ['maxSecurityGroupRules', 'maxSecurityGroups', 'maxTotalFloatingIps', 'totalSecurityGroupsUsed', 'totalFloatingIpsUsed']) delete absolute[k];
    if (ctx.mv >= 57) for (const k of ['maxPersonality', 'maxPersonalitySize']) delete absolute[k];
    return { limits: { rate: [], absolute } };
  });
}
