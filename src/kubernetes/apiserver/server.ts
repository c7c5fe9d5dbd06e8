/**
 * One cluster's HTTPS listener: its own Fastify instance (not the OpenStack one), TLS with
 * the cluster's serving certificate, client certificates requested and checked against
 * the cluster CA. The request lifecycle is the real server's: authenticate, authorize,
 * then discovery or the resource handlers; every failure leaves as a Status.
 */
import { noSchemaCompilers } from '../../core/http/no-schemas.js';
import { warningHeaderValue } from './apply/index.js';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TLSSocket } from 'node:tls';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import type { Logger } from '../../core/log.js';
import { isPublicPath, type ClusterAuth, type UserInfo } from './auth.js';
import { verifiedCertificateSubject } from './authn/client-certificate.js';
import { attributesOf, forbiddenMessage, type Attributes } from './rbac/attributes.js';
import { impersonate, impersonationRequest } from './authn/impersonation.js';
import type { ResourceCatalog } from './catalog.js';
import { apiGroup, apiGroupList, apiResourceList, apiVersions } from './discovery.js';
import { handleResource, shapeWatchEvent, type HandlerContext, type HandlerResult, type Query } from './handlers.js';
import { negotiateDiscovery } from './negotiation.js';
import { registerOpenApiRoutes } from './openapi/index.js';
import { parseRequestInfo, type RequestInfo } from './request-info.js';
import { StatusError, badRequest, failure, pathNotFound, qualified, toStatusError, unauthorized, type StatusObject } from './status.js';
import { kubernetesVersion } from './version.js';
import { runWatch, type WatchEvent } from './watch.js';
import { noRuntime } from '../runtime/unavailable.js';
import type { RuntimeResolver } from '../runtime/types.js';
import { servePodLog } from './streaming/pod-log.js';
import { createUpgradeHandler } from './streaming/upgrade.js';

export interface ApiServerOptions {
  handlers: HandlerContext;
  /** Who may do what: the authenticator and authorizer chains. */
  auth: ClusterAuth;
  catalog: ResourceCatalog;
  log: Logger;
  tls: { key: string; cert: string; ca: string };
  /** host:port clients reach this server at, for /api's serverAddressByClientCIDRs. */
  serverAddress: () => string;
  /** Largest request body accepted (the real server's limit is 3 MiB). */
  bodyLimit?: number;
  /** Who runs each pod's containers, for log/exec/attach/portforward (default: nobody yet). */
  runtime?: RuntimeResolver;
}

/**
 * Authenticate and authorize one request (plain or upgrade), as the real server does
 * before anything else: 401 without a user, 403 with the real Forbidden message.
 */
async function admit(auth: ClusterAuth, raw: IncomingMessage, info: RequestInfo): Promise<{ user?: UserInfo } | { refused: StatusObject }> {
  if (isPublicPath(info)) return {};
  const subject = verifiedCertificateSubject(raw.socket as TLSSocket);
  let user = await auth.authenticate({ ...(subject ? { certificateSubject: subject } : {}), headers: raw.headers });
  if (!user) return { refused: unauthorized().status };
  const asked = impersonationRequest(raw.headers);
  if (asked) {
    const outcome = await impersonate(user, asked, (attrs) => auth.authorize(attrs));
    if ('badRequest' in outcome) return { refused: badRequest(outcome.badRequest).status };
    if ('forbidden' in outcome) return { refused: forbidden(outcome.forbidden, undefined) };
    user = outcome.user;
  }
  const attrs = attributesOf(user, info);
  const decision = await auth.authorize(attrs);
  if (decision.allowed) return { user };
  return { refused: forbidden(attrs, decision.reason) };
}

/** The real server's Forbidden: `<resource>[.<group>] ["<name>"] is forbidden: User "x" cannot …[: reason]`. */
function forbidden(attrs: Attributes, reason: string | undefined): StatusObject {
  const why = reason ? `${forbiddenMessage(attrs)}: ${reason}` : forbiddenMessage(attrs);
  if (attrs.kind === 'nonResource') return failure(403, 'Forbidden', `forbidden: ${why}`, {}).status;
  const what = qualified({ group: attrs.apiGroup, resource: attrs.resource });
  const message = `${what}${attrs.name ? ` ${JSON.stringify(attrs.name)}` : ''} is forbidden: ${why}`;
  const details = { ...(attrs.name ? { name: attrs.name } : {}), ...(attrs.apiGroup ? { group: attrs.apiGroup } : {}), kind: attrs.resource };
  return failure(403, 'Forbidden', message, details).status;
}

