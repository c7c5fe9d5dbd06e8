/**
 * Authorization: a chain of authorizers, the first that allows wins (the real server's
 * union). system:masters first — always allowed, whatever RBAC says — then RBAC, which
 * walks the ClusterRoleBindings and the RoleBindings of the request's namespace for one
 * whose subjects include the user and whose role has a rule covering the request.
 * A Keystone webhook authorizer can be appended to the chain later.
 */
import { mastersGroup, type UserInfo } from '../authn/user.js';
import type { KubeObject } from '../object.js';
import type { Attributes } from './attributes.js';
import { roleRefOf, rulesOf, subjectsOf, type PolicyRule, type RoleRef, type Subject } from './policy.js';
import { ruleAllows } from './rule-matching.js';

export interface Decision {
  allowed: boolean;
  /** Why, in the real server's words (`RBAC: allowed by …`); '' when nothing is known. */
  reason: string;
  evaluationError?: string;
}

export interface Authorizer {
  readonly name: string;
  authorize(attrs: Attributes): Promise<Decision>;
}

/** Where RBAC reads its objects: an informer cache in a server, plain lists in tests. */
export interface RbacPolicySource {
  clusterRoleBindings(): readonly KubeObject[];
  roleBindings(namespace: string): readonly KubeObject[];
  clusterRole(name: string): KubeObject | undefined;
  role(namespace: string, name: string): KubeObject | undefined;
}

export interface RulesResult {
  resourceRules: PolicyRule[];
  nonResourceRules: PolicyRule[];
  /** True when some binding could not be evaluated (its role is missing). */
  incomplete: boolean;
  evaluationError?: string;
}

export const privilegedGroupsAuthorizer: Authorizer = {
  name: 'privileged-groups',
  authorize: (attrs) => Promise.resolve({ allowed: attrs.user.groups.includes(mastersGroup), reason: '' }),
};

/** Whether a binding's subject is this user (a ServiceAccount subject defaults to the binding's namespace). */
export function subjectMatches(subject: Subject, user: UserInfo, bindingNamespace: string): boolean {
  switch (subject.kind) {
    case 'User':
      return subject.name === user.name;
    case 'Group':
      return user.groups.includes(subject.name);
    case 'ServiceAccount': {
      const namespace = subject.namespace || bindingNamespace;
      return namespace !== '' && user.name === `system:serviceaccount:${namespace}:${subject.name}`;
    }
  }
}

function describeSubject(s: Subject, bindingNamespace: string): string {
  if (s.kind === 'ServiceAccount') return `${s.kind} ${JSON.stringify(`${s.name}/${s.namespace || bindingNamespace}`)}`;
  return `${s.kind} ${JSON.stringify(s.name)}`;
}

/** Called for each rule that applies to the user; returning false stops the walk. */
type Visitor = (source: () => string, rule: PolicyRule | undefined, error: string | undefined) => boolean;

const notFoundError = (ref: RoleRef): string => `${ref.kind.toLowerCase()}.rbac.authorization.k8s.io ${JSON.stringify(ref.name)} not found`;

export class RbacAuthorizer implements Authorizer {
  readonly name = 'rbac';

  constructor(private readonly source: RbacPolicySource) {}

  authorize(attrs: Attributes): Promise<Decision> {
    let allowedBy: string | undefined;
    const errors: string[] = [];
    this.visitRules(attrs.user, attrs.kind === 'resource' ? attrs.namespace : '', (source, rule, error) => {
      if (error) errors.push(error);
      if (rule && ruleAllows(attrs, rule)) {
        allowedBy = source();
        return false;
      }
      return true;
    });
    if (allowedBy !== undefined) return Promise.resolve({ allowed: true, reason: `RBAC: allowed by ${allowedBy}` });
    return Promise.resolve({ allowed: false, reason: errors.length > 0 ? `RBAC: ${aggregate(errors)}` : '' });
  }

  /** Every rule that applies to the user in the namespace (cluster-wide ones included). */
  rulesFor(user: UserInfo, namespace: string): RulesResult {
    const resourceRules: PolicyRule[] = [];
    const nonResourceRules: PolicyRule[] = [];
    const errors: string[] = [];
    this.visitRules(user, namespace, (_source, rule, error) => {
      if (error) errors.push(error);
      if (rule) {
        if ((rule.nonResourceURLs ?? []).length > 0) nonResourceRules.push(rule);
        else resourceRules.push(rule);
      }
      return true;
    });
    return { resourceRules, nonResourceRules, incomplete: errors.length > 0, ...(errors.length > 0 ? { evaluationError: aggregate(errors) } : {}) };
  }

  private visitRules(user: UserInfo, namespace: string, visit: Visitor): void {
    for (const binding of this.source.clusterRoleBindings()) {
      if (!this.visitBinding('ClusterRoleBinding', binding, '', user, visit)) return;
    }
    if (!namespace) return;
    for (const binding of this.source.roleBindings(namespace)) {
      if (!this.visitBinding('RoleBinding', binding, namespace, user, visit)) return;
    }
  }

  /** False when the visitor asked to stop. */
  private visitBinding(kind: 'ClusterRoleBinding' | 'RoleBinding', binding: KubeObject, namespace: string, user: UserInfo, visit: Visitor): boolean {
    const subject = subjectsOf(binding).find((s) => subjectMatches(s, user, namespace));
    if (!subject) return true;
    const ref = roleRefOf(binding);
    if (!ref) return true;
    const role = ref.kind === 'ClusterRole' ? this.source.clusterRole(ref.name) : this.source.role(namespace, ref.name);
    if (!role) return visit(() => '', undefined, notFoundError(ref));
    const bindingName = kind === 'RoleBinding' ? `${binding.metadata.name ?? ''}/${namespace}` : (binding.metadata.name ?? '');
    const source = (): string => `${kind} ${JSON.stringify(bindingName)} of ${ref.kind} ${JSON.stringify(ref.name)} to ${describeSubject(subject, namespace)}`;
    for (const rule of rulesOf(role)) if (!visit(source, rule, undefined)) return false;
    return true;
  }
}

/** utilerrors.NewAggregate's wording: one message as is, several in brackets. */
const aggregate = (errors: string[]): string => (errors.length === 1 ? errors[0]! : `[${errors.join(', ')}]`);

/** The union: the first authorizer that allows decides; otherwise the reasons of those that had one. */
export function unionAuthorizer(chain: readonly Authorizer[]): Authorizer {
  return {
    name: 'union',
    async authorize(attrs) {
      const reasons: string[] = [];
      for (const a of chain) {
        const d = await a.authorize(attrs);
        if (d.allowed) return d;
        if (d.reason) reasons.push(d.reason);
      }
      return { allowed: false, reason: reasons.join('\n') };
    },
  };
}
