/**
 * Who is calling and what they may do. Authentication here is by client certificate: a
 * certificate the cluster CA signed names the user (CN) and groups (O). Bearer tokens
 * (service accounts, Keystone) come later. Authorization is a seam: today members of
 * system:masters may do everything and nobody else anything; RBAC replaces `authorize`.
 */
import type { TLSSocket } from 'node:tls';
import type { RequestInfo } from './request-info.js';

export interface UserInfo {
  name: string;
  groups: string[];
}

/** The groups every authenticated user belongs to. */
export const authenticatedGroup = 'system:authenticated';
export const mastersGroup = 'system:masters';

const asList = (v: string | string[] | undefined): string[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

export function authenticateClientCertificate(socket: TLSSocket): UserInfo | undefined {
  if (!socket.authorized) return undefined;
  const cert = socket.getPeerCertificate();
  const subject = cert?.subject as unknown as Record<string, string | string[] | undefined> | undefined;
  const cn = asList(subject?.CN)[0];
  if (!cn) return undefined;
  const groups = asList(subject?.O);
  return { name: cn, groups: [...groups, authenticatedGroup] };
}

export interface Decision {
  allowed: boolean;
  reason?: string;
}

/** Paths anyone may read, as the real server's system:public-info-viewer role allows. */
const publicPaths = new Set(['/healthz', '/livez', '/readyz', '/version', '/version/']);

export function isPublicPath(info: RequestInfo): boolean {
  return info.kind === 'nonResource' && info.verb === 'get' && publicPaths.has(info.path);
}

/** The authorization seam: RBAC will decide here. */
export function authorize(user: UserInfo, _attributes: RequestInfo): Decision {
  if (user.groups.includes(mastersGroup)) return { allowed: true };
  return { allowed: false, reason: 'no RBAC policy matched' };
}

/** `User "x" cannot list resource "configmaps" in API group "" in the namespace "default"` */
export function forbiddenMessage(user: UserInfo, info: RequestInfo): string {
  if (info.kind === 'nonResource') return `User "${user.name}" cannot ${info.verb} path "${info.path}"`;
  const resource = info.subresource ? `${info.resource}/${info.subresource}` : info.resource;
  const scope = info.namespace ? ` in the namespace "${info.namespace}"` : info.resource === 'namespaces' || !info.namespace ? ' at the cluster scope' : '';
  return `User "${user.name}" cannot ${info.verb} resource "${resource}" in API group "${info.group}"${scope}`;
}
