/**
 * Keystone's wire conventions in one place: the error body, links on every resource and
 * collection, and the checks every request body gets before a handler sees it.
 */
import type { FastifyRequest } from 'fastify';
import { KosError } from '../../core/errors.js';
import type { ErrorReply } from '../../core/http/mounts.js';

const titles: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  412: 'Precondition Failed',
  413: 'Request Entity Too Large',
  415: 'Unsupported Media Type',
  500: 'Internal Server Error',
  501: 'Not Implemented',
  503: 'Service Unavailable',
};

/** `{"error": {"code", "title", "message"}}`; a 401 also names where to authenticate. */
export function keystoneError(err: KosError, baseUrl?: string): ErrorReply {
  const status = err.kind === 'AlreadyExists' ? 409 : err.status;
  const reply: ErrorReply = {
    status,
    body: { error: { code: status, title: titles[status] ?? 'Error', message: err.message } },
  };
  if (status === 401 && baseUrl) reply.headers = { 'www-authenticate': `Keystone uri="${baseUrl}/v3"` };
  return reply;
}

/** The URL the client reached us at (the catalog may name another). */
export function baseUrlOf(req: FastifyRequest): string {
  const host = req.headers['x-forwarded-host'] ?? req.headers.host ?? `${req.hostname}`;
  return `${req.protocol}://${Array.isArray(host) ? host[0] : host}`;
}

/** `{"self": ".../v3/<path>"}` */
export const selfLink = (req: FastifyRequest, path: string): { self: string } => ({
  self: `${baseUrlOf(req)}/v3/${path}`,
});

/** The links object of a collection: self is the request URL itself. */
export function collectionLinks(req: FastifyRequest): { self: string; previous: null; next: null } {
  return { self: `${baseUrlOf(req)}${req.url}`, previous: null, next: null };
}

type JsonObject = Record<string, unknown>;

/** The object under `name` in a request body (`{"project": {...}}`), or a 400 saying what is wrong. */
export function member(body: unknown, name: string): JsonObject {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new KosError('BadRequest', `Invalid input for field '${name}': the request body must be a JSON object containing '${name}'.`);
  }
  const value = (body as JsonObject)[name];
  if (value === undefined) {
    throw new KosError('BadRequest', `Invalid input for field '${name}': '${name}' is a required property.`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new KosError('BadRequest', `Invalid input for field '${name}': ${JSON.stringify(value)} is not of type 'object'.`);
  }
  return value as JsonObject;
}

/** Query parameters as Keystone reads them: the last value of a repeated key wins. */
export function queryOf(req: FastifyRequest): Record<string, string> {
  const q = (req.query ?? {}) as Record<string, string | string[] | undefined>;
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(q)) {
    if (v === undefined) continue;
    out[k] = Array.isArray(v) ? (v[v.length - 1] ?? '') : v;
  }
  return out;
}

/** Keystone's reading of a boolean query flag: present and not false/0/no means true. */
export function queryFlag(value: string | undefined): boolean | undefined {
  if (value === undefined) return undefined;
  return !['false', '0', 'no', 'off'].includes(value.toLowerCase());
}

/** ISO 8601 the way Keystone writes it in resources: `2026-01-01T00:00:00.000000`. */
export function isoMicro(ms: number): string {
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$1000');
}

/** ISO 8601 with Z, as tokens show expires_at: `2026-01-01T00:00:00.000000Z`. */
export function isoMicroZ(ms: number): string {
  return `${isoMicro(ms)}Z`;
}
