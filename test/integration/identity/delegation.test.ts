/** Credentials, EC2 credentials, application credentials, access rules and trusts over real HTTP. */
import { beforeAll, describe, expect, it } from 'vitest';
import { list, o, useIdentityKos, type Json, type Kos } from '../../support/identity-http.js';

const world = useIdentityKos();
const { call, openstack: os } = world;
let kos: Kos;
let admin: string;
let demo: string;
let adminId: string;
let demoId: string;
let adminProject: string;
let demoProject: string;

async function whoami(token: string): Promise<{ user: string; project: string }> {
  const res = await fetch(`${kos.authUrl}/auth/tokens`, { headers: { 'x-auth-token': token, 'x-subject-token': token } });
  const t = o(((await res.json()) as Json).token);
  return { user: o(t.user).id as string, project: o(t.project).id as string };
}

beforeAll(async () => {
  ({ kos, admin, demo } = world);
  ({ user: adminId, project: adminProject } = await whoami(admin));
  ({ user: demoId, project: demoProject } = await whoami(demo));
});

describe('credentials', () => {
  it('names ec2 credentials by the hash of the access key and shows users only their own', async () => {
    const blob = JSON.stringify({ access: 'AKIA-demo', secret: 's3cret' });
    const mine = await call('POST', '/credentials', { credential: { user_id: demoId, project_id: demoProject, type: 'ec2', blob } }, demo);
    expect(mine.status).toBe(201);
    expect(o(mine.body.credential).id).toBe('83b95dc5c7ea4fb3e585af46b89d487be43d24df8adb9f83a98d8641b589d943');
    expect(o(mine.body.credential).blob).toBe(blob);
    const theirs = await call('POST', '/credentials', { credential: { user_id: adminId, type: 'cert', blob: 'x' } });
    expect(theirs.status).toBe(201);

    expect((await call('POST', '/credentials', { credential: { user_id: adminId, type: 'cert', blob: 'y' } }, demo)).status).toBe(403);
    expect((await call('POST', '/credentials', { credential: { user_id: demoId, type: 'ec2', blob: '{"secret":"x"}' } }, demo)).status).toBe(400);
    expect((await call('POST', '/credentials', { credential: { user_id: demoId, type: 'ec2', blob } }, demo)).status).toBe(409);

    const listed = await call('GET', '/credentials', undefined, demo);
    expect(list(listed.body.credentials).map((c) => c.id)).toEqual([o(mine.body.credential).id]);
    expect((await call('GET', `/credentials/${o(theirs.body.credential).id}`, undefined, demo)).status).toBe(403);
    const all = await call('GET', `/credentials?user_id=${adminId}`);
    expect(list(all.body.credentials).map((c) => c.id)).toEqual([o(theirs.body.credential).id]);

    const updated = await call('PATCH', `/credentials/${o(mine.body.credential).id}`, { credential: { blob: JSON.stringify({ access: 'AKIA-demo', secret: 'rotated' }) } }, demo);
    expect(JSON.parse(o(updated.body.credential).blob as string).secret).toBe('rotated');
    expect((await call('DELETE', `/credentials/${o(mine.body.credential).id}`, undefined, demo)).status).toBe(204);
    expect((await call('DELETE', `/credentials/${o(theirs.body.credential).id}`)).status).toBe(204);
  });

  it('serves OS-EC2 credentials of a user', async () => {
    const base = `/users/${demoId}/credentials/OS-EC2`;
    const created = await call('POST', base, { tenant_id: demoProject }, demo);
    expect(created.status).toBe(201);
    const c = o(created.body.credential);
    expect(c).toMatchObject({ user_id: demoId, tenant_id: demoProject, trust_id: null });
    expect(c.access).toMatch(/^[0-9a-f]{32}$/);
    expect(c.secret).toMatch(/^[0-9a-f]{32}$/);
    expect((await call('GET', `${base}/${c.access}`, undefined, demo)).body.credential).toEqual(c);
    expect(list((await call('GET', base, undefined, demo)).body.credentials).map((x) => x.access)).toEqual([c.access]);
    expect((await call('POST', base, { tenant_id: 'nope' }, demo)).status).toBe(404);
    expect((await call('GET', `/users/${adminId}/credentials/OS-EC2`, undefined, demo)).status).toBe(403);
    expect((await call('DELETE', `${base}/${c.access}`, undefined, demo)).status).toBe(204);
    expect((await call('GET', `${base}/${c.access}`, undefined, demo)).status).toBe(404);
  });
});

