/**
 * Nova's security group proxy (os-security-groups, os-security-group-rules, until 2.36):
 * Neutron's groups and ingress rules in Nova's shape, through NetworkCore with the
 * caller's identity so Neutron's own policy and quotas hold.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { KosError } from '../../core/errors.js';
import { netCtxOf } from '../network/context.js';
import type { SecurityGroup, SecurityGroupRule } from '../network/model.js';
import type { ComputeCtx } from './context.js';
import type { ComputeCore } from './core.js';
import { badRequest, notFound } from './errors.js';
import { ctxOf, member, param, type Json } from './http.js';
import { findServer } from './servers/access.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function registerSecurityGroupProxy(app: FastifyInstance, core: ComputeCore): void {
  const net = core.peers.network;
  const guard = (req: FastifyRequest): ComputeCtx => {
    const ctx = ctxOf(req);
    if (ctx.mv >= 36) throw notFound('The resource could not be found.');
    return ctx;
  };
  const notFoundAs = <T>(msg: string, f: () => T): T => {
    try {
      return f();
    } catch (e) {
      if (e instanceof KosError && e.kind === 'NotFound') throw notFound(msg);
      throw e;
    }
  };
  const findGroup = (ctx: ComputeCtx, id: string): SecurityGroup => {
    if (!UUID.test(id)) throw badRequest(`Invalid security group id ${id}`);
    return notFoundAs(`Security group ${id} not found.`, () => net.res.securityGroups.find(id, netCtxOf(ctx.auth)));
  };
  const ruleView = (r: SecurityGroupRule): Json => {
    const group = r.remote_group_id ? net.repo.securityGroups.get(r.remote_group_id) : undefined;
    return {
      id: r.id, parent_group_id: r.security_group_id, ip_protocol: r.protocol, from_port: r.port_range_min ?? (r.protocol === 'icmp' ? -1 : null),
      to_port: r.port_range_max ?? (r.protocol === 'icmp' ? -1 : null),
      ip_range: r.remote_ip_prefix ? { cidr: r.normalized_cidr ?? r.remote_ip_prefix } : r.remote_group_id ? {} : { cidr: r.ethertype === 'IPv6' ? '::/0' : '0.0.0.0/0' },
      group: group ? { name: group.name, tenant_id: group.project_id } : {},
    };
  };
  const view = (g: SecurityGroup): Json => ({
    id: g.id, name: g.name, description: g.description, tenant_id: g.project_id,
    rules: net.repo.securityGroupRules.byIndex('security_group_id', g.id).filter((r) => r.direction === 'ingress').map(ruleView),
  });
  const checkText = (v: unknown, field: string): string => {
    if (typeof v !== 'string') throw badRequest(`Security group ${field} is not a string or unicode`);
    if (v.trim() === '') throw badRequest(`Security group ${field} cannot be empty.`);
    if (v.length > 255) throw badRequest(`Security group ${field} should not be greater than 255 characters.`);
    return v;
  };

  app.get('/v2.1/os-security-groups', async (req) => {
    const ctx = guard(req);
    await net.res.securityGroups.def.beforeList?.(netCtxOf(ctx.auth));
    const groups = net.repo.securityGroups.list((g) => g.project_id === ctx.projectId);
    return { security_groups: groups.map(view) };
  });
  app.get('/v2.1/os-security-groups/:id', async (req) => ({ security_group: view(findGroup(guard(req), param(req, 'id'))) }));
  app.post('/v2.1/os-security-groups', async (req) => {
    const ctx = guard(req);
    const b = member(req.body, 'security_group');
    const name = checkText(b.name, 'name');
    const description = checkText(b.description ?? name, 'description');
    if (name === 'default') throw badRequest('Default security group can not be created');
    const g = await net.res.securityGroups.create({ name, description }, netCtxOf(ctx.auth));
    return { security_group: view(g) };
  });
  app.put('/v2.1/os-security-groups/:id', async (req) => {
    const ctx = guard(req);
    const g = findGroup(ctx, param(req, 'id'));
    const b = member(req.body, 'security_group');
    const name = checkText(b.name, 'name');
    const description = checkText(b.description, 'description');
    if (g.name === 'default') throw badRequest('Unable to update system group \'default\'');
    const next = await net.res.securityGroups.update(g.id, { name, description }, netCtxOf(ctx.auth));
    return { security_group: view(next) };
  });
  app.delete('/v2.1/os-security-groups/:id', async (req, reply) => {
    const ctx = guard(req);
    const g = findGroup(ctx, param(req, 'id'));
    if (g.name === 'default') throw badRequest('Unable to delete system group \'default\'');
    await net.res.securityGroups.remove(g.id, netCtxOf(ctx.auth));
    return reply.code(202).send();
  });

  app.post('/v2.1/os-security-group-rules', async (req) => {
    const ctx = guard(req);
    const b = member(req.body, 'security_group_rule');
    const parent = String(b.parent_group_id ?? '');
    if (!UUID.test(parent)) throw badRequest(`Invalid parent_group_id ${parent}`);
    const g = notFoundAs(`Security group ${parent} not found.`, () => net.res.securityGroups.find(parent, netCtxOf(ctx.auth)));
    const proto = b.ip_protocol === undefined || b.ip_protocol === null ? null : String(b.ip_protocol).toLowerCase();
    if (proto !== null && !['tcp', 'udp', 'icmp'].includes(proto)) throw badRequest(`Invalid IP protocol ${String(b.ip_protocol)}.`);
    const port = (v: unknown, field: string): number | null => {
      if (v === undefined || v === null || v === '') return null;
      const n = Number(v);
      if (!Number.isInteger(n)) throw badRequest(`Invalid ${field}: ${String(v)}`);
      return n;
    };
    let from = port(b.from_port, 'from_port');
    let to = port(b.to_port, 'to_port');
    if (proto === 'tcp' || proto === 'udp') {
      if (from === null || to === null || from < 1 || to > 65535 || from > to) throw badRequest('Invalid port range. Valid TCP ports should be between 1-65535');
    } else if (proto === 'icmp') {
      if (from !== null && (from < -1 || from > 255)) throw badRequest('Invalid ICMP type.');
      if (to !== null && (to < -1 || to > 255)) throw badRequest('Invalid ICMP code.');
      if (from === -1) from = null;
      if (to === -1) to = null;
    }
    const cidr = b.cidr === undefined || b.cidr === null ? null : String(b.cidr);
    const remoteGroup = b.group_id === undefined || b.group_id === null ? null : String(b.group_id);
    if (remoteGroup) notFoundAs(`Security group ${remoteGroup} not found.`, () => net.res.securityGroups.find(remoteGroup, netCtxOf(ctx.auth)));
    const dup = net.repo.securityGroupRules.byIndex('security_group_id', g.id).some((r) => r.direction === 'ingress' && r.protocol === proto &&
      r.port_range_min === from && r.port_range_max === to && (r.remote_ip_prefix ?? null) === (cidr ?? (remoteGroup ? null : '0.0.0.0/0')) && r.remote_group_id === remoteGroup);
    if (dup) throw badRequest(`This rule already exists in group ${g.id}`);
    try {
      const r = await net.res.securityGroupRules.create({
        security_group_id: g.id, direction: 'ingress', ethertype: cidr?.includes(':') ? 'IPv6' : 'IPv4', protocol: proto,
        port_range_min: from, port_range_max: to, remote_ip_prefix: cidr ?? (remoteGroup ? null : '0.0.0.0/0'), remote_group_id: remoteGroup,
      }, netCtxOf(ctx.auth));
      return { security_group_rule: ruleView(r) };
    } catch (e) {
      if (e instanceof KosError && e.kind === 'Conflict') throw badRequest(e.message);
      throw e;
    }
  });
  app.delete('/v2.1/os-security-group-rules/:id', async (req, reply) => {
    const ctx = guard(req);
    const id = param(req, 'id');
    if (!UUID.test(id)) throw badRequest(`Invalid rule id ${id}`);
    notFoundAs(`Rule ${id} not found.`, () => net.res.securityGroupRules.find(id, netCtxOf(ctx.auth)));
    await net.res.securityGroupRules.remove(id, netCtxOf(ctx.auth));
    return reply.code(202).send();
  });

  app.get('/v2.1/servers/:id/os-security-groups', async (req) => {
    const ctx = ctxOf(req);
    const s = findServer(core, ctx, param(req, 'id'));
    const groups = net.repo.securityGroups.list((g) => g.project_id === s.project_id && s.security_groups.includes(g.name));
    return { security_groups: groups.map(view) };
  });
}
