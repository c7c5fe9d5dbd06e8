/**
 * ClusterRole aggregation, as the real clusterrole-aggregation controller does it: a
 * ClusterRole with an aggregationRule gets, as its rules, the rules of every other
 * ClusterRole its selectors match (in name order, duplicates dropped). Any ClusterRole
 * change may change what an aggregated role should hold, so every change wakes all
 * aggregated roles; each reconcile re-reads the cache and writes only on a difference.
 */
import { labelSelectorFromObject, type LabelSelectorSpec } from '../../apimachinery/index.js';
import type { Informer, Reconciler, ReconcileResult } from '../../../core/reconcile/index.js';
import { isObject, type KubeObject } from '../object.js';
import type { Registry } from '../registry.js';
import type { ResourceDefinition } from '../resource.js';
import { StatusError } from '../status.js';
import { rulesOf, type PolicyRule } from './policy.js';

export function selectorsOf(role: KubeObject): LabelSelectorSpec[] | undefined {
  const rule = role.aggregationRule;
  if (!isObject(rule) || !Array.isArray(rule.clusterRoleSelectors)) return undefined;
  return rule.clusterRoleSelectors.filter(isObject) as LabelSelectorSpec[];
}

const sameRule = (a: PolicyRule, b: PolicyRule): boolean => JSON.stringify(normalize(a)) === JSON.stringify(normalize(b));
const normalize = (r: PolicyRule): PolicyRule => ({
  verbs: r.verbs,
  apiGroups: r.apiGroups ?? [],
  resources: r.resources ?? [],
  resourceNames: r.resourceNames ?? [],
  nonResourceURLs: r.nonResourceURLs ?? [],
});

/** The rules an aggregated role should hold, given every ClusterRole there is. */
export function aggregatedRules(role: KubeObject, all: readonly KubeObject[]): PolicyRule[] {
  const out: PolicyRule[] = [];
  for (const spec of selectorsOf(role) ?? []) {
    let selector;
    try {
      selector = labelSelectorFromObject(spec);
    } catch {
      continue; // a malformed selector matches nothing
    }
    const matched = all.filter((r) => r.metadata.name !== role.metadata.name && selector.matches(r.metadata.labels)).sort((a, b) => ((a.metadata.name ?? '') < (b.metadata.name ?? '') ? -1 : 1));
    for (const r of matched) for (const rule of rulesOf(r)) if (!out.some((x) => sameRule(x, rule))) out.push(rule);
  }
  return out;
}

export class ClusterRoleAggregator implements Reconciler {
  readonly name = 'clusterrole-aggregation';

  constructor(
    private readonly registry: Registry,
    private readonly clusterRoles: ResourceDefinition,
    private readonly informer: Informer<KubeObject>,
  ) {}

  /** Every change wakes every aggregated ClusterRole. */
  keysFor = (): string[] => this.informer.entries().filter((e) => selectorsOf(e.object) !== undefined).map((e) => e.key);

  async reconcile(key: string): Promise<ReconcileResult> {
    const role = this.informer.get(key);
    if (!role || selectorsOf(role) === undefined || !role.metadata.name) return {};
    const rules = aggregatedRules(role, this.informer.list());
    const current = rulesOf(role);
    if (current.length === rules.length && current.every((r, i) => sameRule(r, rules[i]!))) return {};
    try {
      await this.registry.updateWith(this.clusterRoles, undefined, role.metadata.name, (fresh) => ({ ...fresh, rules }));
    } catch (e) {
      // Deleted meanwhile: nothing to aggregate into.
      if (e instanceof StatusError && e.status.reason === 'NotFound') return {};
      throw e;
    }
    return {};
  }
}