describe('application credentials and access rules', () => {
  it('creates with the token’s roles, shows the secret once and refuses restricted self-replication', async () => {
    const base = `/users/${demoId}/application_credentials`;
    const created = await call('POST', base, {
      application_credential: {
        name: 'ci',
        expires_at: '2099-06-01T12:00:00.123456',
        access_rules: [{ service: 'compute', path: '/v2.1/servers/*/ips', method: 'GET' }],
      },
    }, demo);
    expect(created.status).toBe(201);
    const ac = o(created.body.application_credential);
    expect(ac).toMatchObject({ name: 'ci', user_id: demoId, project_id: demoProject, unrestricted: false, expires_at: '2099-06-01T12:00:00.123456' });
    expect(list(ac.roles).map((r) => r.name).sort()).toEqual(['member', 'reader']);
    expect(String(ac.secret).length).toBeGreaterThanOrEqual(80);
    expect(ac.access_rules).toHaveLength(1);

    expect((await call('GET', `${base}/${ac.id}`, undefined, demo)).body.application_credential).not.toHaveProperty('secret');
    expect((await call('POST', base, { application_credential: { name: 'ci' } }, demo)).status).toBe(409);
    expect((await call('POST', base, { application_credential: { name: 'x', roles: [{ name: 'admin' }] } }, demo)).status).toBe(400);
    expect((await call('POST', `/users/${adminId}/application_credentials`, { application_credential: { name: 'x' } }, demo)).status).toBe(403);
    expect((await call('POST', base, { application_credential: { name: 'x', expires_at: '2001-01-01T00:00:00' } }, demo)).status).toBe(400);
    expect(list((await call('GET', `${base}?name=ci`, undefined, demo)).body.application_credentials).map((a) => a.id)).toEqual([ac.id]);

    // The secret authenticates; a token from a restricted credential may not mint another.
    const auth = await fetch(`${kos.authUrl}/auth/tokens`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ auth: { identity: { methods: ['application_credential'], application_credential: { id: ac.id, secret: ac.secret } } } }),
    });
    expect(auth.status).toBe(201);
    const acToken = auth.headers.get('x-subject-token')!;
    const again = await call('POST', base, { application_credential: { name: 'child' } }, acToken);
    expect(again.status).toBe(403);
    expect(o(again.body.error).message).toContain("Using method 'application_credential' is not allowed");

    const ruleId = list(ac.access_rules)[0]?.id as string;
    const rules = `/users/${demoId}/access_rules`;
    expect(list((await call('GET', rules, undefined, demo)).body.access_rules).map((r) => r.id)).toEqual([ruleId]);
    expect((await call('DELETE', `${rules}/${ruleId}`, undefined, demo)).status).toBe(403);
    expect((await call('DELETE', `${base}/${ac.id}`, undefined, demo)).status).toBe(204);
    expect((await call('GET', `${rules}/${ruleId}`, undefined, demo)).status).toBe(200);
    expect((await call('DELETE', `${rules}/${ruleId}`, undefined, demo)).status).toBe(204);
    expect((await call('GET', rules, undefined, demo)).body.access_rules).toEqual([]);
  });
});

