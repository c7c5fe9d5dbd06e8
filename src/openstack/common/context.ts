/**
 * Who is asking: the Keystone identity behind a request, carried by every service call,
 * in-process as on the wire, so policy and tenant isolation hold everywhere.
 */

export interface RoleRef {
  id: string;
  name: string;
  domain_id?: string | null;
}

export type Scope =
  | { kind: 'project'; projectId: string; projectName: string; domainId: string; domainName: string }
  | { kind: 'domain'; domainId: string; domainName: string }
  | { kind: 'system' }
  | { kind: 'unscoped' };

export interface AuthContext {
  userId: string;
  userName: string;
  userDomainId: string;
  userDomainName: string;
  scope: Scope;
  /** Effective roles on the scope, implied roles included. */
  roles: RoleRef[];
  methods: string[];
  auditIds: string[];
  issuedAt: string;
  expiresAt: string;
  applicationCredentialId?: string;
  trustId?: string;
  /** The raw token, for services that pass it on (never logged). */
  token: string;
}

export interface RequestContext {
  requestId: string;
  auth: AuthContext;
}

export const roleNames = (auth: AuthContext): string[] => auth.roles.map((r) => r.name);

export const hasRole = (auth: AuthContext, name: string): boolean => auth.roles.some((r) => r.name === name);

/** The project the token is scoped to, if any. */
export const projectIdOf = (auth: AuthContext): string | undefined =>
  auth.scope.kind === 'project' ? auth.scope.projectId : undefined;

/** The domain the token is scoped to, if any. */
export const domainIdOf = (auth: AuthContext): string | undefined =>
  auth.scope.kind === 'domain' ? auth.scope.domainId : undefined;
