/**
 * The caller as Nova sees it: identity, project, whether an admin, and the negotiated
 * microversion (views and validation depend on it). Every service call takes one, so
 * in-process callers (Magnum's conductor) get the same policy as HTTP clients.
 */
import { hasRole, projectIdOf, type AuthContext } from '../common/context.js';

export interface ComputeCtx {
  auth: AuthContext;
  requestId: string;
  admin: boolean;
  projectId: string;
  userId: string;
  /** The microversion's minor number (2.x). */
  mv: number;
}

export function computeCtx(auth: AuthContext, requestId: string, mv: number): ComputeCtx {
  return { auth, requestId, admin: hasRole(auth, 'admin'), projectId: projectIdOf(auth) ?? '', userId: auth.userId, mv };
}

/** The date format Nova writes (`2026-01-01T00:00:00Z`). */
export const novaTime = (ms: number): string => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

/** A stored time as Nova's microsecond form (`2026-01-01T00:00:00.123000`). */
export const novaMicro = (iso: string): string => (/\.\d{3}Z$/.test(iso) ? iso.replace(/\.(\d{3})Z$/, '.$1000') : iso.replace(/Z$/, '.000000'));

/** The identity nova-compute reads images with: an admin of the server's project. */
export function systemAuth(projectId: string): AuthContext {
  return {
    userId: 'nova', userName: 'nova', userDomainId: 'default', userDomainName: 'Default',
    scope: { kind: 'project', projectId, projectName: '', domainId: 'default', domainName: 'Default' },
    roles: [{ id: 'admin', name: 'admin' }, { id: 'member', name: 'member' }, { id: 'reader', name: 'reader' }],
    methods: [], auditIds: [], issuedAt: '', expiresAt: '', token: '',
  };
}
