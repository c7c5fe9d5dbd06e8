/**
 * Who a request is: the user an authenticator recognised, with the names and groups the
 * real server gives them (RBAC subjects match on exactly these strings).
 */
export interface UserInfo {
  name: string;
  uid?: string;
  groups: string[];
  /** Extra attributes (pod binding, credential id), as TokenReview and whoami show them. */
  extra?: Record<string, string[]>;
}

/** Every authenticated user belongs to this group. */
export const authenticatedGroup = 'system:authenticated';
/** Requests without credentials, where they are let in at all (the public paths). */
export const unauthenticatedGroup = 'system:unauthenticated';
export const anonymousUser = 'system:anonymous';
/** Members may do anything, whatever RBAC says. */
export const mastersGroup = 'system:masters';

export const serviceAccountUserPrefix = 'system:serviceaccount:';
export const allServiceAccountsGroup = 'system:serviceaccounts';

/** `system:serviceaccount:<namespace>:<name>` */
export const serviceAccountUsername = (namespace: string, name: string): string => `${serviceAccountUserPrefix}${namespace}:${name}`;

/** The groups of a service account: all service accounts, and those of its namespace. */
export const serviceAccountGroups = (namespace: string): string[] => [allServiceAccountsGroup, `${allServiceAccountsGroup}:${namespace}`];

/** The namespace and name a service account username stands for, if it is one. */
export function parseServiceAccountUsername(username: string): { namespace: string; name: string } | undefined {
  if (!username.startsWith(serviceAccountUserPrefix)) return undefined;
  const parts = username.slice(serviceAccountUserPrefix.length).split(':');
  if (parts.length !== 2 || !parts[0] || !parts[1]) return undefined;
  return { namespace: parts[0], name: parts[1] };
}

/** The user with system:authenticated added once, as the real server's authenticator chain does. */
export function withAuthenticatedGroup(user: UserInfo): UserInfo {
  return user.groups.includes(authenticatedGroup) ? user : { ...user, groups: [...user.groups, authenticatedGroup] };
}

/** authentication.k8s.io UserInfo: empty fields left out, as the real server's omitempty does. */
export function userInfoJson(user: UserInfo): Record<string, unknown> {
  return {
    username: user.name,
    ...(user.uid ? { uid: user.uid } : {}),
    ...(user.groups.length ? { groups: user.groups } : {}),
    ...(user.extra && Object.keys(user.extra).length ? { extra: user.extra } : {}),
  };
}
