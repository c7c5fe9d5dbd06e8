/**
 * User impersonation (`kubectl --as`, `--as-group`, `--as-uid`): the Impersonate-* headers
 * turn the authenticated requester into another user, once RBAC lets the requester
 * `impersonate` each thing asked for — the user (or the service account it names), every
 * group, the uid and every extra value — as the real server's impersonation filter does.
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { Decision } from '../rbac/authorizer.js';
import type { ResourceAttributes } from '../rbac/attributes.js';
import {
  anonymousUser,
  authenticatedGroup,
  parseServiceAccountUsername,
  serviceAccountGroups,
  type UserInfo,
} from './user.js';

const extraPrefix = 'impersonate-extra-';

/** What the headers ask for; undefined when they ask for nothing. */
export interface ImpersonationRequest {
  user?: string;
  uid?: string;
  groups: string[];
  extra: Record<string, string[]>;
}

const values = (v: string | string[] | undefined): string[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

function decodeExtraKey(raw: string): string {
  try {
    return decodeURIComponent(raw).toLowerCase();
  } catch {
    return raw.toLowerCase();
  }
}

export function impersonationRequest(headers: IncomingHttpHeaders): ImpersonationRequest | undefined {
  const user = values(headers['impersonate-user'])[0];
  const uid = values(headers['impersonate-uid'])[0];
  const groups = values(headers['impersonate-group']);
  const extra: Record<string, string[]> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (!name.startsWith(extraPrefix)) continue;
    extra[decodeExtraKey(name.slice(extraPrefix.length))] = values(value);
  }
  if (user === undefined && uid === undefined && groups.length === 0 && Object.keys(extra).length === 0) return undefined;
  return { ...(user !== undefined ? { user } : {}), ...(uid !== undefined ? { uid } : {}), groups, extra };
}

export type ImpersonationOutcome =
  | { user: UserInfo }
  | { badRequest: string }
  | { forbidden: ResourceAttributes };

/** Check each impersonated attribute against the requester's permissions; the first refusal wins. */
export async function impersonate(
  requester: UserInfo,
  request: ImpersonationRequest,
  authorize: (attrs: ResourceAttributes) => Promise<Decision>,
): Promise<ImpersonationOutcome> {
  if (request.user === undefined) {
    return { badRequest: 'requested impersonation of groups, a uid or extra values without impersonating a user' };
  }
  const check = (apiGroup: string, resource: string, name: string, namespace = '', subresource = ''): ResourceAttributes => ({
    kind: 'resource',
    user: requester,
    verb: 'impersonate',
    apiGroup,
    apiVersion: '',
    resource,
    subresource,
    namespace,
    name,
  });
  const serviceAccount = parseServiceAccountUsername(request.user);
  const checks: ResourceAttributes[] = [
    serviceAccount
      ? check('', 'serviceaccounts', serviceAccount.name, serviceAccount.namespace)
      : check('', 'users', request.user),
    ...request.groups.map((g) => check('', 'groups', g)),
    ...Object.entries(request.extra).flatMap(([key, vs]) => vs.map((v) => check('authentication.k8s.io', 'userextras', v, '', key))),
    ...(request.uid !== undefined ? [check('authentication.k8s.io', 'uids', request.uid)] : []),
  ];
  for (const attrs of checks) {
    if (!(await authorize(attrs)).allowed) return { forbidden: attrs };
  }
  // A service account impersonated without groups gets its own, as its token would.
  const groups = serviceAccount && request.groups.length === 0 ? serviceAccountGroups(serviceAccount.namespace) : [...request.groups];
  if (request.user !== anonymousUser && !groups.includes(authenticatedGroup)) groups.push(authenticatedGroup);
  return {
    user: {
      name: request.user,
      groups,
      ...(request.uid !== undefined ? { uid: request.uid } : {}),
      ...(Object.keys(request.extra).length > 0 ? { extra: request.extra } : {}),
    },
  };
}
