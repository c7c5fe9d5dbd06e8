/**
 * Metering labels and their rules (the `metering` extension): admin-managed traffic
 * classes a router meters. kos stores and serves them; the data plane does not count
 * bytes yet, so they are API objects only. Rules of one label may not overlap in the same
 * direction and exclusion, and a label's rules go with it.
 */
import type { NetCtx } from './context.js';
import { policyRefusal } from './context.js';
import type { NetworkCore } from './core.js';
import { badRequest, conflict } from './errors.js';
import { overlaps, parseCidr } from './ip.js';
import type { MeteringLabel, MeteringLabelRule, StandardAttrs } from './model.js';
import type { Json, ResourceDef } from './resource.js';
import { bool, cidrStr, oneOf, str, uuidStr, type Check } from './validate.js';

const nullableCidr: Check = (v, attr) => (v === null ? null : cidrStr(v, attr));

const adminOnly = (ctx: NetCtx, action: string): void => {
  if (!ctx.admin) policyRefusal(action);
};

export function meteringLabelDef(core: NetworkCore): ResourceDef<MeteringLabel> {
  const repo = core.repo;
  return {
    member: 'metering_label',
    plural: 'metering_labels',
    path: 'metering/metering-labels',
    collection: repo.meteringLabels,
    attrs: {
      name: { create: true, update: true, check: str(255), default: () => '' },
      shared: { create: true, check: bool, default: () => false },
    },
    visibleToOthers: (l) => l.shared,
    writable: (_l, ctx) => ctx.admin,
    view(l: MeteringLabel): Json {
      return { id: l.id, name: l.name, description: l.description, shared: l.shared };
    },
    create(input: Json, std: StandardAttrs, ctx: NetCtx): MeteringLabel {
      adminOnly(ctx, 'create_metering_label');
      return { ...std, name: input.name as string, shared: input.shared as boolean };
    },
    update(l: MeteringLabel, patch: Json): MeteringLabel {
      return { ...l, ...(patch as Partial<MeteringLabel>) };
    },
    async beforeDelete(l: MeteringLabel): Promise<void> {
      for (const r of repo.meteringLabelRules.byIndex('metering_label_id', l.id)) await repo.meteringLabelRules.delete(r.id);
    },
  };
}

const prefixesOf = (r: Pick<MeteringLabelRule, 'remote_ip_prefix' | 'source_ip_prefix' | 'destination_ip_prefix'>) =>
  [r.remote_ip_prefix, r.source_ip_prefix, r.destination_ip_prefix];

export function meteringLabelRuleDef(core: NetworkCore): ResourceDef<MeteringLabelRule> {
  const repo = core.repo;
  return {
    member: 'metering_label_rule',
    plural: 'metering_label_rules',
    path: 'metering/metering-label-rules',
    collection: repo.meteringLabelRules,
    indexed: ['metering_label_id'],
    attrs: {
      metering_label_id: { create: true, check: uuidStr },
      direction: { create: true, check: oneOf(['ingress', 'egress']), default: () => 'ingress' },
      excluded: { create: true, check: bool, default: () => false },
      remote_ip_prefix: { create: true, check: nullableCidr, default: () => null },
      source_ip_prefix: { create: true, check: nullableCidr, default: () => null },
      destination_ip_prefix: { create: true, check: nullableCidr, default: () => null },
    },
    visibleToOthers: (r) => repo.meteringLabels.get(r.metering_label_id)?.shared ?? false,
    writable: (_r, ctx) => ctx.admin,
    view(r: MeteringLabelRule): Json {
      return {
        id: r.id, metering_label_id: r.metering_label_id, direction: r.direction, excluded: r.excluded,
        remote_ip_prefix: r.remote_ip_prefix, source_ip_prefix: r.source_ip_prefix, destination_ip_prefix: r.destination_ip_prefix,
      };
    },
    create(input: Json, std: StandardAttrs, ctx: NetCtx): MeteringLabelRule {
      adminOnly(ctx, 'create_metering_label_rule');
      const labelId = input.metering_label_id as string | undefined;
      if (!labelId) throw badRequest("Failed to parse request. Required attribute 'metering_label_id' not specified");
      core.res.meteringLabels.find(labelId, ctx);
      const rule: MeteringLabelRule = {
        ...std,
        metering_label_id: labelId,
        direction: input.direction as 'ingress' | 'egress',
        excluded: input.excluded as boolean,
        remote_ip_prefix: input.remote_ip_prefix as string | null,
        source_ip_prefix: input.source_ip_prefix as string | null,
        destination_ip_prefix: input.destination_ip_prefix as string | null,
      };
      if (rule.remote_ip_prefix !== null && (rule.source_ip_prefix !== null || rule.destination_ip_prefix !== null)) {
        throw badRequest('Cannot use \'remote-ip-prefix\' in conjunction with \'source-ip-prefix\' or \'destination-ip-prefix\'.');
      }
      if (prefixesOf(rule).every((p) => p === null)) {
        throw badRequest('You must define at least one of the following parameters \'remote_ip_prefix\', or \'source_ip_prefix\' or \'destination_ip_prefix\'.');
      }
      for (const other of repo.meteringLabelRules.byIndex('metering_label_id', labelId)) {
        if (other.direction !== rule.direction || other.excluded !== rule.excluded) continue;
        const clash = prefixesOf(rule).some((p, i) => {
          const q = prefixesOf(other)[i];
          return p != null && q != null && overlaps(parseCidr(p)!, parseCidr(q)!);
        });
        if (clash) {
          throw conflict('MeteringLabelRuleOverlaps', `Metering label rule with remote_ip_prefix ${String(rule.remote_ip_prefix)} overlaps another.`);
        }
      }
      return rule;
    },
    update(r: MeteringLabelRule): MeteringLabelRule {
      return r;
    },
  };
}
