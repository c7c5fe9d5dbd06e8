/**
 * Security groups and rules. Every project gets its `default` group on first use with
 * Neutron's four rules (ingress from the group itself and all egress, IPv4 and IPv6);
 * rules are validated as Neutron does and duplicates answer 409 SecurityGroupRuleExists.
 */
import { uuid } from '../../core/ids.js';
import type { NetCtx } from './context.js';
import type { NetworkCore } from './core.js';
import { badRequest, conflict, neutronError } from './errors.js';
import { formatCidr, parseCidr } from './ip.js';
import type { SecurityGroup, SecurityGroupRule, StandardAttrs } from './model.js';
import type { Json, ResourceDef } from './resource.js';
import { bool, nullableInt, nullableUuid, oneOf, str, uuidStr } from './validate.js';
import { neutronTime } from './time.js';

const PROTOCOLS: Record<string, number> = {
  ah: 51, dccp: 33, egp: 8, esp: 50, gre: 47, icmp: 1, icmpv6: 58, igmp: 2, ipip: 4, 'ipv6-encap': 41, 'ipv6-frag': 44,
  'ipv6-icmp': 58, 'ipv6-nonxt': 59, 'ipv6-opts': 60, 'ipv6-route': 43, ospf: 89, pgm: 113, rsvp: 46, sctp: 132, tcp: 6,
  udp: 17, udplite: 136, vrrp: 112,
};
const PORT_PROTOCOLS = new Set(['tcp', 'udp', 'dccp', 'sctp', 'udplite', '6', '17', '33', '132', '136']);
const ICMP_PROTOCOLS = new Set(['icmp', 'icmpv6', 'ipv6-icmp', '1', '58']);

/** The project's default group, created with its rules when missing. Call under the write lock. */
export async function ensureDefaultGroup(core: NetworkCore, projectId: string): Promise<string> {
  const repo = core.repo;
  const known = repo.defaultGroups.get(projectId);
  if (known && repo.securityGroups.has(known.security_group_id)) return known.security_group_id;
  const now = neutronTime(core.clock.now());
  const std = (): StandardAttrs => ({ id: uuid(), project_id: projectId, description: '', tags: [], revision_number: 0, created_at: now, updated_at: now });
  const group: SecurityGroup = { ...std(), name: 'default', description: 'Default security group', stateful: true, shared: false };
  await repo.securityGroups.create(group);
  const rule = (direction: 'ingress' | 'egress', ethertype: 'IPv4' | 'IPv6'): SecurityGroupRule => ({
    ...std(), security_group_id: group.id, direction, ethertype, protocol: null, port_range_min: null, port_range_max: null,
    remote_ip_prefix: null, remote_group_id: direction === 'ingress' ? group.id : null, remote_address_group_id: null,
    normalized_cidr: null, belongs_to_default_sg: true,
  });
  for (const r of [rule('ingress', 'IPv4'), rule('ingress', 'IPv6'), rule('egress', 'IPv4'), rule('egress', 'IPv6')]) {
    await repo.securityGroupRules.create(r);
  }
  await repo.defaultGroups.deleteIfExists(projectId);
  await repo.defaultGroups.create({ id: projectId, security_group_id: group.id });
  return group.id;
}

