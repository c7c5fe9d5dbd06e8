/** Keystone authentication over real HTTP: issue, validate, rescope, revoke, app credentials, the CLI. */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hexId } from '../../../src/core/ids.js';
import { startTestKos } from '../../support/kos.js';

const run = promisify(execFile);
type Kos = Awaited<ReturnType<typeof startTestKos>>;
type Json = Record<string, unknown>;

const AUTH_REQUIRED = 'The request you have made requires authentication.';

let kos: Kos;
beforeAll(async () => {
  kos = await startTestKos();
});
afterAll(async () => {
  await kos.cleanup();
});

async function post(body: unknown, query = ''): Promise<{ status: number; token: string | null; body: Json }> {
  const res = await fetch(`${kos.authUrl}/auth/tokens${query}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: res.status, token: res.headers.get('x-subject-token'), body: (await res.json()) as Json };
}

const password = (user: Json, pw: string, scope?: unknown) => ({
  auth: { identity: { methods: ['password'], password: { user: { ...user, password: pw } } }, ...(scope ? { scope } : {}) },
});

async function adminToken(): Promise<string> {
  const r = await post(password({ name: 'admin', domain: { id: 'default' } }, 'admin-secret', { project: { name: 'admin', domain: { id: 'default' } } }));
  expect(r.status).toBe(201);
  return r.token!;
}

function call(method: string, path: string, token: string, subject?: string) {
  return fetch(`${kos.authUrl}${path}`, {
    method,
    headers: { 'x-auth-token': token, ...(subject ? { 'x-subject-token': subject } : {}) },
  });
}

describe('POST /v3/auth/tokens', () => {
  it('authenticates with a password and scopes by project name or id', async () => {
    const byName = await post(password({ name: 'admin', domain: { name: 'Default' } }, 'admin-secret', { project: { name: 'admin', domain: { name: 'Default' } } }));
    expect(byName.status).toBe(201);
    const t = byName.body.token as Json;
    expect(t.methods).toEqual(['password']);
    expect((t.project as Json).name).toBe('admin');
    expect((t.roles as Json[]).map((r) => r.name).sort()).toEqual(['admin', 'member', 'reader']);
    expect(t.expires_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
    expect((t.catalog as Json[]).map((s) => s.type)).toContain('identity');

    const projectId = (t.project as Json).id as string;
    const userId = (t.user as Json).id as string;
    const byId = await post(password({ id: userId }, 'admin-secret', { project: { id: projectId } }), '?nocatalog');
    expect(byId.status).toBe(201);
    expect(((byId.body.token as Json).project as Json).id).toBe(projectId);
    expect(byId.body.token).not.toHaveProperty('catalog');
  });

  it('answers 401 with Keystone’s message for a wrong password, an unknown user, or a scope without roles', async () => {
    for (const body of [
      password({ name: 'admin', domain: { id: 'default' } }, 'wrong'),
      password({ name: 'nobody', domain: { id: 'default' } }, 'admin-secret'),
      password({ name: 'admin', domain: { id: 'default' } }, 'admin-secret', { project: { name: 'nope', domain: { id: 'default' } } }),
      password({ name: 'admin', domain: { id: 'default' } }, 'admin-secret', { project: { name: 'demo', domain: { id: 'default' } } }),
    ]) {
      const r = await post(body);
      expect(r.status).toBe(401);
      expect(r.body).toEqual({ error: { code: 401, title: 'Unauthorized', message: AUTH_REQUIRED } });
      expect(r.token).toBeNull();
    }
    const bad = await post({ auth: { identity: { methods: ['password'] } } });
    expect(bad.status).toBe(400);
  });

  it('gives the default project when no scope is asked for, and nothing when unscoped is', async () => {
    const dflt = await post(password({ name: 'admin', domain: { id: 'default' } }, 'admin-secret'));
    expect(((dflt.body.token as Json).project as Json).name).toBe('admin');
    const unscoped = await post(password({ name: 'admin', domain: { id: 'default' } }, 'admin-secret', 'unscoped'));
    expect(unscoped.body.token).not.toHaveProperty('project');
    expect(unscoped.body.token).not.toHaveProperty('roles');
    const system = await post(password({ name: 'admin', domain: { id: 'default' } }, 'admin-secret', { system: { all: true } }));
    expect((system.body.token as Json).system).toEqual({ all: true });
  });

  it('rescopes an unscoped token, keeping its expiry and audit chain', async () => {
    const first = await post(password({ name: 'admin', domain: { id: 'default' } }, 'admin-secret', 'unscoped'));
    const orig = first.body.token as Json;
    const second = await post({
      auth: { identity: { methods: ['token'], token: { id: first.token } }, scope: { project: { name: 'admin', domain: { id: 'default' } } } },
    });
    expect(second.status).toBe(201);
    const t = second.body.token as Json;
    expect(t.methods).toEqual(['token', 'password']);
    expect(t.expires_at).toBe(orig.expires_at);
    expect(t.user).toEqual(orig.user);
    expect((t.audit_ids as string[])[1]).toBe((orig.audit_ids as string[])[0]);
    // Revoking the scoped token leaves the unscoped one usable.
    const del = await call('DELETE', '/auth/tokens', second.token!, second.token!);
    expect(del.status).toBe(204);
    const again = await post({ auth: { identity: { methods: ['token'], token: { id: first.token } }, scope: { system: { all: true } } } });
    expect(again.status).toBe(201);
  });
});

describe('validating and revoking tokens', () => {
  it('GET returns the body POST returned; HEAD has none; DELETE revokes it everywhere', async () => {
    const issued = await post(password({ name: 'admin', domain: { id: 'default' } }, 'admin-secret', { project: { name: 'admin', domain: { id: 'default' } } }));
    const token = issued.token!;
    const admin = await adminToken();
    const get = await call('GET', '/auth/tokens', admin, token);
    expect(get.status).toBe(200);
    expect(get.headers.get('x-subject-token')).toBe(token);
    expect(await get.json()).toEqual(issued.body);
    const head = await call('HEAD', '/auth/tokens', admin, token);
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');

    expect((await call('DELETE', '/auth/tokens', admin, token)).status).toBe(204);
    const gone = await call('GET', '/auth/tokens', admin, token);
    expect(gone.status).toBe(404);
    expect(((await gone.json()) as { error: Json }).error.message).toBe(`Could not find token: ${token}.`);
    expect((await call('HEAD', '/auth/tokens', admin, token)).status).toBe(404);
    expect((await call('GET', '/auth/projects', token)).status).toBe(401);
    expect((await call('GET', '/auth/tokens?allow_expired=1', admin, token)).status).toBe(404);
  });

  it('lets a user validate only its own tokens unless admin', async () => {
    const demoPw = kos.demoPassword;
    const demo = await post(password({ name: 'demo', domain: { id: 'default' } }, demoPw, { project: { name: 'demo', domain: { id: 'default' } } }));
    expect(demo.status).toBe(201);
    const admin = await adminToken();
    expect((await call('GET', '/auth/tokens', demo.token!, demo.token!)).status).toBe(200);
    expect((await call('GET', '/auth/tokens', demo.token!, admin)).status).toBe(403);
    expect((await call('GET', '/OS-REVOKE/events', demo.token!)).status).toBe(403);
  });

  it('a user revocation (password change, disable) invalidates all the user’s tokens', async () => {
    const demo = await post(password({ name: 'demo', domain: { id: 'default' } }, kos.demoPassword, { project: { name: 'demo', domain: { id: 'default' } } }));
    const userId = ((demo.body.token as Json).user as Json).id as string;
    await kos.identity.deps.revoker.revoke({ user_id: userId });
    expect((await call('GET', '/auth/projects', demo.token!)).status).toBe(401);
    const admin = await adminToken();
    const events = (await (await call('GET', '/OS-REVOKE/events', admin)).json()) as { events: Json[] };
    expect(events.events.some((e) => e.user_id === userId)).toBe(true);
    const later = await call('GET', `/OS-REVOKE/events?since=2999-01-01T00:00:00Z`, admin);
    expect(((await later.json()) as { events: Json[] }).events).toEqual([]);
    // A fresh login works again.
    const fresh = await post(password({ name: 'demo', domain: { id: 'default' } }, kos.demoPassword, { project: { name: 'demo', domain: { id: 'default' } } }));
    expect((await call('GET', '/auth/projects', fresh.token!)).status).toBe(200);
  });

  it('lists the scopes a token may take and its catalog', async () => {
    const admin = await adminToken();
    const projects = (await (await call('GET', '/auth/projects', admin)).json()) as { projects: Json[] };
    expect(projects.projects.map((p) => p.name)).toEqual(['admin']);
    const system = (await (await call('GET', '/auth/system', admin)).json()) as Json;
    expect(system.system).toEqual([{ all: true }]);
    const catalog = (await (await call('GET', '/auth/catalog', admin)).json()) as { catalog: Json[] };
    expect(catalog.catalog.find((s) => s.type === 'identity')?.name).toBe('keystone');
  });
});

describe('application credentials', () => {
  it('authenticate by id or by name, scoped to their project, and fail with a wrong secret', async () => {
    const repo = kos.identity.repo;
    const demoUser = repo.c.users.byIndex('name', 'default/demo')[0]!;
    const demoProject = repo.c.projects.list((p) => p.name === 'demo')[0]!;
    const reader = repo.c.roles.list((r) => r.name === 'reader')[0]!;
    const id = hexId();
    await repo.c.application_credentials.create({
      id, name: 'ci', description: null, user_id: demoUser.id, project_id: demoProject.id,
      secret_hash: await kos.identity.deps.passwords.hash('s3cret'), expires_at: null, unrestricted: false,
      role_ids: [reader.id], access_rule_ids: [],
    });
    const appCred = (cred: Json) => ({ auth: { identity: { methods: ['application_credential'], application_credential: cred } } });
    const byId = await post(appCred({ id, secret: 's3cret' }));
    expect(byId.status).toBe(201);
    const t = byId.body.token as Json;
    expect(t.methods).toEqual(['application_credential']);
    expect((t.project as Json).id).toBe(demoProject.id);
    expect(t.roles).toEqual([{ id: reader.id, name: 'reader' }]);
    expect(t.application_credential).toEqual({ id, name: 'ci', restricted: true });

    const byName = await post(appCred({ name: 'ci', secret: 's3cret', user: { name: 'demo', domain: { id: 'default' } } }));
    expect(byName.status).toBe(201);
    expect((await post(appCred({ id, secret: 'nope' }))).status).toBe(401);
    const scoped = await post({ ...appCred({ id, secret: 's3cret' }), auth: { ...appCred({ id, secret: 's3cret' }).auth, scope: { system: { all: true } } } });
    expect(scoped.status).toBe(401);
    const validated = await call('GET', '/auth/tokens', byId.token!, byId.token!);
    expect(((await validated.json()) as { token: Json }).token.application_credential).toEqual({ id, name: 'ci', restricted: true });
  });
});

describe('openstack CLI', () => {
  it('issues and revokes a token', async () => {
    const env = { ...process.env, OS_CLIENT_CONFIG_FILE: kos.cloudsYaml, OS_CLOUD: 'kos' };
    const issued = await run('openstack', ['token', 'issue', '-f', 'json'], { env });
    const token = JSON.parse(issued.stdout) as { id: string; project_id: string; user_id: string };
    expect(token.id.length).toBeGreaterThan(40);
    const admin = await adminToken();
    expect((await call('GET', '/auth/tokens', admin, token.id)).status).toBe(200);
    await run('openstack', ['token', 'revoke', token.id], { env });
    expect((await call('GET', '/auth/tokens', admin, token.id)).status).toBe(404);
  }, 60_000);
});

describe('trust-scoped tokens', () => {
  it('are issued to the trustee within the trust’s uses, and cannot be rescoped', async () => {
    const repo = kos.identity.repo;
    const admin = repo.c.users.byIndex('name', 'default/admin')[0]!;
    const adminProject = repo.c.projects.list((p) => p.name === 'admin')[0]!;
    const member = repo.c.roles.list((r) => r.name === 'member')[0]!;
    const now = '2026-01-01T00:00:00.000000';
    const bob = await repo.c.users.create({
      id: hexId(), name: 'bob-trustee', domain_id: 'default', enabled: true, default_project_id: null, description: null,
      options: {}, extra: {}, passwords: [{ hash: await kos.identity.deps.passwords.hash('bob-pw'), created_at: now, expires_at: null }],
      created_at: now, last_active_at: null,
    });
    const trustId = hexId();
    await repo.c.trusts.create({
      id: trustId, trustor_user_id: admin.id, trustee_user_id: bob.id, project_id: adminProject.id, impersonation: false,
      expires_at: null, remaining_uses: 1, role_ids: [member.id], allow_redelegation: false, redelegated_trust_id: null,
      redelegation_count: 0, deleted_at: null,
    });
    const asBob = password({ name: 'bob-trustee', domain: { id: 'default' } }, 'bob-pw', { 'OS-TRUST:trust': { id: trustId } });
    const first = await post(asBob);
    expect(first.status).toBe(201);
    const t = first.body.token as Json;
    expect(t['OS-TRUST:trust']).toEqual({ id: trustId, trustor_user: { id: admin.id }, trustee_user: { id: bob.id }, impersonation: false });
    expect((t.user as Json).id).toBe(bob.id);
    expect((t.project as Json).id).toBe(adminProject.id);
    expect((t.roles as Json[]).map((r) => r.name).sort()).toEqual(['member', 'reader']);
    expect(repo.c.trusts.get(trustId)!.remaining_uses).toBe(0);
    expect((await post(asBob)).status).toBe(401);

    const rescope = await post({ auth: { identity: { methods: ['token'], token: { id: first.token } } } });
    expect(rescope.status).toBe(403);
    // Someone else cannot use bob's trust.
    const asAdmin = await post(password({ name: 'admin', domain: { id: 'default' } }, 'admin-secret', { 'OS-TRUST:trust': { id: trustId } }));
    expect([401, 403]).toContain(asAdmin.status);
    // Deleting the trust ends its tokens.
    await repo.c.trusts.update(trustId, (x) => ({ ...x, deleted_at: now }));
    expect((await call('GET', '/auth/projects', first.token!)).status).toBe(401);
  });
});
