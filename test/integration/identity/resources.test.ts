/** Keystone's core resources over real HTTP, and the openstack CLI flows that use them. */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueToken, startTestKos } from '../../support/kos.js';

const run = promisify(execFile);
type Kos = Awaited<ReturnType<typeof startTestKos>>;
/** A resource or row as the tests read it: an id and whatever else they look at. */
interface Ref {
  id: string;
  [field: string]: unknown;
}
interface Row {
  user?: Ref;
  group?: Ref;
  role: Ref & { name?: string };
  scope: Record<string, unknown>;
  links: Record<string, string>;
}
/** Every body shape the tests read; a response has some of these fields. */
interface Body {
  project: Ref & { parents?: unknown; subtree?: unknown };
  projects: Ref[];
  domain: Ref;
  domains: Ref[];
  user: Ref;
  users: Ref[];
  group: Ref;
  roles: Ref[];
  tags: string[];
  config: Record<string, unknown>;
  role_assignments: Row[];
  error: { code: number; message: string };
}

let kos: Kos;
let admin: string;

beforeAll(async () => {
  kos = await startTestKos();
  admin = await issueToken(kos.authUrl, 'admin', 'admin-secret', 'admin');
});
afterAll(async () => {
  await kos.cleanup();
});

async function api(method: string, path: string, body?: unknown, token = admin): Promise<{ status: number; body: Body }> {
  const res = await fetch(`${kos.authUrl}${path}`, {
    method,
    headers: { 'x-auth-token': token, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : {}) as Body };
}

const ids = (list: Ref[]) => list.map((x) => x.id);

describe('projects', () => {
  it('show the same object on create, show and list, with extra attributes and tags', async () => {
    const created = await api('POST', '/projects', { project: { name: 'shapes', tags: ['b', 'a'], color: 'red' } });
    expect(created.status).toBe(201);
    const p = created.body.project;
    expect(p).toMatchObject({ name: 'shapes', domain_id: 'default', parent_id: 'default', is_domain: false, color: 'red', description: '' });
    const shown = await api('GET', `/projects/${p.id}`);
    expect(shown.body.project).toEqual(p);
    const listed = await api('GET', '/projects?name=shapes');
    expect(listed.body.projects).toEqual([p]);
    expect((await api('POST', '/projects', { project: { name: 'shapes' } })).status).toBe(409);
    expect((await api('POST', '/projects', { name: 'shapes' })).body.error.message).toBe(
      "Invalid input for field 'project': 'project' is a required property.",
    );
  });

  it('filter by tags and manage tags one by one or all at once', async () => {
    const one = (await api('POST', '/projects', { project: { name: 'tag-one', tags: ['x', 'y'] } })).body.project;
    const two = (await api('POST', '/projects', { project: { name: 'tag-two', tags: ['y'] } })).body.project;
    expect(ids((await api('GET', '/projects?tags=x,y')).body.projects)).toEqual([one.id]);
    expect(ids((await api('GET', '/projects?tags-any=x,y')).body.projects)).toEqual([one.id, two.id]);
    expect(ids((await api('GET', '/projects?not-tags-any=x')).body.projects)).not.toContain(one.id);

    expect((await api('PUT', `/projects/${two.id}/tags/z`)).status).toBe(201);
    expect((await api('GET', `/projects/${two.id}/tags/z`)).status).toBe(204);
    expect((await api('DELETE', `/projects/${two.id}/tags/y`)).status).toBe(204);
    expect((await api('GET', `/projects/${two.id}/tags/y`)).status).toBe(404);
    const replaced = await api('PUT', `/projects/${two.id}/tags`, { tags: ['p', 'q'] });
    expect(replaced.body.tags).toEqual(['p', 'q']);
    expect((await api('GET', `/projects/${two.id}/tags`)).body.tags).toEqual(['p', 'q']);
    expect((await api('PUT', `/projects/${two.id}/tags`, { tags: ['bad,tag'] })).status).toBe(400);
  });

  it('expose the hierarchy and domains acting as projects', async () => {
    const root = (await api('POST', '/projects', { project: { name: 'root' } })).body.project;
    const leaf = (await api('POST', '/projects', { project: { name: 'leaf', parent_id: root.id } })).body.project;
    const withIds = await api('GET', `/projects/${leaf.id}?parents_as_ids`);
    expect(withIds.body.project.parents).toEqual({ [root.id]: { default: null } });
    const subtree = await api('GET', `/projects/${root.id}?subtree_as_ids`);
    expect(subtree.body.project.subtree).toEqual({ [leaf.id]: null });
    expect((await api('DELETE', `/projects/${root.id}`)).status).toBe(403);

    const asDomain = await api('POST', '/projects', { project: { name: 'proj-domain', is_domain: true } });
    expect(asDomain.body.project).toMatchObject({ is_domain: true, domain_id: null, parent_id: null });
    expect(ids((await api('GET', '/projects?is_domain=true')).body.projects)).toContain(asDomain.body.project.id);
    expect(ids((await api('GET', '/domains')).body.domains)).toContain(asDomain.body.project.id);
    expect((await api('DELETE', `/projects/${asDomain.body.project.id}`)).status).toBe(403);
    expect((await api('PATCH', `/projects/${asDomain.body.project.id}`, { project: { enabled: false } })).status).toBe(200);
    expect((await api('DELETE', `/projects/${asDomain.body.project.id}`)).status).toBe(204);
    expect((await api('GET', `/domains/${asDomain.body.project.id}`)).status).toBe(404);
  });
});

describe('what a project member may see', () => {
  it('its own project, user and domain, and nothing it has no role on', async () => {
    const demo = await issueToken(kos.authUrl, 'demo', kos.demoPassword, 'demo');
    const me = (await api('GET', '/users?name=demo')).body.users[0]!;
    const demoProject = (await api('GET', '/projects?name=demo')).body.projects[0]!;
    const adminProject = (await api('GET', '/projects?name=admin')).body.projects[0]!;

    expect((await api('GET', '/projects', undefined, demo)).status).toBe(403);
    expect(ids((await api('GET', `/users/${me.id}/projects`, undefined, demo)).body.projects)).toEqual([demoProject.id]);
    expect((await api('GET', `/projects/${demoProject.id}`, undefined, demo)).status).toBe(200);
    expect((await api('GET', `/projects/${adminProject.id}`, undefined, demo)).status).toBe(403);
    expect((await api('GET', `/users/${me.id}`, undefined, demo)).status).toBe(200);
    expect((await api('GET', '/users', undefined, demo)).status).toBe(403);
    expect((await api('GET', '/domains/default', undefined, demo)).status).toBe(200);
    // A missing project is a 403 too: the caller learns nothing about ids.
    expect((await api('GET', '/projects/nonexistent', undefined, demo)).status).toBe(403);
  });
});

describe('role assignments', () => {
  it('expand groups, inheritance and implied roles in effective mode, with links to the grant', async () => {
    const project = (await api('POST', '/projects', { project: { name: 'ra-project' } })).body.project;
    const user = (await api('POST', '/users', { user: { name: 'ra-user' } })).body.user;
    const group = (await api('POST', '/groups', { group: { name: 'ra-group' } })).body.group;
    const member = (await api('GET', '/roles?name=member')).body.roles[0]!;
    expect((await api('PUT', `/groups/${group.id}/users/${user.id}`)).status).toBe(204);
    expect((await api('PUT', `/OS-INHERIT/domains/default/groups/${group.id}/roles/${member.id}/inherited_to_projects`)).status).toBe(204);

    const direct = await api('GET', `/role_assignments?group.id=${group.id}`);
    expect(direct.body.role_assignments).toEqual([
      {
        group: { id: group.id },
        role: { id: member.id },
        scope: { domain: { id: 'default' }, 'OS-INHERIT:inherited_to': 'projects' },
        links: { assignment: `${kos.authUrl}/OS-INHERIT/domains/default/groups/${group.id}/roles/${member.id}/inherited_to_projects` },
      },
    ]);

    const effective = await api('GET', `/role_assignments?effective&user.id=${user.id}&scope.project.id=${project.id}&include_names`);
    const rows = effective.body.role_assignments;
    expect(rows.map((r) => r.role.name).sort()).toEqual(['member', 'reader']);
    const memberRow = rows.find((r) => r.role.name === 'member')!;
    expect(memberRow.user).toEqual({ id: user.id, name: 'ra-user', domain: { id: 'default', name: 'Default' } });
    expect(memberRow.links.membership).toBe(`${kos.authUrl}/groups/${group.id}/users/${user.id}`);
    expect(memberRow.links.assignment).toBe(
      `${kos.authUrl}/OS-INHERIT/domains/default/groups/${group.id}/roles/${member.id}/inherited_to_projects`,
    );
    expect(ids((await api('GET', `/users/${user.id}/projects`)).body.projects)).toContain(project.id);

    expect((await api('GET', `/role_assignments?effective&group.id=${group.id}`)).status).toBe(400);
    expect((await api('DELETE', `/groups/${group.id}/users/${user.id}`)).status).toBe(204);
    expect((await api('GET', `/role_assignments?effective&user.id=${user.id}`)).body.role_assignments).toEqual([]);
  });
});

describe('users', () => {
  it('change their own password with the original one, which ends their old tokens', async () => {
    const user = (await api('POST', '/users', { user: { name: 'pw-user', password: 'first-pw' } })).body.user;
    const project = (await api('GET', '/projects?name=demo')).body.projects[0]!;
    const member = (await api('GET', '/roles?name=member')).body.roles[0]!;
    await api('PUT', `/projects/${project.id}/users/${user.id}/roles/${member.id}`);
    const token = await issueToken(kos.authUrl, 'pw-user', 'first-pw', 'demo');

    const change = (original: string) =>
      fetch(`${kos.authUrl}/users/${user.id}/password`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ user: { original_password: original, password: 'second-pw' } }),
      });
    expect((await change('wrong')).status).toBe(401);
    expect((await change('first-pw')).status).toBe(204);
    expect((await api('GET', `/users/${user.id}`, undefined, token)).status).toBe(401);
    await issueToken(kos.authUrl, 'pw-user', 'second-pw', 'demo');
  });
});

