/**
 * Placement's error body: `{"errors": [{status, title, detail, code, request_id}]}`. The
 * machine-readable code rides on the KosError's details (`placementCode`), e.g.
 * `placement.concurrent_update` for a generation conflict.
 */
import { KosError } from '../../core/errors.js';
import type { ErrorReply } from '../../core/http/mounts.js';

const titles: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  406: 'Not Acceptable',
  409: 'Conflict',
  413: 'Request Entity Too Large',
  415: 'Unsupported Media Type',
  500: 'Internal Server Error',
};

export const CONCURRENT_UPDATE = 'placement.concurrent_update';
export const DUPLICATE_NAME = 'placement.duplicate_name';
export const INVENTORY_INUSE = 'placement.inventory.inuse';
export const PROVIDER_INUSE = 'placement.resource_provider.inuse';
export const CANNOT_DELETE_PARENT = 'placement.resource_provider.cannot_delete_parent';

/** A KosError carrying Placement's error code. */
export const placementError = (kind: KosError['kind'], message: string, code: string): KosError =>
  new KosError(kind, message, { placementCode: code });

export function formatPlacementError(err: KosError): ErrorReply {
  // 406 (an unacceptable microversion) has no KosError kind of its own.
  const status = typeof err.details?.httpStatus === 'number' ? err.details.httpStatus : err.status === 422 ? 400 : err.status;
  const title = titles[status] ?? 'Error';
  const code = typeof err.details?.placementCode === 'string' ? err.details.placementCode : 'placement.undefined_code';
  const requestId = typeof err.details?.requestId === 'string' ? err.details.requestId : undefined;
  return {
    status,
    body: {
      errors: [{ status, title, detail: `${title}\n\n${err.message}  `, code, ...(requestId ? { request_id: requestId } : {}) }],
    },
    ...(status === 401 ? { headers: { 'www-authenticate': 'Keystone uri="/v3"' } } : {}),
  };
}
