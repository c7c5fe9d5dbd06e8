/**
 * The one error catalogue of kos. Every layer throws a KosError with a kind; each API
 * facade translates kinds into its own wire format (Keystone's `error`, Nova's fault
 * bodies, Neutron's NeutronError, Kubernetes' Status), so the core never knows a wire.
 */
export type ErrorKind =
  | 'BadRequest'
  | 'Unauthorized'
  | 'Forbidden'
  | 'NotFound'
  | 'MethodNotAllowed'
  | 'AlreadyExists'
  | 'Conflict'
  | 'PreconditionFailed'
  | 'PayloadTooLarge'
  /** Semantically invalid input (Kubernetes' 422 Invalid). */
  | 'Invalid'
  | 'UnsupportedMediaType'
  | 'OverLimit'
  | 'Compacted'
  | 'WatchTooSlow'
  | 'Unavailable'
  | 'NotImplemented'
  | 'Internal';

const statusOf: Record<ErrorKind, number> = {
  BadRequest: 400,
  Unauthorized: 401,
  Forbidden: 403,
  NotFound: 404,
  MethodNotAllowed: 405,
  AlreadyExists: 409,
  Conflict: 409,
  PreconditionFailed: 412,
  PayloadTooLarge: 413,
  Invalid: 422,
  UnsupportedMediaType: 415,
  OverLimit: 413,
  Compacted: 410,
  WatchTooSlow: 410,
  Unavailable: 503,
  NotImplemented: 501,
  Internal: 500,
};

export class KosError extends Error {
  readonly kind: ErrorKind;
  readonly status: number;
  readonly details: Record<string, unknown> | undefined;

  constructor(kind: ErrorKind, message: string, details?: Record<string, unknown>) {
    super(message);
    this.name = `KosError(${kind})`;
    this.kind = kind;
    this.status = statusOf[kind];
    this.details = details;
  }
}

export const isKosError = (e: unknown): e is KosError => e instanceof KosError;

export const badRequest = (message: string, details?: Record<string, unknown>): KosError =>
  new KosError('BadRequest', message, details);
export const notFound = (message: string): KosError => new KosError('NotFound', message);
export const conflict = (message: string): KosError => new KosError('Conflict', message);
export const forbidden = (message: string): KosError => new KosError('Forbidden', message);
export const unauthorized = (message: string): KosError => new KosError('Unauthorized', message);

/** The HTTP status a kind maps to; facades may refine it (Keystone uses 409 for both). */
export const httpStatusOf = (kind: ErrorKind): number => statusOf[kind];
