/**
 * What a request path means: a discovery document, or a resource request with its verb,
 * namespace, name and subresource, read the way the real server's RequestInfo reads
 * `/api/v1/namespaces/<ns>/<resource>/<name>/<subresource>` and the legacy `/watch/`
 * prefix. Authorization decides on this, and the handlers dispatch on it.
 */
export type RequestVerb = 'get' | 'list' | 'watch' | 'create' | 'update' | 'patch' | 'delete' | 'deletecollection';

export interface ResourceRequest {
  kind: 'resource';
  verb: RequestVerb;
  group: string;
  version: string;
  resource: string;
  namespace?: string;
  name?: string;
  subresource?: string;
}

export interface NonResourceRequest {
  kind: 'nonResource';
  /** The HTTP method in lower case (get, post, …) */
  verb: string;
  path: string;
}

export type RequestInfo = ResourceRequest | NonResourceRequest;

/** Subresources of a namespace that share the `/namespaces/<name>/<x>` shape with namespaced lists. */
const namespaceSubresources = new Set(['status', 'finalize']);

// Go's strconv.ParseBool, as the real server reads it: the Python client sends `watch=True`.
const isWatchParam = (v: string | undefined): boolean => v !== undefined && ['1', 't', 'T', 'true', 'TRUE', 'True'].includes(v);

export function parseRequestInfo(method: string, path: string, query: Record<string, string | undefined>): RequestInfo {
  const m = method.toLowerCase();
  const parts = path.split('/').filter((p) => p !== '').map(safeDecode);
  const nonResource: NonResourceRequest = { kind: 'nonResource', verb: m, path };
  let rest: string[];
  let group: string;
  let version: string;
  if (parts[0] === 'api' && parts.length >= 3) {
    group = '';
    version = parts[1]!;
    rest = parts.slice(2);
  } else if (parts[0] === 'apis' && parts.length >= 4) {
    group = parts[1]!;
    version = parts[2]!;
    rest = parts.slice(3);
  } else {
    return nonResource;
  }
  let watchPath = false;
  if (rest[0] === 'watch') {
    watchPath = true;
    rest = rest.slice(1);
  }
  let namespace: string | undefined;
  if (rest[0] === 'namespaces' && rest.length >= 2) {
    if (rest.length === 2 || (rest.length === 3 && namespaceSubresources.has(rest[2]!))) {
      // /namespaces/<name>[/status]: the namespace object itself.
      rest = ['namespaces', ...rest.slice(1)];
    } else {
      namespace = rest[1];
      rest = rest.slice(2);
    }
  }
  const [resource, name, subresource] = rest;
  if (!resource || rest.length > 3) return nonResource;
  const collection = name === undefined;
  let verb: RequestVerb;
  switch (m) {
    case 'get':
    case 'head':
      verb = watchPath || isWatchParam(query.watch) ? 'watch' : collection ? 'list' : 'get';
      break;
    case 'post':
      verb = 'create';
      break;
    case 'put':
      verb = 'update';
      break;
    case 'patch':
      verb = 'patch';
      break;
    case 'delete':
      verb = collection ? 'deletecollection' : 'delete';
      break;
    default:
      return nonResource;
  }
  const info: ResourceRequest = { kind: 'resource', verb, group, version, resource };
  if (namespace !== undefined) info.namespace = namespace;
  if (name !== undefined) info.name = name;
  if (subresource !== undefined) info.subresource = subresource;
  return info;
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
