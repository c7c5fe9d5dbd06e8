/**
 * Thousands of malformed requests against the identity API: none may answer 5xx, and the
 * process must still serve afterwards. The generator is seeded so a failure replays.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueToken, startTestKos } from '../../support/kos.js';
import { seededRandom as seeded } from '../../../src/core/random.js';

type Kos = Awaited<ReturnType<typeof startTestKos>>;

const paths = [
  '/v3/auth/tokens', '/v3/auth/catalog', '/v3/auth/projects', '/v3/projects', '/v3/projects/{id}',
  '/v3/projects/{id}/tags', '/v3/projects/{id}/tags/{id}', '/v3/domains', '/v3/domains/{id}', '/v3/users',
  '/v3/users/{id}', '/v3/users/{id}/password', '/v3/users/{id}/projects', '/v3/users/{id}/groups',
  '/v3/users/{id}/application_credentials', '/v3/users/{id}/application_credentials/{id}', '/v3/groups',
  '/v3/groups/{id}/users/{id}', '/v3/roles', '/v3/roles/{id}', '/v3/roles/{id}/implies/{id}',
  '/v3/role_assignments', '/v3/projects/{id}/users/{id}/roles/{id}', '/v3/regions', '/v3/regions/{id}',
  '/v3/services', '/v3/services/{id}', '/v3/endpoints', '/v3/endpoints/{id}', '/v3/credentials',
  '/v3/OS-TRUST/trusts', '/v3/OS-TRUST/trusts/{id}', '/v3/policies', '/v3/limits', '/v3/registered_limits',
  '/v3/OS-EP-FILTER/endpoint_groups', '/v3/OS-REVOKE/events', '/v3/system/users/{id}/roles/{id}',
];
const methods = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD'];
const wrappers = ['auth', 'project', 'domain', 'user', 'group', 'role', 'region', 'service', 'endpoint', 'credential', 'trust', 'policy', 'application_credential', 'limits', 'registered_limits', 'tags'];

function junk(rnd: () => number, depth = 0): unknown {
  const pick = Math.floor(rnd() * 12);
  switch (pick) {
    case 0: return null;
    case 1: return rnd() < 0.5;
    case 2: return Math.floor(rnd() * 1e12) * (rnd() < 0.5 ? -1 : 1);
    case 3: return 'x'.repeat(Math.floor(rnd() * 300));
    case 4: return '';
    case 5: return '\u0000\ud800💥';
    case 6: return depth > 3 ? 1 : [junk(rnd, depth + 1), junk(rnd, depth + 1)];
    case 7: return 1.5e308;
    default: {
      if (depth > 3) return {};
      const o: Record<string, unknown> = {};
      const keys = ['name', 'id', 'domain_id', 'enabled', 'password', 'methods', 'identity', 'scope', 'project', 'user', 'roles', 'parent_id', 'interface', 'url', 'service_id', 'blob', 'type', 'expires_at', 'tags', 'options', wrappers[Math.floor(rnd() * wrappers.length)]!];
      for (let i = 0; i < 1 + Math.floor(rnd() * 4); i++) o[keys[Math.floor(rnd() * keys.length)]!] = junk(rnd, depth + 1);
      return o;
    }
  }
}

/** encodeURIComponent refuses lone surrogates; the junk generator makes them on purpose. */
const uri = (v: unknown): string => encodeURIComponent(String(v).replace(/[\ud800-\udfff]/g, '?'));

function body(rnd: () => number): string | undefined {
  const r = rnd();
  if (r < 0.1) return undefined;
  if (r < 0.2) return '{"broken": ';
  if (r < 0.25) return '[]';
  if (r < 0.3) return '"a string"';
  const wrapper = wrappers[Math.floor(rnd() * wrappers.length)]!;
  return JSON.stringify(rnd() < 0.7 ? { [wrapper]: junk(rnd) } : junk(rnd));
}

describe('identity API under malformed input', () => {
  let kos: Kos;
  let token: string;
  beforeAll(async () => {
    kos = await startTestKos();
    token = await issueToken(kos.authUrl, 'admin', kos.adminPassword, 'admin');
  });
  afterAll(async () => kos.cleanup());

  it('never answers 5xx and keeps serving', async () => {
    const rnd = seeded(20261126);
    const failures: string[] = [];
    const total = 3000;
    for (let i = 0; i < total; i += 20) {
      await Promise.all(
        Array.from({ length: 20 }, async () => {
          const method = methods[Math.floor(rnd() * methods.length)]!;
          const path = paths[Math.floor(rnd() * paths.length)]!.replaceAll('{id}', () =>
            rnd() < 0.5 ? 'nope' : uri(junk(rnd)).slice(0, 80) || 'x',
          );
          const query = rnd() < 0.3 ? `?name=${uri(junk(rnd))}&enabled=maybe` : '';
          const payload = method === 'GET' || method === 'HEAD' ? undefined : body(rnd);
          const headers: Record<string, string> = {};
          if (payload !== undefined) headers['content-type'] = rnd() < 0.9 ? 'application/json' : 'text/plain';
          if (rnd() < 0.8) headers['x-auth-token'] = rnd() < 0.9 ? token : 'garbage';
          if (rnd() < 0.1) headers['x-subject-token'] = rnd() < 0.5 ? token : 'garbage';
          const res = await fetch(`${kos.url}${path}${query}`, { method, headers, body: payload });
          await res.arrayBuffer();
          if (res.status >= 500) failures.push(`${method} ${path}${query} ${payload ?? ''} -> ${res.status}`);
        }),
      );
    }
    expect(failures.slice(0, 10)).toEqual([]);
    const health = await fetch(`${kos.url}/healthz`);
    expect(health.status).toBe(200);
    const v3 = await fetch(`${kos.url}/v3`);
    expect(v3.status).toBe(200);
  }, 120_000);
});