declare module 'fastify' {
  interface FastifyRequest {
    kubeUser?: UserInfo;
    kubeInfo?: RequestInfo;
  }
}

const firstValue = (v: unknown): string | undefined => (Array.isArray(v) ? firstValue(v[0]) : typeof v === 'string' ? v : undefined);

function queryOf(req: FastifyRequest): Query {
  const out: Query = {};
  for (const [k, v] of Object.entries((req.query ?? {}) as Record<string, unknown>)) out[k] = firstValue(v);
  return out;
}

const pathOf = (req: FastifyRequest): string => req.url.split('?')[0] ?? '/';

function sendJson(reply: FastifyReply, code: number, body: unknown): FastifyReply {
  return reply.code(code).header('content-type', 'application/json').send(JSON.stringify(body));
}

function sendStatus(reply: FastifyReply, status: StatusObject): FastifyReply {
  return sendJson(reply, status.code, status);
}

export async function createApiServer(opts: ApiServerOptions): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: opts.log as FastifyBaseLogger,
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: opts.bodyLimit ?? 3 * 1024 * 1024,
    https: { key: opts.tls.key, cert: opts.tls.cert, ca: opts.tls.ca, requestCert: true, rejectUnauthorized: false },
    // Watches stay open for as long as the client wants.
    requestTimeout: 0,
    return503OnClosing: false,
    schemaController: noSchemaCompilers,
  });

  // Bodies are decoded by the handlers, which know the content types each verb accepts.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));

  app.setErrorHandler((err, req, reply) => {
    const status = err instanceof StatusError ? err.status : statusOfFastifyError(err) ?? toStatusError(err).status;
    if (status.code >= 500) req.log.error({ err, url: req.url }, 'kubernetes api request failed');
    return sendStatus(reply, status);
  });
  app.setNotFoundHandler((_req, reply) => sendStatus(reply, pathNotFound().status));

  app.addHook('onRequest', async (req, reply) => {
    const info = parseRequestInfo(req.method, pathOf(req), queryOf(req));
    req.kubeInfo = info;
    const admitted = await admit(opts.auth, req.raw, info);
    if ('refused' in admitted) return sendStatus(reply, admitted.refused);
    if (admitted.user) req.kubeUser = admitted.user;
    return undefined;
  });

  // exec, attach and portforward arrive as upgrade requests, which bypass Fastify's routing.
  const pods = opts.handlers.catalog.find('', 'v1', 'pods');
  const runtime = opts.runtime ?? noRuntime;
  if (pods) {
    app.server.on('upgrade', createUpgradeHandler({
      registry: opts.handlers.registry,
      pods,
      runtime,
      async admit(raw) {
        const url = raw.url ?? '/';
        const query: Query = Object.fromEntries(new URL(url, 'https://localhost').searchParams);
        const info = parseRequestInfo(raw.method ?? 'GET', url.split('?')[0] ?? '/', query);
        if (info.kind !== 'resource') return { refused: pathNotFound().status };
        const admitted = await admit(opts.auth, raw, info);
        if ('refused' in admitted) return admitted;
        // As the real server (1.31+) does, a WebSocket GET on exec/attach/portforward also needs create.
        if (info.verb === 'get' && info.subresource) {
          const alsoCreate = await admit(opts.auth, raw, { ...info, verb: 'create' });
          if ('refused' in alsoCreate) return alsoCreate;
        }
        return { info };
      },
    }));
  }

  const text = (body: string) => async (_req: FastifyRequest, reply: FastifyReply) => reply.type('text/plain; charset=utf-8').send(body);
  for (const p of ['/healthz', '/livez', '/readyz']) {
    app.get(p, text('ok'));
    app.get(`${p}/*`, text('ok'));
  }
  app.get('/version', async (_req, reply) => sendJson(reply, 200, kubernetesVersion));
  registerOpenApiRoutes(app, opts.catalog);

  app.get('/api', async (req, reply) => {
    negotiateDiscovery(req.headers.accept);
    return sendJson(reply, 200, apiVersions(opts.serverAddress()));
  });
  app.get('/apis', async (req, reply) => {
    negotiateDiscovery(req.headers.accept);
    return sendJson(reply, 200, apiGroupList(opts.catalog));
  });
  app.get('/apis/:group', async (req, reply) => {
    const group = apiGroup(opts.catalog, (req.params as { group: string }).group);
    if (!group) throw pathNotFound();
    return sendJson(reply, 200, group);
  });
  app.get('/api/:version', async (req, reply) => {
    const version = (req.params as { version: string }).version;
    if (!opts.catalog.hasGroupVersion({ group: '', version })) throw pathNotFound();
    negotiateDiscovery(req.headers.accept);
    return sendJson(reply, 200, apiResourceList(opts.catalog, { group: '', version }));
  });
  app.get('/apis/:group/:version', async (req, reply) => {
    const gv = req.params as { group: string; version: string };
    if (!opts.catalog.hasGroupVersion(gv)) throw pathNotFound();
    negotiateDiscovery(req.headers.accept);
    return sendJson(reply, 200, apiResourceList(opts.catalog, gv));
  });

  const resource = async (req: FastifyRequest, reply: FastifyReply): Promise<FastifyReply | undefined> => {
    const info = req.kubeInfo;
    if (!info || info.kind !== 'resource') throw pathNotFound();
    if (pods && info.verb === 'get' && info.subresource === 'log' && info.group === '' && info.resource === 'pods' && info.namespace && info.name) {
      reply.hijack();
      try {
        await servePodLog({ registry: opts.handlers.registry, pods, runtime, namespace: info.namespace, name: info.name, query: queryOf(req) }, reply.raw);
      } catch (e) {
        const status = toStatusError(e).status;
        if (!reply.raw.headersSent) reply.raw.writeHead(status.code, { 'content-type': 'application/json' }).end(JSON.stringify(status));
        else reply.raw.end();
      }
      return undefined;
    }
    const result = await handleResource(opts.handlers, {
      info,
      query: queryOf(req),
      accept: req.headers.accept,
      contentType: req.headers['content-type'],
      body: req.body instanceof Uint8Array ? req.body : undefined,
      ...(req.kubeUser ? { user: req.kubeUser } : {}),
      ...(req.headers['user-agent'] ? { userAgent: req.headers['user-agent'] } : {}),
    });
    if (result.kind === 'json') {
      // fieldValidation=Warn: kubectl prints each as `Warning: …`.
      if (result.warnings?.length) void reply.header('warning', result.warnings.map(warningHeaderValue));
      return sendJson(reply, result.code, result.body);
    }
    await streamWatch(opts.handlers, req, reply, result);
    return undefined;
  };
  const methods = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;
  app.route({ method: [...methods], url: '/api/*', handler: resource });
  app.route({ method: [...methods], url: '/apis/*', handler: resource });
  return app;
}

