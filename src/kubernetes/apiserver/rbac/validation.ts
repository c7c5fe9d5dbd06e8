/**
 * Defaulting and validation of the four RBAC kinds, with the real server's field paths
 * and wording (`rules[0].apiGroups: Required value: resource rules must supply at least
 * one api group`), so kubectl prints what users search for.
 */
import { invalid, notSupported, required, type FieldError } from '../field-errors.js';
import { isObject, type KubeObject } from '../object.js';
import { nameProblem } from '../validation.js';
import { rbacGroup } from './policy.js';

const listOf = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const nonEmpty = (v: unknown): boolean => Array.isArray(v) && v.length > 0;

function validateRule(rule: unknown, namespaced: boolean, path: string): FieldError[] {
  if (!isObject(rule)) return [invalid(path, rule, 'must be an object')];
  const errs: FieldError[] = [];
  for (const f of ['verbs', 'apiGroups', 'resources', 'resourceNames', 'nonResourceURLs']) {
    const v = rule[f];
    if (v !== undefined && v !== null && (!Array.isArray(v) || v.some((s) => typeof s !== 'string'))) errs.push(invalid(`${path}.${f}`, v, 'must be a list of strings'));
  }
  if (!nonEmpty(rule.verbs)) errs.push(required(`${path}.verbs`, 'verbs must contain at least one value'));
  if (nonEmpty(rule.nonResourceURLs)) {
    if (namespaced) errs.push(invalid(`${path}.nonResourceURLs`, rule.nonResourceURLs, 'namespaced rules cannot apply to non-resource URLs'));
    if (nonEmpty(rule.apiGroups) || nonEmpty(rule.resources) || nonEmpty(rule.resourceNames)) {
      errs.push(invalid(`${path}.nonResourceURLs`, rule.nonResourceURLs, 'rules cannot apply to both regular resources and non-resource URLs'));
    }
    return errs;
  }
  if (!nonEmpty(rule.apiGroups)) errs.push(required(`${path}.apiGroups`, 'resource rules must supply at least one api group'));
  if (!nonEmpty(rule.resources)) errs.push(required(`${path}.resources`, 'resource rules must supply at least one resource'));
  return errs;
}

export function validateRules(role: KubeObject, namespaced: boolean): FieldError[] {
  if (role.rules !== undefined && role.rules !== null && !Array.isArray(role.rules)) return [invalid('rules', role.rules, 'must be a list')];
  return listOf(role.rules).flatMap((r, i) => validateRule(r, namespaced, `rules[${i}]`));
}

export function validateAggregationRule(role: KubeObject): FieldError[] {
  const rule = role.aggregationRule;
  if (rule === undefined || rule === null) return [];
  if (!isObject(rule)) return [invalid('aggregationRule', rule, 'must be an object')];
  if (!nonEmpty(rule.clusterRoleSelectors)) return [required('aggregationRule.clusterRoleSelectors', '')];
  return listOf(rule.clusterRoleSelectors).flatMap((s, i) => (isObject(s) ? [] : [invalid(`aggregationRule.clusterRoleSelectors[${i}]`, s, 'must be a label selector')]));
}

/** RoleRef and subjects get their API groups filled in, as the v1 defaulting does. */
export function defaultBinding(binding: KubeObject): void {
  if (isObject(binding.roleRef) && !binding.roleRef.apiGroup) binding.roleRef.apiGroup = rbacGroup;
  for (const s of listOf(binding.subjects)) {
    if (!isObject(s) || s.apiGroup) continue;
    // A ServiceAccount's group is the empty one: written only if it is not that already,
    // so that defaulting what is already default leaves a shared object untouched.
    if (s.kind === 'ServiceAccount') {
      if (s.apiGroup !== '') s.apiGroup = '';
    } else if (s.kind === 'User' || s.kind === 'Group') s.apiGroup = rbacGroup;
  }
}

function validateSubject(s: unknown, namespaced: boolean, path: string): FieldError[] {
  if (!isObject(s)) return [invalid(path, s, 'must be an object')];
  const errs: FieldError[] = [];
  const name = typeof s.name === 'string' ? s.name : '';
  if (!name) errs.push(required(`${path}.name`));
  switch (s.kind) {
    case 'ServiceAccount': {
      const problem = name ? nameProblem(name, 'subdomain') : undefined;
      if (problem) errs.push(invalid(`${path}.name`, name, problem));
      if (s.apiGroup) errs.push(notSupported(`${path}.apiGroup`, s.apiGroup, ['']));
      if (!namespaced && !s.namespace) errs.push(required(`${path}.namespace`));
      break;
    }
    case 'User':
    case 'Group':
      if (s.apiGroup !== rbacGroup) errs.push(notSupported(`${path}.apiGroup`, s.apiGroup ?? '', [rbacGroup]));
      break;
    default:
      errs.push(notSupported(`${path}.kind`, s.kind ?? '', ['ServiceAccount', 'User', 'Group']));
  }
  return errs;
}

export function validateBinding(binding: KubeObject, namespaced: boolean): FieldError[] {
  const errs: FieldError[] = [];
  const ref = isObject(binding.roleRef) ? binding.roleRef : {};
  if (ref.apiGroup !== rbacGroup) errs.push(notSupported('roleRef.apiGroup', ref.apiGroup ?? '', [rbacGroup]));
  const kinds = namespaced ? ['Role', 'ClusterRole'] : ['ClusterRole'];
  if (typeof ref.kind !== 'string' || !kinds.includes(ref.kind)) errs.push(notSupported('roleRef.kind', ref.kind ?? '', kinds));
  const name = typeof ref.name === 'string' ? ref.name : '';
  if (!name) errs.push(required('roleRef.name'));
  else {
    const problem = nameProblem(name, 'pathSegment');
    if (problem) errs.push(invalid('roleRef.name', name, problem));
  }
  if (binding.subjects !== undefined && binding.subjects !== null && !Array.isArray(binding.subjects)) errs.push(invalid('subjects', binding.subjects, 'must be a list'));
  listOf(binding.subjects).forEach((s, i) => errs.push(...validateSubject(s, namespaced, `subjects[${i}]`)));
  return errs;
}

export function validateBindingUpdate(next: KubeObject, old: KubeObject): FieldError[] {
  return JSON.stringify(next.roleRef) === JSON.stringify(old.roleRef) ? [] : [invalid('roleRef', next.roleRef, 'cannot change roleRef')];
}