describe('domain configuration', () => {
  it('stores, patches and deletes groups and options, hiding sensitive ones', async () => {
    const domain = (await api('POST', '/domains', { domain: { name: 'ldap-domain' } })).body.domain;
    const base = `/domains/${domain.id}/config`;
    const created = await api('PUT', base, { config: { identity: { driver: 'ldap' }, ldap: { url: 'ldap://x', password: 's3cret' } } });
    expect(created.status).toBe(201);
    expect(created.body.config).toEqual({ identity: { driver: 'ldap' }, ldap: { url: 'ldap://x' } });
    expect((await api('GET', `${base}/ldap/url`)).body.config).toEqual({ url: 'ldap://x' });
    expect((await api('GET', `${base}/ldap/password`)).status).toBe(404);
    expect((await api('PATCH', `${base}/identity/driver`, { config: { driver: 'sql' } })).body.config.identity).toEqual({ driver: 'sql' });
    expect((await api('PATCH', base, { config: { nonsense: { a: 1 } } })).status).toBe(403);
    expect((await api('DELETE', `${base}/ldap`)).status).toBe(204);
    expect((await api('GET', `${base}/ldap`)).status).toBe(404);
    expect((await api('GET', '/domains/config/identity/default')).body.config).toEqual({ identity: { driver: 'sql', list_limit: null } });
  });
});

describe('the openstack CLI', () => {
  it('creates a project and a user, grants a role and lists assignments by name', async () => {
    const env = { ...process.env, OS_CLIENT_CONFIG_FILE: kos.cloudsYaml };
    const os = async (...args: string[]) =>
      JSON.parse((await run('openstack', ['--os-cloud', 'kos', ...args, '-f', 'json'], { env })).stdout) as unknown;
    await os('project', 'create', 'cli-p1');
    const user = (await os('user', 'create', '--password', 'x', '--project', 'cli-p1', 'cli-u1')) as Ref;
    expect(user.default_project_id).toBeTruthy();
    await run('openstack', ['--os-cloud', 'kos', 'role', 'add', '--user', 'cli-u1', '--project', 'cli-p1', 'member'], { env });
    const rows = await os('role', 'assignment', 'list', '--names', '--user', 'cli-u1');
    expect(rows).toEqual([{ Role: 'member', User: 'cli-u1@Default', Group: '', Project: 'cli-p1@Default', Domain: '', System: '', Inherited: false }]);
  }, 60_000);
});