/** Fastify's own 4xx (body too large, bad content) as Status objects. */
function statusOfFastifyError(err: unknown): StatusObject | undefined {
  const fe = err as { statusCode?: unknown; message?: unknown };
  if (typeof fe?.statusCode !== 'number' || fe.statusCode >= 500) return undefined;
  const message = typeof fe.message === 'string' ? fe.message : 'bad request';
  if (fe.statusCode === 413) return failure(413, 'RequestEntityTooLarge', 'Request entity too large: limit is 3145728').status;
  if (fe.statusCode === 415) return failure(415, 'UnsupportedMediaType', message).status;
  return failure(400, 'BadRequest', message).status;
}

/**
 * Stream a watch: headers flushed at once (clients wait for them before reading), then
 * one JSON event per line. The watch ends when the client goes away, the timeout passes
 * or the store ends it; backpressure from a slow client pauses only this watch.
 */
async function streamWatch(ctx: HandlerContext, req: FastifyRequest, reply: FastifyReply, result: HandlerResult & { kind: 'watch' }): Promise<void> {
  reply.hijack();
  const res: ServerResponse = reply.raw;
  res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-cache, private', 'transfer-encoding': 'chunked' });
  res.flushHeaders();
  const gone = new AbortController();
  res.on('close', () => gone.abort());
  const send = async (event: WatchEvent): Promise<void> => {
    if (gone.signal.aborted) return;
    const ok = res.write(`${JSON.stringify(shapeWatchEvent(ctx, result, event))}\n`);
    if (!ok) await new Promise<void>((resolve) => {
      const done = (): void => {
        res.off('drain', done);
        res.off('close', done);
        resolve();
      };
      res.on('drain', done);
      res.on('close', done);
    });
  };
  try {
    await runWatch(ctx.registry, result.def, result.namespace, result.options, send, gone.signal);
  } catch (e) {
    const status = toStatusError(e).status;
    if (status.code >= 500) req.log.error({ err: e }, 'kubernetes watch failed');
    await send({ type: 'ERROR', object: status }).catch(() => undefined);
  } finally {
    if (!res.writableEnded) res.end();
  }
}
