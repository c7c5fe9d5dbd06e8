/**
 * RBAC's guard against privilege escalation, as the real server's role and binding
 * storage applies it: a Role or ClusterRole may only be written by someone who already
 * holds every permission it grants (or may `escalate` it), and a binding only by someone
 * who holds every permission of the role it binds (or may `bind` that role). Members of
 * system:masters are exempt. Writes from inside the server (no user) are not checked.
 */
import type { AdmissionAttributes, AdmissionPlugin } from '../admission.js';
import { mastersGroup, type UserInfo } from '../authn/user.js';
import { arrayAt, objectAt, stringAt, type KubeObject } from '../object.js';
import type { Registry } from '../registry.js';
import type { ResourceDefinition } from '../resource.js';
import { failure, qualified } from '../status.js';
import type { Decision } from './authorizer.js';
import type { ResourceAttributes } from './attributes.js';
import { rbacGroup, ruleOf, type PolicyRule } from './policy.js';
import { apiGroupMatches, nonResourceURLMatches, resourceMatches, resourceNameMatches, verbMatches } from './rule-matching.js';

export interface EscalationDeps {
  registry: Registry;
  roles: ResourceDefinition;
  clusterRoles: ResourceDefinition;
  authorize(attrs: ResourceAttributes): Promise<Decision>;
  rulesFor(user: UserInfo, namespace: string): { resourceRules: PolicyRule[]; nonResourceRules: PolicyRule[] };
}

/** One rule per (group, resource, verb, name) or (URL, verb): what Covers compares. */
export function breakdown(rule: PolicyRule): PolicyRule[] {
  const out: PolicyRule[] = [];
  for (const group of rule.apiGroups ?? []) {
    for (const resource of rule.resources ?? []) {
      for (const verb of rule.verbs) {
        const names = rule.resourceNames ?? [];
        if (names.length === 0) out.push({ apiGroups: [group], resources: [resource], verbs: [verb] });
        for (const name of names) out.push({ apiGroups: [group], resources: [resource], resourceNames: [name], verbs: [verb] });
      }
    }
  }
  for (const url of rule.nonResourceURLs ?? []) for (const verb of rule.verbs) out.push({ nonResourceURLs: [url], verbs: [verb] });
  return out;
}

/** Whether `owner` grants at least what the single-permission rule `atom` does. */
function covers(owner: PolicyRule, atom: PolicyRule): boolean {
  const verb = atom.verbs[0]!;
  if (!verbMatches(owner, verb)) return false;
  const url = atom.nonResourceURLs?.[0];
  if (url !== undefined) return nonResourceURLMatches(owner, url);
  const group = atom.apiGroups?.[0] ?? '';
  const resource = atom.resources?.[0] ?? '';
  const slash = resource.indexOf('/');
  const [res, sub] = slash < 0 ? [resource, ''] : [resource.slice(0, slash), resource.slice(slash + 1)];
  if (!apiGroupMatches(owner, group) || !resourceMatches(owner, res, sub)) return false;
  const name = atom.resourceNames?.[0];
  return name === undefined ? (owner.resourceNames ?? []).length === 0 : resourceNameMatches(owner, name);
}

/** The single permissions of `wanted` that none of `held` grants. */
export function missingRules(held: readonly PolicyRule[], wanted: readonly PolicyRule[]): PolicyRule[] {
  return wanted.flatMap(breakdown).filter((atom) => !held.some((h) => covers(h, atom)));
}

const goStrings = (xs: readonly string[]): string => `[${xs.map((x) => JSON.stringify(x)).join(' ')}]`;

/** `{APIGroups:[""], Resources:["pods"], Verbs:["get"]}`, the real server's compact rule text. */
export function compactRule(rule: PolicyRule): string {
  const parts: string[] = [];
  if (rule.apiGroups?.length) parts.push(`APIGroups:${goStrings(rule.apiGroups)}`);
  if (rule.resources?.length) parts.push(`Resources:${goStrings(rule.resources)}`);
  if (rule.resourceNames?.length) parts.push(`ResourceNames:${goStrings(rule.resourceNames)}`);
  if (rule.nonResourceURLs?.length) parts.push(`NonResourceURLs:${goStrings(rule.nonResourceURLs)}`);
  parts.push(`Verbs:${goStrings(rule.verbs)}`);
  return `{${parts.join(', ')}}`;
}

const rulesIn = (role: KubeObject): PolicyRule[] =>
  (arrayAt(role, 'rules') ?? []).map(ruleOf).filter((r): r is PolicyRule => r !== undefined);

export function escalationCheck(deps: EscalationDeps): AdmissionPlugin {
  const isKind = (def: ResourceDefinition, resource: string) => def.group === rbacGroup && def.plural === resource;

  const refuse = (attrs: AdmissionAttributes, user: UserInfo, missing: PolicyRule[]): never => {
    const lines = [...new Set(missing.map(compactRule))].sort().join('\n');
    const name = attrs.object.metadata.name ?? '';
    const resource = { group: attrs.def.group, resource: attrs.def.plural };
    throw failure(
      403,
      'Forbidden',
      `${qualified(resource)} ${JSON.stringify(name)} is forbidden: user ${JSON.stringify(user.name)} (groups=${goStrings(user.groups)}) is attempting to grant RBAC permissions not currently held:\n${lines}`,
      { name, group: attrs.def.group, kind: attrs.def.plural },
    );
  };

  const heldRules = (user: UserInfo, namespace: string): PolicyRule[] => {
    const r = deps.rulesFor(user, namespace);
    return [...r.resourceRules, ...r.nonResourceRules];
  };

  const may = async (user: UserInfo, verb: string, resource: string, name: string, namespace: string): Promise<boolean> =>
    (await deps.authorize({ kind: 'resource', user, verb, apiGroup: rbacGroup, apiVersion: 'v1', resource, subresource: '', namespace, name })).allowed;

  return {
    name: 'RBACEscalation',
    async validate(attrs) {
      const user = attrs.user;
      if (!user || user.groups.includes(mastersGroup)) return;
      const { def, object } = attrs;
      const namespace = attrs.namespace ?? '';
      const name = object.metadata.name ?? '';
      if (isKind(def, 'roles') || isKind(def, 'clusterroles')) {
        if (await may(user, 'escalate', def.plural, name, namespace)) return;
        const missing = missingRules(heldRules(user, namespace), rulesIn(object));
        if (missing.length > 0) refuse(attrs, user, missing);
        return;
      }
      if (isKind(def, 'rolebindings') || isKind(def, 'clusterrolebindings')) {
        const ref = objectAt(object, 'roleRef') ?? {};
        const refKind = stringAt(ref, 'kind');
        const refName = stringAt(ref, 'name') ?? '';
        const refResource = refKind === 'ClusterRole' ? 'clusterroles' : 'roles';
        if (await may(user, 'bind', refResource, refName, namespace)) return;
        let role: KubeObject;
        try {
          role = refKind === 'ClusterRole'
            ? await deps.registry.get(deps.clusterRoles, undefined, refName)
            : await deps.registry.get(deps.roles, namespace, refName);
        } catch {
          // A binding to a role that does not exist grants nothing yet; the real server
          // refuses it unless `bind` is allowed, as nothing can be shown to be held.
          refuse(attrs, user, []);
          return;
        }
        const missing = missingRules(heldRules(user, namespace), rulesIn(role));
        if (missing.length > 0) refuse(attrs, user, missing);
      }
    },
  };
}
