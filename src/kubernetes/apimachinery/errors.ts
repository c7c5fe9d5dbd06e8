/**
 * The errors apimachinery raises, shaped the way the Kubernetes API server answers them.
 *
 * Most failures are 400 BadRequest carrying the server's own message. A few (a JSON patch
 * that does not apply, a strategic merge patch with lists of lists) are answered by the
 * real server with 422 and reason Invalid, built by `NewGenericServerResponse`, which
 * replaces the detailed message with a generic one: KosError kind 'Invalid'. Errors whose
 * wire reason differs from what their kind implies carry a `status` hint in their details
 * that the Status writer honours; `statusHintOf` reads it back. The detailed reason stays
 * in `details.detail` for logs.
 */
import { KosError } from '../../core/errors.js';

/** The message the real server sends with a generic 422. */
export const GENERIC_INVALID_MESSAGE = 'the server rejected our request due to an error in our request';

/** How a KosError should appear on the wire when its kind alone does not say it. */
export interface StatusHint {
  readonly code: number;
  readonly reason: string;
}

export function badRequest(message: string): KosError {
  return new KosError('BadRequest', message);
}

/** 422 Invalid with the generic message, as the real server answers a patch that cannot apply. */
export function unprocessable(detail: string): KosError {
  return invalid(GENERIC_INVALID_MESSAGE, detail);
}

/** 422 Invalid with a message of its own (the server's `NewInvalid`). */
export function invalid(message: string, detail?: string): KosError {
  const status: StatusHint = { code: 422, reason: 'Invalid' };
  return new KosError('Invalid', message, { status, detail: detail ?? message });
}

/** 413, as the real server answers a JSON patch with too many operations. */
export function tooLarge(message: string): KosError {
  return new KosError('PayloadTooLarge', message, { status: { code: 413, reason: 'RequestEntityTooLarge' } });
}

/** The wire status a KosError asks for, when it differs from what its kind implies. */
export function statusHintOf(err: KosError): StatusHint | undefined {
  const hint = err.details?.['status'];
  if (typeof hint !== 'object' || hint === null) return undefined;
  const { code, reason } = hint as Record<string, unknown>;
  return typeof code === 'number' && typeof reason === 'string' ? { code, reason } : undefined;
}
