/**
 * Server groups (os-server-groups): affinity, anti-affinity and the soft variants; the
 * `policies` list before 2.64, `policy` and `rules` after. Members are added by server
 * create (scheduler hint `group`) and removed when a server is deleted.
 */
import type { FastifyInstance } from 'fastify';
import { uuid } from '../../core/ids.js';
import type { ComputeCtx } from './context.js';
import type { ComputeCore } from './core.js';
import { badRequest, notFound } from './errors.js';
import { ctxOf, int, isObject, member, param, queryOf, str, type Json } from './http.js';
import type { ServerGroup } from './model.js';
import { computePolicy } from './policy.js';
import { checkQuota } from './quotas.js';

const POLICIES = ['affinity', 'anti-affinity', 'soft-affinity', 'soft-anti-affinity'] as const;

export function findGroup(core: ComputeCore, ctx: ComputeCtx, id: string): ServerGroup {
  const g = core.repo.groups.get(id);
  if (!g || !computePolicy.allowed('os_compute_api:os-server-groups:show', ctx.auth, { project_id: g.project_id })) {
    throw notFound(`Instance group ${id} could not be found.`);
  }
  return g;
}

function view(g: ServerGroup, ctx: ComputeCtx): Json {
  const v: Json = { id: g.id, name: g.name, members: g.members };
  if (ctx.mv >= 64) Object.assign(v, { policy: g.policy, rules: g.rules });
  else Object.assign(v, { policies: [g.policy], metadata: {} });
  if (ctx.mv >= 13) Object.assign(v, { project_id: g.project_id, user_id: g.user_id });
  return v;
}

export function registerServerGroups(app: FastifyInstance, core: ComputeCore): void {
  const repo = core.repo.groups;
  app.get('/v2.1/os-server-groups', async (req) => {
    const ctx = ctxOf(req);
    const q = queryOf(req);
    const all = q.get('all_projects') !== null && ctx.admin;
    let items = repo.list((g) => all || g.project_id === ctx.projectId).sort((a, b) => a.created_at.localeCompare(b.created_at) || a.id.localeCompare(b.id));
    const offset = q.get('offset');
    if (offset !== null) items = items.slice(int(offset, 'offset'));
    const limit = q.get('limit');
    if (limit !== null) items = items.slice(0, int(limit, 'limit', 1));
    return { server_groups: items.map((g) => view(g, ctx)) };
  });
  app.get('/v2.1/os-server-groups/:id', async (req) => {
    const ctx = ctxOf(req);
    return { server_group: view(findGroup(core, ctx, param(req, 'id')), ctx) };
  });
  app.post('/v2.1/os-server-groups', async (req) => {
    const ctx = ctxOf(req);
    const b = member(req.body, 'server_group');
    const name = str(b.name, 'name');
    let policy: string;
    let rules: Record<string, number> = {};
    if (ctx.mv >= 64) {
      if ('policies' in b) throw badRequest(`Additional properties are not allowed ('policies' was unexpected)`);
      policy = str(b.policy, 'policy');
      if (b.rules !== undefined) {
        if (!isObject(b.rules)) throw badRequest('Invalid input for field/attribute rules.');
        for (const [k, v] of Object.entries(b.rules)) {
          if (k !== 'max_server_per_host') throw badRequest(`Additional properties are not allowed ('${k}' was unexpected)`);
          rules[k] = int(v, k, 1);
        }
        if (Object.keys(rules).length > 0 && policy !== 'anti-affinity') throw badRequest(`Only anti-affinity policy supports "max_server_per_host" rule.`);
      }
    } else {
      const p = b.policies;
      if (!Array.isArray(p) || p.length !== 1 || typeof p[0] !== 'string') throw badRequest(`Invalid input for field/attribute policies. Value: ${JSON.stringify(p)}.`);
      policy = p[0];
      rules = {};
    }
    if (!(POLICIES as readonly string[]).includes(policy) || (ctx.mv < 15 && policy.startsWith('soft-'))) {
      throw badRequest(`Invalid input for field/attribute policy. Value: ${policy}. '${policy}' is not one of ${JSON.stringify(POLICIES)}`);
    }
    for (const k of Object.keys(b)) if (!['name', 'policies', 'policy', 'rules'].includes(k)) throw badRequest(`Additional properties are not allowed ('${k}' was unexpected)`);
    const g = await core.repo.writes.run(async () => {
      checkQuota(core, ctx.projectId, { server_groups: 1 });
      return repo.create({
        id: uuid(), name, policy: policy as ServerGroup['policy'], rules, members: [], project_id: ctx.projectId, user_id: ctx.userId, created_at: core.now(),
      });
    });
    return { server_group: view(g, ctx) };
  });
  app.delete('/v2.1/os-server-groups/:id', async (req, reply) => {
    const ctx = ctxOf(req);
    const g = findGroup(core, ctx, param(req, 'id'));
    await repo.delete(g.id);
    return reply.code(204).send();
  });
}
