/**
 * GET /servers and /servers/detail: Nova's filters (name as a regex, status, image,
 * flavor, host and project for admins, changes-since/before, ip, tags, locked,
 * reservation_id, availability_zone), all_tenants for admins, multi-key sorting and
 * limit/marker paging with `servers_links`.
 */
import type { FastifyRequest } from 'fastify';
import type { ComputeCtx } from '../context.js';
import type { ComputeCore } from '../core.js';
import { badRequest } from '../errors.js';
import { baseUrl, bool, linksOf, queryOf, type Json } from '../http.js';
import { nextLinks, paginate, sortItems, type Scalar } from '../listing.js';
import type { Server } from '../model.js';
import { computePolicy } from '../policy.js';
import { statusOf } from './status.js';
import { serverView } from './views.js';

const SORT_KEYS: Record<string, (s: Server) => Scalar> = {
  created_at: (s) => s.created_at, updated_at: (s) => s.updated_at, display_name: (s) => s.name, uuid: (s) => s.id,
  vm_state: (s) => s.vm_state, task_state: (s) => s.task_state, power_state: (s) => s.power_state, launched_at: (s) => s.launched_at,
  availability_zone: (s) => s.availability_zone, key_name: (s) => s.key_name, hostname: (s) => s.hostname, project_id: (s) => s.project_id,
  user_id: (s) => s.user_id, image_ref: (s) => s.image_ref, instance_type_id: (s) => s.flavor.id, reservation_id: (s) => s.reservation_id,
  access_ip_v4: (s) => s.access_ipv4, access_ip_v6: (s) => s.access_ipv6, locked: (s) => s.locked, host: (s) => s.host, node: (s) => s.host,
  display_description: (s) => s.description, launch_index: (s) => s.launch_index, config_drive: (s) => s.config_drive,
};
const ADMIN_SORT_KEYS = new Set(['host', 'node']);

const ISO = /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?)?(Z|[+-]\d{2}:?\d{2})?$/;

const time = (v: string, field: string): number => {
  const t = ISO.test(v) ? Date.parse(v) : NaN;
  if (Number.isNaN(t)) throw badRequest(`Invalid input for query parameters ${field}. Value: ${v}. '${v}' is not a 'date-time'`);
  return t;
};

export function listServers(req: FastifyRequest, core: ComputeCore, ctx: ComputeCtx, detail: boolean): Json {
  const q = queryOf(req);
  const allTenants = q.has('all_tenants') && (q.get('all_tenants') === '' || bool(q.get('all_tenants'), 'all_tenants'));
  if (allTenants) computePolicy.enforce('os_compute_api:servers:detail:get_all_tenants', ctx.auth);
  // As in Nova, tenant_id/project_id narrow an all_tenants listing and are ignored without it.
  const projectFilter = ctx.admin && allTenants ? (q.get('project_id') ?? q.get('tenant_id')) : null;
  const scope = allTenants ? core.repo.servers.list() : core.repo.servers.byIndex('project', ctx.projectId);
  const tests: ((s: Server) => boolean)[] = [];
  const name = q.get('name');
  if (name !== null) {
    let re: RegExp;
    try { re = new RegExp(name); } catch { re = new RegExp(name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')); }
    tests.push((s) => re.test(s.name));
  }
  const statuses = q.getAll('status').map((x) => x.toUpperCase());
  if (statuses.length) tests.push((s) => statuses.includes(statusOf(s)));
  const image = q.get('image');
  if (image !== null) tests.push((s) => s.image_ref === image.split('/').pop());
  const flavor = q.get('flavor');
  if (flavor !== null) tests.push((s) => s.flavor.id === flavor.split('/').pop());
  if (projectFilter) tests.push((s) => s.project_id === projectFilter);
  if (ctx.admin) {
    const host = q.get('host') ?? q.get('node');
    if (host !== null) tests.push((s) => s.host === host);
    const user = q.get('user_id');
    if (user !== null) tests.push((s) => s.user_id === user);
  }
  const since = q.get('changes-since');
  if (since !== null) { const t = time(since, 'changes-since'); tests.push((s) => Date.parse(s.updated_at) >= t); }
  const before = ctx.mv >= 66 ? q.get('changes-before') : null;
  if (before !== null) {
    const t = time(before, 'changes-before');
    if (since !== null && time(since, 'changes-since') > t) throw badRequest('The value of changes-since must be less than or equal to changes-before.');
    tests.push((s) => Date.parse(s.updated_at) <= t);
  }
  const ip = q.get('ip');
  if (ip !== null) { let re: RegExp; try { re = new RegExp(ip); } catch { re = /$^/; } tests.push((s) => s.ports.some((p) => p.ips.some((i) => i.version === 4 && re.test(i.address)))); }
  const ip6 = q.get('ip6');
  if (ip6 !== null) tests.push((s) => s.ports.some((p) => p.ips.some((i) => i.version === 6 && i.address.includes(ip6))));
  const az = q.get('availability_zone');
  if (az !== null) tests.push((s) => s.availability_zone === az);
  const reservation = q.get('reservation_id');
  if (reservation !== null) tests.push((s) => s.reservation_id === reservation);
  const keyName = q.get('key_name');
  if (keyName !== null) tests.push((s) => s.key_name === keyName);
  if (ctx.mv >= 73 && q.get('locked') !== null) { const l = bool(q.get('locked'), 'locked'); tests.push((s) => s.locked === l); }
  if (ctx.mv >= 26) {
    const split = (k: string) => q.getAll(k).flatMap((v) => v.split(',')).filter((t) => t !== '');
    const all = split('tags'); const any = split('tags-any'); const notAll = split('not-tags'); const notAny = split('not-tags-any');
    if (all.length) tests.push((s) => all.every((t) => s.tags.includes(t)));
    if (any.length) tests.push((s) => any.some((t) => s.tags.includes(t)));
    if (notAll.length) tests.push((s) => !notAll.every((t) => s.tags.includes(t)));
    if (notAny.length) tests.push((s) => !notAny.some((t) => s.tags.includes(t)));
  }
  const matched = scope.filter((s) => tests.every((t) => t(s)));

  const keys = q.getAll('sort_key');
  const dirs = q.getAll('sort_dir');
  for (const d of dirs) if (d !== 'asc' && d !== 'desc') throw badRequest(`Invalid input for query parameters sort_dir. Value: ${d}. '${d}' is not one of ['asc', 'desc']`);
  const spec = (keys.length ? keys : ['created_at', 'uuid']).map((key, i) => {
    if (!SORT_KEYS[key] || (ADMIN_SORT_KEYS.has(key) && !ctx.admin)) throw badRequest(`Invalid input for query parameters sort_key. Value: ${key}.`);
    return { key, dir: (dirs[i] ?? dirs[0] ?? 'desc') as 'asc' | 'desc' };
  });
  if (!spec.some((k) => k.key === 'uuid')) spec.push({ key: 'uuid', dir: spec[0]!.dir });
  const sorted = sortItems(matched, { keys: spec, valueOf: (s, k) => SORT_KEYS[k]!(s) });
  const limit = q.get('limit');
  const page = paginate(sorted, { limit: limit ?? undefined, marker: q.get('marker') ?? undefined }, (s) => s.id);
  const out: Json = {
    servers: page.items.map((s) => (detail ? serverView(req, core, s, ctx) : { id: s.id, name: s.name, links: linksOf(req, 'servers', s.id) })),
  };
  const links = nextLinks(`${baseUrl(req)}/v2.1/servers${detail ? '/detail' : ''}`, q, page.next);
  if (links) out.servers_links = links;
  return out;
}
