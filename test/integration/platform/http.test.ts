import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestKos } from '../../support/kos.js';

type Kos = Awaited<ReturnType<typeof startTestKos>>;

describe('the shared listener', () => {
  let kos: Kos;
  beforeAll(async () => {
    kos = await startTestKos();
  });
  afterAll(async () => kos.cleanup());

  it('answers version discovery at the root with 300 and at /v3', async () => {
    const root = await fetch(`${kos.url}/`);
    expect(root.status).toBe(300);
    const body = (await root.json()) as { versions: { values: { id: string; links: { href: string }[] }[] } };
    expect(body.versions.values[0]?.id).toBe('v3.14');
    expect(body.versions.values[0]?.links[0]?.href).toBe(`${kos.url}/v3/`);
    const v3 = await fetch(`${kos.url}/v3`);
    expect(v3.status).toBe(200);
    expect(((await v3.json()) as { version: { status: string } }).version.status).toBe('stable');
  });

  it('gives every response a request id', async () => {
    const res = await fetch(`${kos.url}/v3`);
    expect(res.headers.get('x-openstack-request-id')).toMatch(/^req-[0-9a-f-]{36}$/);
  });

  it('answers unknown routes in Keystone format', async () => {
    const res = await fetch(`${kos.url}/v3/no-such-thing`);
    expect(res.status).toBe(404);
    const body = (await res.json()) as { error: { code: number; title: string; message: string } };
    expect(body.error.code).toBe(404);
    expect(body.error.title).toBe('Not Found');
    expect(body.error.message).toContain('/v3/no-such-thing');
  });

  it('rejects malformed JSON with a 400 that says so', async () => {
    const res = await fetch(`${kos.url}/v3/auth/tokens`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"auth": ',
    });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: { message: string } };
    expect(body.error.message).toMatch(/not valid JSON/);
  });

  it('refuses JSON nested deeper than any OpenStack body with a 400', async () => {
    const res = await fetch(`${kos.url}/v3/auth/tokens`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: `{"auth": ${'['.repeat(50_000)}${']'.repeat(50_000)}}`,
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(/nested deeper than 1000/);
  });

  it('rejects oversized bodies with 413', async () => {
    const res = await fetch(`${kos.url}/v3/auth/tokens`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ pad: 'x'.repeat(2 * 1024 * 1024) }),
    });
    expect(res.status).toBe(413);
    expect(((await res.json()) as { error: { code: number } }).error.code).toBe(413);
  });

  it('serves health and Prometheus metrics', async () => {
    expect((await fetch(`${kos.url}/healthz`)).status).toBe(200);
    const text = await (await fetch(`${kos.url}/metrics`)).text();
    expect(text).toMatch(/kos_http_requests_total\{service="identity",route="\/v3",method="GET",status="200"\} \d+/);
    expect(text).toContain('kos_http_request_duration_seconds_bucket');
    expect(text).toContain('kos_store_operations_total');
    expect(text).toContain('# TYPE kos_reconcile_queue_depth gauge');
    expect(text).toContain('# TYPE kos_reconcile_errors_total counter');
  });

  it('writes a clouds.yaml with both clouds', async () => {
    const { readFileSync } = await import('node:fs');
    const text = readFileSync(kos.cloudsYaml, 'utf8');
    expect(text).toContain('kos:');
    expect(text).toContain('kos-demo:');
    expect(text).toContain(`auth_url: ${kos.url}/v3`);
  });
});
