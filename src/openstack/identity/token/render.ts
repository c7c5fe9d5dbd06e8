/**
 * A resolved token in the two shapes the rest of kos needs: the JSON body Keystone
 * returns from POST and GET /v3/auth/tokens, and the AuthContext every API's policy reads.
 */
import type { AuthContext, Scope } from '../../common/context.js';
import type { CatalogEntry } from '../catalog-builder.js';
import { isoFromMicros } from './micros.js';
import type { ResolvedToken } from './resolve.js';

export interface TokenBody {
  token: Record<string, unknown>;
}

/** The body without a catalog; `withCatalog` adds one. Safe to cache: callers never mutate it. */
export function renderToken(r: ResolvedToken): Record<string, unknown> {
  const p = r.payload;
  const token: Record<string, unknown> = {
    methods: p.methods,
    user: {
      domain: { id: r.subjectDomain.id, name: r.subjectDomain.name },
      id: r.subject.id,
      name: r.subject.name,
      password_expires_at: r.subject.passwords[0]?.expires_at ?? null,
    },
    audit_ids: p.auditIds,
    expires_at: isoFromMicros(p.expiresAt),
    issued_at: isoFromMicros(p.issuedAt),
  };
  const roles = r.roles.map((role) => ({ id: role.id, name: role.name }));
  if (p.scope.kind === 'system') {
    token.roles = roles;
    token.system = { all: true };
  } else if (r.domain) {
    token.domain = { id: r.domain.id, name: r.domain.name };
    token.roles = roles;
  } else if (r.project && r.projectDomain) {
    const project = {
      domain: { id: r.projectDomain.id, name: r.projectDomain.name },
      id: r.project.id,
      name: r.project.name,
    };
    if (r.trust && r.trustor) {
      token['OS-TRUST:trust'] = {
        id: r.trust.id,
        trustor_user: { id: r.trustor.id },
        trustee_user: { id: r.user.id },
        impersonation: r.trust.impersonation,
      };
      token.project = project;
    } else {
      token.project = project;
      token.is_domain = false;
    }
    token.roles = roles;
  }
  if (r.appCred) {
    token.application_credential = { id: r.appCred.id, name: r.appCred.name, restricted: !r.appCred.unrestricted };
  }
  return token;
}

export const isUnscoped = (r: ResolvedToken): boolean => r.payload.scope.kind === 'unscoped';

export function withCatalog(token: Record<string, unknown>, catalog: CatalogEntry[] | undefined): TokenBody {
  return { token: catalog ? { ...token, catalog } : token };
}

export function toAuthContext(r: ResolvedToken, raw: string): AuthContext {
  const p = r.payload;
  let scope: Scope;
  if (r.project && r.projectDomain) {
    scope = {
      kind: 'project',
      projectId: r.project.id,
      projectName: r.project.name,
      domainId: r.projectDomain.id,
      domainName: r.projectDomain.name,
    };
  } else if (r.domain) {
    scope = { kind: 'domain', domainId: r.domain.id, domainName: r.domain.name };
  } else if (p.scope.kind === 'system') {
    scope = { kind: 'system' };
  } else {
    scope = { kind: 'unscoped' };
  }
  const ctx: AuthContext = {
    userId: r.subject.id,
    userName: r.subject.name,
    userDomainId: r.subjectDomain.id,
    userDomainName: r.subjectDomain.name,
    scope,
    roles: r.roles.map((role) => ({ id: role.id, name: role.name, domain_id: role.domain_id })),
    methods: p.methods,
    auditIds: p.auditIds,
    issuedAt: isoFromMicros(p.issuedAt),
    expiresAt: isoFromMicros(p.expiresAt),
    token: raw,
  };
  if (r.appCred) ctx.applicationCredentialId = r.appCred.id;
  if (r.trust) ctx.trustId = r.trust.id;
  return ctx;
}