export function securityGroupDef(core: NetworkCore): ResourceDef<SecurityGroup> {
  const repo = core.repo;
  const ensureForCaller = async (ctx: NetCtx) => {
    if (ctx.projectId && !repo.defaultGroups.has(ctx.projectId)) await core.writes.run(() => ensureDefaultGroup(core, ctx.projectId));
  };
  return {
    member: 'security_group',
    plural: 'security_groups',
    path: 'security-groups',
    collection: repo.securityGroups,
    quota: 'security_group',
    attrs: {
      name: { create: true, update: true, check: str(255), default: () => '' },
      stateful: { create: true, update: true, check: bool, default: () => true },
      shared: { create: true, adminOnly: true, check: bool, default: () => false },
    },
    visibleToOthers: (g) => g.shared,
    beforeList: ensureForCaller,
    view(g: SecurityGroup, ctx: NetCtx): Json {
      const { project_id: _p, ...rest } = g;
      const rules = repo.securityGroupRules.byIndex('security_group_id', g.id).map((r) => core.res.securityGroupRules.render(r, ctx));
      return { ...rest, security_group_rules: rules };
    },
    async create(input: Json, std: StandardAttrs): Promise<SecurityGroup> {
      await ensureDefaultGroup(core, std.project_id);
      if (input.name === 'default') throw conflict('SecurityGroupDefaultAlreadyExists', 'Default security group already exists.');
      return { ...std, name: input.name as string, stateful: input.stateful as boolean, shared: input.shared as boolean };
    },
    async afterCreate(g: SecurityGroup): Promise<void> {
      // Neutron gives every new group the two egress rules.
      await core.writes.run(async () => {
        const now = neutronTime(core.clock.now());
        for (const ethertype of ['IPv4', 'IPv6'] as const) {
          await repo.securityGroupRules.create({
            id: uuid(), project_id: g.project_id, description: '', tags: [], revision_number: 0, created_at: now, updated_at: now,
            security_group_id: g.id, direction: 'egress', ethertype, protocol: null, port_range_min: null, port_range_max: null,
            remote_ip_prefix: null, remote_group_id: null, remote_address_group_id: null, normalized_cidr: null, belongs_to_default_sg: false,
          });
        }
      });
    },
    update(g: SecurityGroup, patch: Json): SecurityGroup {
      if (g.name !== 'default' && patch.name === 'default') {
        throw conflict('SecurityGroupDefaultAlreadyExists', 'Default security group already exists.');
      }
      if (g.name === 'default' && patch.name !== undefined && patch.name !== 'default') {
        throw conflict('SecurityGroupCannotUpdateDefault', 'Updating default security group not allowed.');
      }
      return { ...g, ...(patch as Partial<SecurityGroup>) };
    },
    async beforeDelete(g: SecurityGroup, ctx: NetCtx): Promise<void> {
      if (repo.defaultGroups.get(g.project_id)?.security_group_id === g.id && !ctx.admin) {
        throw conflict('SecurityGroupCannotRemoveDefault', 'Removing default security group not allowed.');
      }
      if (repo.ports.list((p) => p.security_groups.includes(g.id)).length > 0) {
        throw conflict('SecurityGroupInUse', `Security Group ${g.id} in use.`);
      }
      for (const r of repo.securityGroupRules.byIndex('security_group_id', g.id)) await repo.securityGroupRules.delete(r.id);
      if (repo.defaultGroups.get(g.project_id)?.security_group_id === g.id) await repo.defaultGroups.delete(g.project_id);
    },
  };
}

function normalizeProtocol(p: unknown): string | null {
  if (p === null || p === undefined || p === 'any' || p === '') return null;
  const s = String(p).toLowerCase();
  if (s in PROTOCOLS) return s;
  if (/^\d+$/.test(s) && Number(s) <= 255) return s;
  throw badRequest(`Security group rule protocol ${String(p)} not supported. Only protocol values [None, ${Object.keys(PROTOCOLS).join(', ')}] and integer representations [0 to 255] are supported.`, 'SecurityGroupRuleInvalidProtocol');
}

