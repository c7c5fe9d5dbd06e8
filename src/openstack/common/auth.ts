/**
 * Token authentication for every OpenStack API: the X-Auth-Token header is validated by
 * the identity service (in-process) and the resulting context is put on the request.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { KosError } from '../../core/errors.js';
import type { AuthContext, RequestContext } from './context.js';

export interface TokenValidator {
  /** Validate a token; throws KosError 'Unauthorized' (or 'NotFound' for a subject token). */
  validate(token: string, opts?: { allowExpired?: boolean }): Promise<AuthContext>;
}

declare module 'fastify' {
  interface FastifyRequest {
    kosContext?: RequestContext;
  }
}

export const AUTH_REQUIRED = 'The request you have made requires authentication.';

/** A preHandler that authenticates the caller or answers 401. */
export function requireToken(validator: TokenValidator) {
  return async (req: FastifyRequest, _reply: FastifyReply): Promise<void> => {
    const header = req.headers['x-auth-token'];
    const token = Array.isArray(header) ? header[0] : header;
    if (!token) throw new KosError('Unauthorized', AUTH_REQUIRED);
    const auth = await validator.validate(token);
    req.kosContext = { requestId: req.id, auth };
  };
}

/** The authenticated context of a request (set by requireToken). */
export function contextOf(req: FastifyRequest): RequestContext {
  if (!req.kosContext) throw new KosError('Unauthorized', AUTH_REQUIRED);
  return req.kosContext;
}
