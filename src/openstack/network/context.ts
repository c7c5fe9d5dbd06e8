/**
 * The caller as Neutron's default policies see it: an admin sees and changes everything,
 * a member changes what its project owns, a reader only reads it.
 */
import type { AuthContext } from '../common/context.js';
import { hasRole, projectIdOf } from '../common/context.js';
import { forbidden } from './errors.js';

export interface NetCtx {
  auth: AuthContext;
  admin: boolean;
  /** The token's project ('' for a token without a project scope). */
  projectId: string;
  /** A member (or admin) of its project: may write what the project owns. */
  member: boolean;
}

export function netCtxOf(auth: AuthContext): NetCtx {
  return {
    auth,
    admin: hasRole(auth, 'admin'),
    projectId: projectIdOf(auth) ?? '',
    member: hasRole(auth, 'member') || hasRole(auth, 'admin'),
  };
}

/** A context for the service's own writes (bootstrap, reconcilers): admin of a project. */
export function systemCtx(projectId: string): NetCtx {
  const auth: AuthContext = {
    userId: 'kos-network', userName: 'kos-network', userDomainId: 'default', userDomainName: 'Default',
    scope: { kind: 'system' }, roles: [{ id: 'admin', name: 'admin' }], methods: [], auditIds: [],
    issuedAt: '', expiresAt: '', token: '',
  };
  return { auth, admin: true, projectId, member: true };
}

export const owns = (ctx: NetCtx, o: { project_id: string }): boolean => ctx.admin || o.project_id === ctx.projectId;

/** Neutron's policy refusal text. */
export function policyRefusal(action: string): never {
  throw forbidden(`(rule:${action}) is disallowed by policy`, 'PolicyNotAuthorized');
}
