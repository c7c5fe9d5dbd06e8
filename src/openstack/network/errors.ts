/**
 * Neutron's error body, `{"NeutronError": {"type", "message", "detail"}}`. Services throw
 * KosErrors; the exception class name Neutron would raise travels in `details.type`, and
 * a generic one is derived from the kind when a thrower did not name one.
 */
import { KosError, type ErrorKind } from '../../core/errors.js';
import type { ErrorReply } from '../../core/http/mounts.js';

const typeOfKind: Partial<Record<ErrorKind, string>> = {
  BadRequest: 'HTTPBadRequest',
  Unauthorized: 'HTTPUnauthorized',
  Forbidden: 'HTTPForbidden',
  NotFound: 'HTTPNotFound',
  MethodNotAllowed: 'HTTPMethodNotAllowed',
  Conflict: 'HTTPConflict',
  AlreadyExists: 'HTTPConflict',
  PreconditionFailed: 'HTTPPreconditionFailed',
  Internal: 'HTTPInternalServerError',
};

/** A KosError carrying Neutron's exception name. */
export const neutronError = (kind: ErrorKind, type: string, message: string): KosError =>
  new KosError(kind, message, { type });

export const badRequest = (message: string, type = 'HTTPBadRequest'): KosError => neutronError('BadRequest', type, message);
export const invalidInput = (message: string): KosError =>
  neutronError('BadRequest', 'InvalidInput', `Invalid input for operation: ${message}.`);
export const conflict = (type: string, message: string): KosError => neutronError('Conflict', type, message);
export const forbidden = (message: string, type = 'HTTPForbidden'): KosError => neutronError('Forbidden', type, message);

/** `NetworkNotFound: Network <id> could not be found.` from a member name such as `network`. */
export function notFoundOf(member: string, id: string): KosError {
  const words = member.split('_');
  const type = `${words.map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join('')}NotFound`;
  const noun = words.map((w, i) => (i === 0 ? w.charAt(0).toUpperCase() + w.slice(1) : w)).join(' ');
  return neutronError('NotFound', type, `${noun} ${id} could not be found.`);
}

export function neutronErrorReply(err: KosError): ErrorReply {
  // Keystone's 409 for AlreadyExists; Neutron's conflicts are 409 as well.
  const given = err.details?.type;
  const type = typeof given === 'string' ? given : (typeOfKind[err.kind] ?? 'HTTPInternalServerError');
  return { status: err.status, body: { NeutronError: { type, message: err.message, detail: '' } } };
}
