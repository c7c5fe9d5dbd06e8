/**
 * What an authorizer decides on: who, which verb, and on what — a resource (group,
 * resource, subresource, namespace, name) or a non-resource path. Built from a parsed
 * request, or from the attributes a SubjectAccessReview spells out.
 */
import type { UserInfo } from '../authn/user.js';
import type { RequestInfo } from '../request-info.js';

export interface ResourceAttributes {
  kind: 'resource';
  user: UserInfo;
  verb: string;
  apiGroup: string;
  apiVersion: string;
  resource: string;
  subresource: string;
  /** '' for cluster-scoped requests and for lists across all namespaces. */
  namespace: string;
  name: string;
}

export interface NonResourceAttributes {
  kind: 'nonResource';
  user: UserInfo;
  verb: string;
  path: string;
}

export type Attributes = ResourceAttributes | NonResourceAttributes;

/**
 * The attributes of a request. Like the real server's RequestInfo, a request on a
 * namespace object (`/api/v1/namespaces/<name>`) is in that namespace, so a RoleBinding
 * there can grant reading it.
 */
export function attributesOf(user: UserInfo, info: RequestInfo): Attributes {
  if (info.kind === 'nonResource') return { kind: 'nonResource', user, verb: info.verb === 'head' ? 'get' : info.verb, path: info.path };
  const namespace = info.namespace ?? (info.resource === 'namespaces' && info.group === '' && info.name ? info.name : '');
  return {
    kind: 'resource',
    user,
    verb: info.verb,
    apiGroup: info.group,
    apiVersion: info.version,
    resource: info.resource,
    subresource: info.subresource ?? '',
    namespace,
    name: info.name ?? '',
  };
}

/** `User "x" cannot list resource "pods" in API group "" in the namespace "default"`, as the real server words it. */
export function forbiddenMessage(attrs: Attributes): string {
  const who = `User ${JSON.stringify(attrs.user.name)}`;
  if (attrs.kind === 'nonResource') return `${who} cannot ${attrs.verb} path ${JSON.stringify(attrs.path)}`;
  const resource = attrs.subresource ? `${attrs.resource}/${attrs.subresource}` : attrs.resource;
  const scope = attrs.namespace ? `in the namespace ${JSON.stringify(attrs.namespace)}` : 'at the cluster scope';
  return `${who} cannot ${attrs.verb} resource ${JSON.stringify(resource)} in API group ${JSON.stringify(attrs.apiGroup)} ${scope}`;
}
