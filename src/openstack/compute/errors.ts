/**
 * Nova's fault bodies: `{"<fault>": {"code": <status>, "message": "…"}}`, the fault name
 * chosen by status as nova.api.openstack.wsgi does (itemNotFound, badRequest, forbidden,
 * conflictingRequest, overLimit, …). 401 carries Keystone's WWW-Authenticate.
 */
import { KosError } from '../../core/errors.js';
import type { ErrorReply } from '../../core/http/mounts.js';

const faultNames: Record<number, string> = {
  400: 'badRequest',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'itemNotFound',
  405: 'badMethod',
  406: 'notAcceptable',
  409: 'conflictingRequest',
  413: 'overLimit',
  415: 'badMediaType',
  429: 'overLimit',
  501: 'notImplemented',
  503: 'serviceUnavailable',
};

export function formatNovaError(err: KosError): ErrorReply {
  const status = typeof err.details?.httpStatus === 'number' ? err.details.httpStatus : err.status === 422 ? 400 : err.status;
  const name = faultNames[status] ?? 'computeFault';
  const headers: Record<string, string> = {};
  if (status === 401) headers['www-authenticate'] = 'Keystone uri="/v3"';
  if (typeof err.details?.version === 'string') {
    headers['openstack-api-version'] = `compute ${err.details.version}`;
    headers['x-openstack-nova-api-version'] = err.details.version;
    headers.vary = 'OpenStack-API-Version, X-OpenStack-Nova-API-Version';
  }
  return { status, body: { [name]: { code: status, message: err.message } }, headers };
}

export const badRequest = (message: string): KosError => new KosError('BadRequest', message);
export const notFound = (message: string): KosError => new KosError('NotFound', message);
export const conflict = (message: string): KosError => new KosError('Conflict', message);
export const forbidden = (message: string): KosError => new KosError('Forbidden', message);

/** Nova's 409 for an action the server's state does not allow. */
export const invalidState = (attr: string, state: string, action: string, id: string): KosError =>
  conflict(`Cannot '${action}' instance ${id} while it is in ${attr} ${state}`);
