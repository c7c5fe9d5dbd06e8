/**
 * GET /openapi/v3 (the index of group-versions) and /openapi/v3/<api/v1|apis/g/v> (one
 * document), with the real server's caching contract: a quoted ETag and 304 for a
 * matching If-None-Match on both; on a document requested with `?hash=`, a matching hash
 * is cacheable for a year (`public, immutable`) and a stale one is redirected (301) to the
 * current URL. Documents are JSON only: a client accepting nothing but the protobuf form
 * gets 406, which kubectl never asks for. /openapi/v2 stays unserved (404): kubectl
 * 1.27+ takes everything it needs from v3 once PATCH advertises fieldValidation.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ResourceCatalog } from '../catalog.js';
import { parseAccept } from '../negotiation.js';
import { notAcceptable, pathNotFound } from '../status.js';
import { hashedUrl, OpenApiPublisher, type PublishedDocument } from './published.js';

const YEAR_MS = 365 * 24 * 3600 * 1000;

function acceptsJson(header: string | undefined): boolean {
  return parseAccept(header).some((r) => r.type === 'application/json' || r.type === 'application/*' || r.type === '*/*');
}

function notModified(req: FastifyRequest, etag: string): boolean {
  const header = req.headers['if-none-match'];
  if (typeof header !== 'string') return false;
  return header.split(',').some((t) => {
    const tag = t.trim().replace(/^W\//, '');
    return tag === '*' || tag === `"${etag}"`;
  });
}

function send(req: FastifyRequest, reply: FastifyReply, doc: PublishedDocument): FastifyReply {
  reply.header('etag', `"${doc.etag}"`);
  if (notModified(req, doc.etag)) return reply.code(304).send();
  return reply.code(200).header('content-type', 'application/json').send(doc.body);
}

/** Register the OpenAPI v3 routes of one cluster's API server. */
export function registerOpenApiRoutes(app: FastifyInstance, catalog: ResourceCatalog, now: () => number = Date.now): void {
  // Built on the first request, not at registration: the documents cost more than the
  // rest of start-up and most clients (kubectl get) never ask for them. That every
  // built-in kind has a schema is checked by the unit tests on the same builder.
  const publisher = new OpenApiPublisher(catalog);

  app.get('/openapi/v3', async (req, reply) => send(req, reply, publisher.current().index));

  app.get('/openapi/v3/*', async (req, reply) => {
    const key = (req.params as { '*': string })['*'].replace(/\/+$/, '');
    const doc = publisher.current().documents.get(key);
    if (!doc) throw pathNotFound();
    reply.header('vary', 'Accept');
    if (!acceptsJson(req.headers.accept)) throw notAcceptable(['application/json']);
    const hash = (req.query as Record<string, unknown>).hash;
    if (typeof hash === 'string' && hash !== '') {
      if (hash !== doc.etag) return reply.redirect(hashedUrl(key, doc.etag), 301);
      reply.header('cache-control', 'public, immutable');
      reply.header('expires', new Date(now() + YEAR_MS).toUTCString());
    }
    return send(req, reply, doc);
  });
}
