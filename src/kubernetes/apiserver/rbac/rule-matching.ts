/**
 * Whether one policy rule covers one request, with the real server's matching: `*` for
 * verbs, groups and resources; `pods/log` names a subresource and `*\/scale` any
 * resource's; resourceNames restrict to named objects (so never a list or a create);
 * nonResourceURLs match exactly or by a trailing `*` prefix.
 */
import type { Attributes } from './attributes.js';
import type { PolicyRule } from './policy.js';

const all = '*';

export const verbMatches = (rule: PolicyRule, verb: string): boolean => rule.verbs.some((v) => v === all || v === verb);

export const apiGroupMatches = (rule: PolicyRule, group: string): boolean => (rule.apiGroups ?? []).some((g) => g === all || g === group);

export function resourceMatches(rule: PolicyRule, resource: string, subresource: string): boolean {
  const combined = subresource ? `${resource}/${subresource}` : resource;
  return (rule.resources ?? []).some((r) => r === all || r === combined || (subresource !== '' && r === `*/${subresource}`));
}

export function resourceNameMatches(rule: PolicyRule, name: string): boolean {
  const names = rule.resourceNames ?? [];
  return names.length === 0 || names.includes(name);
}

export function nonResourceURLMatches(rule: PolicyRule, path: string): boolean {
  return (rule.nonResourceURLs ?? []).some((u) => u === all || u === path || (u.endsWith(all) && path.startsWith(u.slice(0, -1))));
}

export function ruleAllows(attrs: Attributes, rule: PolicyRule): boolean {
  if (!verbMatches(rule, attrs.verb)) return false;
  if (attrs.kind === 'nonResource') return nonResourceURLMatches(rule, attrs.path);
  return (
    apiGroupMatches(rule, attrs.apiGroup) &&
    resourceMatches(rule, attrs.resource, attrs.subresource) &&
    resourceNameMatches(rule, attrs.name)
  );
}
