import { createHash } from 'node:crypto';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ResourceCatalog } from '../../../../src/kubernetes/apiserver/catalog.js';
import { registerOpenApiRoutes } from '../../../../src/kubernetes/apiserver/openapi/index.js';
import { builtinResources } from '../../../../src/kubernetes/apiserver/resources/index.js';
import { StatusError } from '../../../../src/kubernetes/apiserver/status.js';

let app: FastifyInstance;
const fixedNow = Date.UTC(2025, 0, 1);

beforeAll(async () => {
  app = Fastify();
  app.setErrorHandler((err, _req, reply) => {
    const code = err instanceof StatusError ? err.status.code : 500;
    return reply.code(code).send(err instanceof StatusError ? err.status : { message: String(err) });
  });
  registerOpenApiRoutes(app, new ResourceCatalog(builtinResources), () => fixedNow);
  await app.ready();
});
afterAll(async () => {
  await app.close();
});

const sha512 = (s: string): string => createHash('sha512').update(s).digest('hex').toUpperCase();

describe('/openapi/v3', () => {
  it('lists every group-version with a hashed serverRelativeURL and a quoted ETag', async () => {
    const res = await app.inject({ method: 'GET', url: '/openapi/v3' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/json');
    expect(res.headers.etag).toBe(`"${sha512(res.body)}"`);
    const index = JSON.parse(res.body) as { paths: Record<string, { serverRelativeURL: string }> };
    expect(Object.keys(index.paths)).toContain('apis/apps/v1');
    const url = index.paths['api/v1']?.serverRelativeURL ?? '';
    expect(url).toMatch(/^\/openapi\/v3\/api\/v1\?hash=[0-9A-F]{128}$/);
    const doc = await app.inject({ method: 'GET', url });
    expect(url.endsWith(sha512(doc.body))).toBe(true);
  });

  it('answers 304 to a matching If-None-Match', async () => {
    const first = await app.inject({ method: 'GET', url: '/openapi/v3' });
    const again = await app.inject({ method: 'GET', url: '/openapi/v3', headers: { 'if-none-match': String(first.headers.etag) } });
    expect(again.statusCode).toBe(304);
    expect(again.body).toBe('');
  });

  it('makes a document with the current hash immutable and redirects a stale hash', async () => {
    const index = JSON.parse((await app.inject({ method: 'GET', url: '/openapi/v3' })).body) as { paths: Record<string, { serverRelativeURL: string }> };
    const url = index.paths['apis/apps/v1']?.serverRelativeURL ?? '';
    const res = await app.inject({ method: 'GET', url, headers: { accept: 'application/json' } });
    expect(res.statusCode).toBe(200);
    expect(res.headers['cache-control']).toBe('public, immutable');
    expect(res.headers.expires).toBe(new Date(fixedNow + 365 * 24 * 3600 * 1000).toUTCString());
    expect(res.headers.vary).toBe('Accept');
    expect((JSON.parse(res.body) as { openapi: string }).openapi).toBe('3.0.0');
    const stale = await app.inject({ method: 'GET', url: '/openapi/v3/apis/apps/v1?hash=0123' });
    expect(stale.statusCode).toBe(301);
    expect(stale.headers.location).toBe(url);
    const plain = await app.inject({ method: 'GET', url: '/openapi/v3/apis/apps/v1' });
    expect(plain.statusCode).toBe(200);
    expect(plain.headers['cache-control']).toBeUndefined();
  });

  it('answers 406 to a protobuf-only Accept and 404 to an unknown group-version', async () => {
    const pb = await app.inject({ method: 'GET', url: '/openapi/v3/api/v1', headers: { accept: 'application/com.github.proto-openapi.spec.v3@v1.0+protobuf' } });
    expect(pb.statusCode).toBe(406);
    const missing = await app.inject({ method: 'GET', url: '/openapi/v3/apis/example.com/v1' });
    expect(missing.statusCode).toBe(404);
    expect((await app.inject({ method: 'GET', url: '/openapi/v2' })).statusCode).toBe(404);
  });
});