describe('trusts', () => {
  it('delegates roles the trustor holds to a trustee', async () => {
    const body = (over: Json = {}) => ({
      trust: {
        trustor_user_id: adminId, trustee_user_id: demoId, project_id: adminProject, impersonation: false,
        roles: [{ name: 'member' }], expires_at: '2099-02-17T17:34:01Z', ...over,
      },
    });
    const created = await call('POST', '/OS-TRUST/trusts', body());
    expect(created.status).toBe(201);
    const trust = o(created.body.trust);
    expect(trust).toMatchObject({ trustor_user_id: adminId, trustee_user_id: demoId, project_id: adminProject, impersonation: false, expires_at: '2099-02-17T17:34:01.000000Z', remaining_uses: null });
    expect(list(trust.roles).map((r) => r.name)).toEqual(['member']);
    expect(o(trust.links).self).toBe(`${kos.authUrl}/OS-TRUST/trusts/${trust.id}`);

    expect((await call('POST', '/OS-TRUST/trusts', body({ expires_at: 'bad.123Z' }))).status).toBe(400);
    expect((await call('POST', '/OS-TRUST/trusts', body({ trustor_user_id: demoId }))).status).toBe(403);
    expect((await call('POST', '/OS-TRUST/trusts', body({ roles: [] }))).status).toBe(403);
    expect((await call('POST', '/OS-TRUST/trusts', body({ trustee_user_id: 'nobody' }))).status).toBe(404);
    // demo holds no role on the admin project: it cannot delegate one.
    const demoOnAdmin = await call('POST', '/OS-TRUST/trusts', body({ trustor_user_id: demoId, trustee_user_id: adminId }), demo);
    expect(demoOnAdmin.status).toBe(404);

    const asTrustee = await call('GET', `/OS-TRUST/trusts?trustee_user_id=${demoId}`, undefined, demo);
    expect(list(asTrustee.body.trusts).map((t) => t.id)).toEqual([trust.id]);
    expect(list(asTrustee.body.trusts)[0]).not.toHaveProperty('roles');
    expect((await call('GET', `/OS-TRUST/trusts?trustor_user_id=${adminId}`, undefined, demo)).status).toBe(403);
    expect((await call('GET', '/OS-TRUST/trusts', undefined, demo)).status).toBe(403);

    const roleId = list(trust.roles)[0]?.id as string;
    expect(list((await call('GET', `/OS-TRUST/trusts/${trust.id}/roles`, undefined, demo)).body.roles).map((r) => r.id)).toEqual([roleId]);
    expect(o((await call('GET', `/OS-TRUST/trusts/${trust.id}/roles/${roleId}`, undefined, demo)).body.role).name).toBe('member');
    const readerId = list((await call('GET', '/roles?name=reader')).body.roles)[0]?.id as string;
    expect((await call('GET', `/OS-TRUST/trusts/${trust.id}/roles/${readerId}`, undefined, demo)).status).toBe(404);

    expect((await call('DELETE', `/OS-TRUST/trusts/${trust.id}`, undefined, demo)).status).toBe(403);
    expect((await call('DELETE', `/OS-TRUST/trusts/${trust.id}`)).status).toBe(204);
    expect((await call('GET', `/OS-TRUST/trusts/${trust.id}`)).status).toBe(404);
  });
});

describe('the openstack CLI', () => {
  it('creates an application credential, a credential and a trust', async () => {
    const ac = await os('application', 'credential', 'create', 'ac1');
    expect(ac).toMatchObject({ name: 'ac1', project_id: adminProject });
    expect(typeof ac.secret).toBe('string');
    expect(await os('credential', 'create', 'admin', 'blob-data')).toMatchObject({ user_id: adminId, blob: 'blob-data', type: 'cert' });
    expect(await os('trust', 'create', '--project', 'admin', '--role', 'member', 'admin', 'demo')).toMatchObject({ trustor_user_id: adminId, trustee_user_id: demoId, roles: 'member' });
  }, 60_000);
});