export function securityGroupRuleDef(core: NetworkCore): ResourceDef<SecurityGroupRule> {
  const repo = core.repo;
  return {
    member: 'security_group_rule',
    plural: 'security_group_rules',
    path: 'security-group-rules',
    collection: repo.securityGroupRules,
    quota: 'security_group_rule',
    indexed: ['security_group_id'],
    attrs: {
      security_group_id: { create: true, check: uuidStr },
      direction: { create: true, check: oneOf(['ingress', 'egress']) },
      ethertype: { create: true, check: oneOf(['IPv4', 'IPv6']), default: () => 'IPv4' },
      protocol: { create: true },
      port_range_min: { create: true, check: nullableInt() },
      port_range_max: { create: true, check: nullableInt() },
      remote_ip_prefix: { create: true, check: (v, a) => (v === null ? null : typeof v === 'string' && parseCidr(v) ? v : badRequestOf(a, v)) },
      // Not UUID-checked: Neutron answers an unknown (or malformed) remote group with 404.
      remote_group_id: { create: true, check: (v, a) => (v === null ? null : str(255)(v, a)) },
      remote_address_group_id: { create: true, check: nullableUuid },
    },
    visibleToOthers: (r, ctx) => {
      const g = repo.securityGroups.get(r.security_group_id);
      return g !== undefined && (g.shared || g.project_id === ctx.projectId);
    },
    view(r: SecurityGroupRule): Json {
      const { project_id: _p, tags: _t, ...rest } = r;
      return rest;
    },
    create(input: Json, std: StandardAttrs, ctx: NetCtx): SecurityGroupRule {
      const groupId = input.security_group_id as string | undefined;
      if (!groupId) throw badRequest("Failed to parse request. Required attribute 'security_group_id' not specified");
      if (!input.direction) throw badRequest("Failed to parse request. Required attribute 'direction' not specified");
      const group = repo.securityGroups.get(groupId);
      if (!group || !(ctx.admin || group.project_id === ctx.projectId || group.shared)) {
        throw neutronError('NotFound', 'SecurityGroupNotFound', `Security group ${groupId} does not exist`);
      }
      const ethertype = input.ethertype as 'IPv4' | 'IPv6';
      let protocol = normalizeProtocol(input.protocol);
      if (ethertype === 'IPv6' && (protocol === 'icmp' || protocol === '1')) protocol = 'ipv6-icmp';
      if (ethertype === 'IPv4' && (protocol === 'icmpv6' || protocol === 'ipv6-icmp' || protocol === '58')) {
        throw badRequest(`Security group rule for ethertype 'IPv4' not supported. Allowed values are ['IPv6'].`, 'SecurityGroupRuleInvalidEtherType');
      }
      const min = (input.port_range_min as number | null | undefined) ?? null;
      const max = (input.port_range_max as number | null | undefined) ?? null;
      if ((min !== null || max !== null) && protocol === null) {
        throw badRequest('Must also specify protocol if port range is given.', 'SecurityGroupProtocolRequiredWithPorts');
      }
      if (protocol !== null && PORT_PROTOCOLS.has(protocol)) {
        const bad = [min, max].find((v) => v !== null && (v < 1 || v > 65535));
        if (bad !== undefined) throw badRequest(`Invalid value for port ${String(bad)}.`, 'SecurityGroupInvalidPortValue');
        if (min !== null && max !== null && min > max) {
          throw badRequest('For TCP/UDP protocols, port_range_min must be <= port_range_max', 'SecurityGroupInvalidPortRange');
        }
        if ((min === null) !== (max === null)) {
          throw badRequest('For TCP/UDP protocols, port_range_min must be <= port_range_max', 'SecurityGroupInvalidPortRange');
        }
      } else if (protocol !== null && ICMP_PROTOCOLS.has(protocol)) {
        if (min !== null && (min < 0 || min > 255)) throw badRequest(`Invalid value for ICMP type ${min}.`, 'SecurityGroupInvalidIcmpValue');
        if (max !== null && (max < 0 || max > 255)) throw badRequest(`Invalid value for ICMP code ${max}.`, 'SecurityGroupInvalidIcmpValue');
        if (min === null && max !== null) throw badRequest(`ICMP code (port-range-max) ${max} is provided but ICMP type (port-range-min) is missing.`, 'SecurityGroupMissingIcmpType');
      } else if (min !== null || max !== null) {
        throw badRequest(`Invalid protocol ${protocol ?? ''} for port range, only supported for TCP, UDP, UDPLITE, SCTP and DCCP.`, 'SecurityGroupInvalidProtocolForPortRange');
      }
      const prefix = (input.remote_ip_prefix as string | null | undefined) ?? null;
      const remoteGroup = (input.remote_group_id as string | null | undefined) ?? null;
      const remoteAg = (input.remote_address_group_id as string | null | undefined) ?? null;
      if ([prefix, remoteGroup, remoteAg].filter((x) => x !== null).length > 1) {
        throw badRequest('Only remote_ip_prefix or remote_group_id or remote_address_group_id may be provided.', 'SecurityGroupRemoteGroupAndRemoteIpPrefix');
      }
      let normalized: string | null = null;
      if (prefix !== null) {
        const c = parseCidr(prefix)!;
        if ((c.version === 4 ? 'IPv4' : 'IPv6') !== ethertype) {
          throw badRequest(`Conflicting value ethertype ${ethertype} for CIDR ${prefix}`, 'SecurityGroupRuleParameterConflict');
        }
        normalized = formatCidr(c);
      }
      if (remoteGroup !== null && !repo.securityGroups.has(remoteGroup)) {
        throw neutronError('NotFound', 'SecurityGroupNotFound', `Security group ${remoteGroup} does not exist`);
      }
      if (remoteAg !== null && !repo.addressGroups.has(remoteAg)) {
        throw neutronError('NotFound', 'AddressGroupNotFound', `Address group ${remoteAg} could not be found.`);
      }
      const rule: SecurityGroupRule = {
        ...std,
        project_id: group.project_id === std.project_id || !ctx.admin ? std.project_id : group.project_id,
        security_group_id: groupId,
        direction: input.direction as 'ingress' | 'egress',
        ethertype,
        protocol,
        port_range_min: min,
        port_range_max: max,
        remote_ip_prefix: prefix === null ? null : normalized,
        remote_group_id: remoteGroup,
        remote_address_group_id: remoteAg,
        normalized_cidr: normalized,
        belongs_to_default_sg: repo.defaultGroups.get(group.project_id)?.security_group_id === group.id,
      };
      const same = (a: SecurityGroupRule) =>
        a.direction === rule.direction && a.ethertype === rule.ethertype && a.protocol === rule.protocol &&
        a.port_range_min === rule.port_range_min && a.port_range_max === rule.port_range_max &&
        a.normalized_cidr === rule.normalized_cidr && a.remote_group_id === rule.remote_group_id &&
        a.remote_address_group_id === rule.remote_address_group_id;
      const dup = repo.securityGroupRules.byIndex('security_group_id', groupId).find(same);
      if (dup) throw conflict('SecurityGroupRuleExists', `Security group rule already exists. Rule id is ${dup.id}.`);
      return rule;
    },
    update(): SecurityGroupRule {
      throw badRequest('Security group rules cannot be updated.');
    },
  };
}

function badRequestOf(attr: string, v: unknown): never {
  throw badRequest(`Invalid input for ${attr}. Reason: '${String(v)}' is not a valid IP subnet.`);
}
