/**
 * Policy in code, in the spirit of oslo.policy's defaults: admin ⊃ member ⊃ reader
 * (implied roles make an admin also a member and a reader), and scopes. kos runs with
 * scope enforcement off, as OpenStack deployments do by default, so the admin role on any
 * project is a cloud administrator.
 */
import { KosError } from '../../core/errors.js';
import { hasRole, type AuthContext } from './context.js';

/** What a rule may look at besides the caller: the owner fields of the target object. */
export interface PolicyTarget {
  project_id?: string | null;
  domain_id?: string | null;
  user_id?: string | null;
  [field: string]: unknown;
}

export type Rule = (auth: AuthContext, target: PolicyTarget) => boolean;

export const isAdmin: Rule = (a) => hasRole(a, 'admin');
export const isSystemReader: Rule = (a) => a.scope.kind === 'system' && hasRole(a, 'reader');
export const isSystemAdmin: Rule = (a) => a.scope.kind === 'system' && hasRole(a, 'admin');

/** The caller's project scope owns the target. */
export const ownsProject: Rule = (a, t) =>
  a.scope.kind === 'project' && t.project_id !== undefined && t.project_id === a.scope.projectId;
/** The caller's domain scope owns the target. */
export const ownsDomain: Rule = (a, t) =>
  a.scope.kind === 'domain' && t.domain_id !== undefined && t.domain_id === a.scope.domainId;
/** The target belongs to the calling user. */
export const isSelf: Rule = (a, t) => t.user_id !== undefined && t.user_id === a.userId;

export const withRole =
  (role: string, rule: Rule): Rule =>
  (a, t) =>
    hasRole(a, role) && rule(a, t);

export const anyOf =
  (...rules: Rule[]): Rule =>
  (a, t) =>
    rules.some((r) => r(a, t));

export const allOf =
  (...rules: Rule[]): Rule =>
  (a, t) =>
    rules.every((r) => r(a, t));

export const always: Rule = () => true;

/** A named rule set: `enforce('identity:get_project', ...)` looks the rule up by name. */
export class PolicyEngine {
  constructor(private readonly rules: Readonly<Record<string, Rule>>) {}

  has(name: string): boolean {
    return name in this.rules;
  }

  allowed(name: string, auth: AuthContext, target: PolicyTarget = {}): boolean {
    const rule = this.rules[name];
    if (!rule) throw new Error(`no policy rule named ${name}`);
    return rule(auth, target);
  }

  /** Throws Forbidden with the message OpenStack services give. */
  enforce(name: string, auth: AuthContext, target: PolicyTarget = {}): void {
    if (!this.allowed(name, auth, target)) {
      throw new KosError('Forbidden', `You are not authorized to perform the requested action: ${name}.`, {
        rule: name,
      });
    }
  }
}
