/**
 * The shapes RBAC decides on — rules, subjects, role references — read out of stored
 * Role, ClusterRole, RoleBinding and ClusterRoleBinding objects. Stored objects passed
 * validation, but reading stays defensive: a malformed field contributes nothing.
 */
import { isObject, type KubeObject } from '../object.js';

export const rbacGroup = 'rbac.authorization.k8s.io';
/** Bootstrap roles and bindings carry this; "false" means an administrator owns them now. */
export const autoUpdateAnnotation = 'rbac.authorization.kubernetes.io/autoupdate';

export interface PolicyRule {
  verbs: string[];
  apiGroups?: string[];
  resources?: string[];
  resourceNames?: string[];
  nonResourceURLs?: string[];
}

export type SubjectKind = 'User' | 'Group' | 'ServiceAccount';

export interface Subject {
  kind: SubjectKind;
  name: string;
  apiGroup?: string;
  namespace?: string;
}

export interface RoleRef {
  apiGroup: string;
  kind: 'Role' | 'ClusterRole';
  name: string;
}

const strings = (v: unknown): string[] | undefined => (Array.isArray(v) ? v.filter((s): s is string => typeof s === 'string') : undefined);

export function ruleOf(v: unknown): PolicyRule | undefined {
  if (!isObject(v)) return undefined;
  const rule: PolicyRule = { verbs: strings(v.verbs) ?? [] };
  for (const f of ['apiGroups', 'resources', 'resourceNames', 'nonResourceURLs'] as const) {
    const list = strings(v[f]);
    if (list !== undefined) rule[f] = list;
  }
  return rule;
}

export const rulesOf = (role: KubeObject): PolicyRule[] =>
  (Array.isArray(role.rules) ? role.rules : []).map(ruleOf).filter((r): r is PolicyRule => r !== undefined);

export function subjectsOf(binding: KubeObject): Subject[] {
  const out: Subject[] = [];
  for (const s of Array.isArray(binding.subjects) ? binding.subjects : []) {
    if (!isObject(s) || typeof s.name !== 'string') continue;
    if (s.kind !== 'User' && s.kind !== 'Group' && s.kind !== 'ServiceAccount') continue;
    const subject: Subject = { kind: s.kind, name: s.name };
    if (typeof s.apiGroup === 'string') subject.apiGroup = s.apiGroup;
    if (typeof s.namespace === 'string') subject.namespace = s.namespace;
    out.push(subject);
  }
  return out;
}

export function roleRefOf(binding: KubeObject): RoleRef | undefined {
  const r = binding.roleRef;
  if (!isObject(r) || typeof r.name !== 'string' || (r.kind !== 'Role' && r.kind !== 'ClusterRole')) return undefined;
  return { apiGroup: typeof r.apiGroup === 'string' ? r.apiGroup : rbacGroup, kind: r.kind, name: r.name };
}
