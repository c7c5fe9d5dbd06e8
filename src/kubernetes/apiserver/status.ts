/**
 * Kubernetes `Status` errors, shaped exactly as the real API server writes them: kubectl
 * prints `Error from server (<reason>): <message>` from these fields, and client
 * libraries switch on `reason` and `code`. Every failure of the API server becomes one of
 * these; nothing else ever reaches the wire as an error.
 */
import { isKosError } from '../../core/errors.js';
import { statusHintOf } from '../apimachinery/errors.js';

export type StatusReason =
  | 'BadRequest'
  | 'Unauthorized'
  | 'Forbidden'
  | 'NotFound'
  | 'AlreadyExists'
  | 'Conflict'
  | 'Invalid'
  | 'Gone'
  | 'Expired'
  | 'MethodNotAllowed'
  | 'NotAcceptable'
  | 'UnsupportedMediaType'
  | 'RequestEntityTooLarge'
  | 'Timeout'
  | 'TooManyRequests'
  | 'ServiceUnavailable'
  | 'InternalError';

export interface StatusCause {
  reason?: string;
  message?: string;
  field?: string;
}

export interface StatusDetails {
  name?: string;
  group?: string;
  kind?: string;
  uid?: string;
  causes?: StatusCause[];
  retryAfterSeconds?: number;
}

export interface StatusObject {
  kind: 'Status';
  apiVersion: 'v1';
  metadata: Record<string, never>;
  status: 'Failure' | 'Success';
  message?: string;
  reason?: StatusReason;
  details?: StatusDetails;
  code: number;
}

/** A failure that knows its Status; thrown anywhere below the routes. */
export class StatusError extends Error {
  constructor(readonly status: StatusObject) {
    super(status.message);
    this.name = `StatusError(${status.reason ?? status.code})`;
  }

  get code(): number {
    return this.status.code;
  }
}

export function failure(code: number, reason: StatusReason, message: string, details?: StatusDetails): StatusError {
  const status: StatusObject = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, code };
  if (details) status.details = details;
  return new StatusError(status);
}

/** What a Status names: the resource (plural) and group, e.g. configmaps in "", deployments in "apps". */
export interface QualifiedResource {
  group: string;
  resource: string;
}

/** `deployments.apps` for a grouped resource, `configmaps` for a core one. */
export const qualified = (r: QualifiedResource): string => (r.group ? `${r.resource}.${r.group}` : r.resource);

const detailsOf = (r: QualifiedResource, name: string): StatusDetails =>
  r.group ? { name, group: r.group, kind: r.resource } : { name, kind: r.resource };

export const notFound = (r: QualifiedResource, name: string): StatusError =>
  failure(404, 'NotFound', `${qualified(r)} "${name}" not found`, detailsOf(r, name));

export const alreadyExists = (r: QualifiedResource, name: string): StatusError =>
  failure(409, 'AlreadyExists', `${qualified(r)} "${name}" already exists`, detailsOf(r, name));

export const conflict = (r: QualifiedResource, name: string, why: string): StatusError =>
  failure(409, 'Conflict', `Operation cannot be fulfilled on ${qualified(r)} "${name}": ${why}`, detailsOf(r, name));

export const modifiedConflict = (r: QualifiedResource, name: string): StatusError =>
  conflict(r, name, 'the object has been modified; please apply your changes to the latest version and try again');

export const forbidden = (r: QualifiedResource, name: string, why: string): StatusError =>
  failure(
    403,
    'Forbidden',
    `${qualified(r)}${name ? ` "${name}"` : ''} is forbidden: ${why}`,
    detailsOf(r, name),
  );

export const badRequest = (message: string): StatusError => failure(400, 'BadRequest', message);

export const methodNotAllowed = (): StatusError =>
  failure(405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource');

export const notAcceptable = (accepted: string[]): StatusError =>
  failure(406, 'NotAcceptable', `only the following media types are accepted: ${accepted.join(', ')}`);

export const unsupportedMediaType = (given: string, accepted: string[]): StatusError =>
  failure(
    415,
    'UnsupportedMediaType',
    `the body of the request was in an unknown format (${given || 'none'}) - accepted media types include: ${accepted.join(', ')}`,
  );

export const expired = (message: string): StatusError => failure(410, 'Expired', message);

export const unauthorized = (): StatusError => failure(401, 'Unauthorized', 'Unauthorized');

export const pathNotFound = (): StatusError =>
  failure(404, 'NotFound', 'the server could not find the requested resource', {});

export const internal = (): StatusError =>
  failure(500, 'InternalError', 'Internal error occurred: an unexpected error prevented the server from serving the request');

const statusOfKosKind: Record<string, [number, StatusReason]> = {
  BadRequest: [400, 'BadRequest'],
  Unauthorized: [401, 'Unauthorized'],
  Forbidden: [403, 'Forbidden'],
  NotFound: [404, 'NotFound'],
  AlreadyExists: [409, 'AlreadyExists'],
  Conflict: [409, 'Conflict'],
  Compacted: [410, 'Expired'],
  WatchTooSlow: [410, 'Expired'],
  PayloadTooLarge: [413, 'RequestEntityTooLarge'],
  UnsupportedMediaType: [415, 'UnsupportedMediaType'],
  Unavailable: [503, 'ServiceUnavailable'],
};

/**
 * Any thrown thing as a StatusError. Store errors that escaped a more specific translation
 * keep their meaning; anything unknown becomes a 500 with no internals in the message.
 */
export function toStatusError(err: unknown): StatusError {
  if (err instanceof StatusError) return err;
  if (isKosError(err)) {
    // apimachinery marks the few errors whose wire status its kind cannot express (422, 413).
    const hint = statusHintOf(err);
    if (hint) return failure(hint.code, hint.reason as StatusReason, err.message);
    const mapped = statusOfKosKind[err.kind];
    if (mapped) return failure(mapped[0], mapped[1], err.message);
  }
  return internal();
}
