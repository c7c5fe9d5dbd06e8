/**
 * The shared HTTP listener: one Fastify instance for every OpenStack API. It gives each
 * request an id, one structured log line and its metrics, parses JSON leniently where
 * OpenStack clients expect it, and turns every failure into the owning API's error format.
 */
import Fastify, {
  LogController, type FastifyBaseLogger, type FastifyError, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { Counter, Histogram, type Registry } from 'prom-client';
import { KosError, isKosError, type ErrorKind } from '../errors.js';
import { requestId } from '../ids.js';
import { MAX_JSON_DEPTH, exceedsJsonDepth } from '../json-depth.js';
import type { Logger } from '../log.js';
import { MountTable, type ApiMount } from './mounts.js';
import { noSchemaCompilers } from './no-schemas.js';

export interface HttpServerOptions {
  logger: Logger;
  metrics: Registry;
  /** Largest request body accepted, bytes (default 1 MiB; image uploads raise it per route). */
  bodyLimit?: number;
}

export interface HttpServer {
  app: FastifyInstance;
  mounts: MountTable;
  /** Register an API: its routes under its prefix and its error format. */
  mount(mount: ApiMount, routes: (app: FastifyInstance) => Promise<void> | void): Promise<void>;
}

declare module 'fastify' {
  interface FastifyRequest {
    kosService?: string;
  }
}

const kindByStatus: Record<number, ErrorKind> = {
  400: 'BadRequest',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'NotFound',
  405: 'MethodNotAllowed',
  409: 'Conflict',
  412: 'PreconditionFailed',
  413: 'PayloadTooLarge',
  415: 'UnsupportedMediaType',
};

/** Any thrown thing as a KosError: Fastify's own 4xx errors keep their status and message. */
export function toKosError(err: unknown): KosError {
  if (isKosError(err)) return err;
  const fe = err as Partial<FastifyError> & { validation?: unknown };
  if (fe && typeof fe.statusCode === 'number' && fe.statusCode < 500) {
    const kind = kindByStatus[fe.statusCode] ?? 'BadRequest';
    return new KosError(kind, describeFastifyError(fe));
  }
  return new KosError('Internal', 'An unexpected error prevented the server from fulfilling your request.');
}

function describeFastifyError(fe: Partial<FastifyError>): string {
  switch (fe.code) {
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return 'Malformed request body: the body is not valid JSON.';
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return 'Request body is larger than the server accepts.';
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return 'Unsupported Content-Type: send application/json.';
    default:
      return fe.message ?? 'Bad request';
  }
}

export function createHttpServer(opts: HttpServerOptions): HttpServer {
  const app = Fastify({
    loggerInstance: opts.logger as FastifyBaseLogger,
    // One log line per request, written by the onResponse hook below.
    logController: new LogController({ disableRequestLogging: true }),
    // No child logger per request (a measurable share of a token validation's cost): the
    // one request line carries the request id itself.
    childLoggerFactory: (logger) => logger,
    genReqId: (req) => {
      const given = req.headers['x-openstack-request-id'];
      return typeof given === 'string' && /^req-[0-9a-f-]{36}$/.test(given) ? given : requestId();
    },
    bodyLimit: opts.bodyLimit ?? 1024 * 1024,
    // Query strings such as ?name=a&name=b and ?tags=a,b are read by each API itself.
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 1000 },
    return503OnClosing: true,
    schemaController: noSchemaCompilers,
  });
  const mounts = new MountTable();

  const requests = new Counter({
    name: 'kos_http_requests_total',
    help: 'HTTP requests by service, route, method and status',
    labelNames: ['service', 'route', 'method', 'status'],
    registers: [opts.metrics],
  });
  const latency = new Histogram({
    name: 'kos_http_request_duration_seconds',
    help: 'HTTP request latency by service and route',
    labelNames: ['service', 'route'],
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [opts.metrics],
  });

  // OpenStack clients send Content-Type: application/json on bodiless requests (tempest
  // does on DELETE); an empty body is no body, not a parse error.
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_req, body, done) => {
    const text = typeof body === 'string' ? body : body.toString('utf8');
    if (text.trim() === '') {
      done(null, undefined);
      return;
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text) as unknown;
    } catch {
      done(new KosError('BadRequest', 'Malformed request body: the body is not valid JSON.'), undefined);
      return;
    }
    if (exceedsJsonDepth(parsed)) {
      done(new KosError('BadRequest', `Malformed request body: JSON nested deeper than ${MAX_JSON_DEPTH} levels.`), undefined);
      return;
    }
    done(null, parsed);
  });

  app.addHook('onRequest', async (req, reply) => {
    req.kosService = mounts.find(req.url)?.service ?? 'kos';
    reply.header('x-openstack-request-id', req.id);
  });

  app.addHook('onResponse', async (req, reply) => {
    const route = req.routeOptions.url ?? 'unmatched';
    const service = req.kosService ?? 'kos';
    const seconds = reply.elapsedTime / 1000;
    requests.inc({ service, route, method: req.method, status: String(reply.statusCode) });
    latency.observe({ service, route }, seconds);
    req.log.info(
      { reqId: req.id, service, method: req.method, url: req.url, status: reply.statusCode, ms: Math.round(reply.elapsedTime * 100) / 100 },
      'request',
    );
  });

  const sendError = (req: FastifyRequest, reply: FastifyReply, err: KosError) => {
    const mount = mounts.find(req.url);
    const formatted = mount
      ? mount.formatError(err)
      : { status: err.status, body: { error: { code: err.status, message: err.message } } };
    if (formatted.headers) void reply.headers(formatted.headers);
    return reply.code(formatted.status).type('application/json').send(formatted.body);
  };

  app.setErrorHandler((error, req, reply) => {
    const err = toKosError(error);
    if (err.kind === 'Internal') req.log.error({ err: error }, 'request failed');
    return sendError(req, reply, err);
  });

  app.setNotFoundHandler((req, reply) =>
    sendError(req, reply, new KosError('NotFound', `The resource could not be found: ${req.method} ${req.url.split('?')[0]}`)),
  );

  app.get('/healthz', async () => ({ status: 'ok' }));
  app.get('/metrics', async (_req, reply) => {
    const text = await opts.metrics.metrics();
    return reply.type(opts.metrics.contentType).send(text);
  });

  return {
    app,
    mounts,
    async mount(mount, routes) {
      mounts.add(mount);
      await app.register(async (scope) => routes(scope), { prefix: mount.prefix });
    },
  };
}
