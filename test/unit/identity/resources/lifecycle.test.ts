import { describe, expect, it } from 'vitest';
import { KosError } from '../../../../src/core/errors.js';
import type { IdentityDeps } from '../../../../src/openstack/identity/deps.js';
import type { Role } from '../../../../src/openstack/identity/model.js';
import { hexId } from '../../../../src/core/ids.js';
import { createDomain, deleteDomain, updateDomain } from '../../../../src/openstack/identity/resources/domain-lifecycle.js';
import { checkGrant, createGrant, listGrants, revokeGrant, type GrantSubject } from '../../../../src/openstack/identity/resources/grants.js';
import { createProject, deleteProject, updateProject } from '../../../../src/openstack/identity/resources/project-lifecycle.js';
import { changePassword, createUser, deleteUser, updateUser } from '../../../../src/openstack/identity/resources/user-lifecycle.js';
import { adminAuth, resourceWorld, revocations } from './world.js';

/** The KosError a promise rejects with (fails the test if it resolves). */
async function failure(p: Promise<unknown>): Promise<KosError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof KosError) return e;
    throw e;
  }
  throw new Error('expected a KosError');
}

const role = (deps: IdentityDeps, name: string, domainId: string | null = null): Promise<Role> =>
  deps.repo.c.roles.create({ id: hexId(), name, domain_id: domainId, description: null, options: {}, extra: {} });

const onProject = (userId: string, projectId: string, inherited = false): GrantSubject => ({
  actorType: 'user', actorId: userId, targetType: 'project', targetId: projectId, inherited,
});

describe('project lifecycle', () => {
  it('places a child in its parent’s domain and refuses a disabled branch or a foreign domain', async () => {
    const deps = await resourceWorld();
    const d2 = await createDomain(deps, { name: 'd2' });
    const parent = await createProject(deps, { name: 'parent', domain_id: d2.id }, adminAuth);
    const child = await createProject(deps, { name: 'child', parent_id: parent.id }, adminAuth);
    expect(child.domain_id).toBe(d2.id);
    expect(child.parent_id).toBe(parent.id);

    const foreign = await failure(createProject(deps, { name: 'x', parent_id: parent.id, domain_id: 'default' }, adminAuth));
    expect(foreign.status).toBe(400);

    await updateProject(deps, child, { enabled: false });
    const disabled = await failure(createProject(deps, { name: 'grandchild', parent_id: child.id }, adminAuth));
    expect(disabled.status).toBe(400);
    expect(disabled.message).toBe(`cannot create a project in a branch containing a disabled project: ${child.id}`);

    const noDomain = await failure(createProject(deps, { name: 'y', domain_id: 'nope' }, adminAuth));
    expect([noDomain.status, noDomain.message]).toEqual([400, 'Could not find domain: nope.']);
  });

  it('stops at five levels of projects below the domain', async () => {
    const deps = await resourceWorld();
    let parentId: string | undefined;
    for (let level = 1; level <= 5; level++) {
      parentId = (await createProject(deps, { name: `l${level}`, ...(parentId ? { parent_id: parentId } : {}) }, adminAuth)).id;
    }
    const tooDeep = await failure(createProject(deps, { name: 'l6', parent_id: parentId! }, adminAuth));
    expect(tooDeep.status).toBe(403);
  });

  it('keeps names unique per domain, not across domains', async () => {
    const deps = await resourceWorld();
    const d2 = await createDomain(deps, { name: 'd2' });
    await createProject(deps, { name: 'same' }, adminAuth);
    await createProject(deps, { name: 'same', domain_id: d2.id }, adminAuth);
    const clash = await failure(createProject(deps, { name: ' same ' }, adminAuth));
    expect(clash.status).toBe(409);
  });

  it('disables children before parents, enables parents before children, deletes leaves only', async () => {
    const deps = await resourceWorld();
    const parent = await createProject(deps, { name: 'parent' }, adminAuth);
    const child = await createProject(deps, { name: 'child', parent_id: parent.id }, adminAuth);

    expect((await failure(updateProject(deps, parent, { enabled: false }))).status).toBe(403);
    const disabledChild = await updateProject(deps, child, { enabled: false });
    const disabledParent = await updateProject(deps, parent, { enabled: false });
    expect((await failure(updateProject(deps, disabledChild, { enabled: true }))).message).toBe(
      `Cannot enable project ${child.id} since it has disabled parents`,
    );
    await updateProject(deps, disabledParent, { enabled: true });

    expect((await failure(deleteProject(deps, parent))).status).toBe(403);
    await deleteProject(deps, child);
    await deleteProject(deps, parent);
    expect(deps.repo.c.projects.has(parent.id)).toBe(false);
    expect(revocations(deps)).toContainEqual({ project_id: parent.id });
    expect(revocations(deps)).toContainEqual({ project_id: child.id });
  });

  it('refuses to change an immutable project until the option is turned off', async () => {
    const deps = await resourceWorld();
    const p = await createProject(deps, { name: 'frozen', options: { immutable: true } }, adminAuth);
    expect((await failure(updateProject(deps, p, { description: 'x' }))).status).toBe(403);
    expect((await failure(deleteProject(deps, p))).status).toBe(403);
    const thawed = await updateProject(deps, p, { options: { immutable: false } });
    expect(thawed.options).toEqual({ immutable: false });
    await deleteProject(deps, thawed);
  });
});

describe('user lifecycle', () => {
  it('stores a hash, keeps unknown attributes, and refuses a duplicate name in the domain', async () => {
    const deps = await resourceWorld();
    const u = await createUser(deps, { name: 'alice', password: 'pw1', email: 'a@example.org' }, adminAuth);
    expect(u.domain_id).toBe('default');
    expect(u.extra).toEqual({ email: 'a@example.org' });
    expect(u.passwords[0]!.hash).not.toContain('pw1');
    expect(await deps.passwords.verify('pw1', u.passwords[0]!.hash)).toBe(true);
    expect((await failure(createUser(deps, { name: 'alice' }, adminAuth))).status).toBe(409);
    expect((await failure(createUser(deps, { name: 'bob', domain_id: 'nope' }, adminAuth))).status).toBe(404);
    expect((await failure(createUser(deps, { name: 'carol', default_project_id: 'default' }, adminAuth))).status).toBe(400);
  });

  it('revokes a user’s tokens when it is disabled or its password changes', async () => {
    const deps = await resourceWorld();
    const u = await createUser(deps, { name: 'alice', password: 'pw1' }, adminAuth);
    await updateUser(deps, u, { description: 'only a description' });
    expect(revocations(deps)).toEqual([]);
    const disabled = await updateUser(deps, u, { enabled: false });
    expect(revocations(deps)).toEqual([{ user_id: u.id }]);
    await updateUser(deps, disabled, { password: 'pw2' });
    expect(revocations(deps)).toHaveLength(2);
  });

  it('changes a password only with the right original one', async () => {
    const deps = await resourceWorld();
    const u = await createUser(deps, { name: 'alice', password: 'old' }, adminAuth);
    const wrong = await failure(changePassword(deps, u.id, 'guess', 'new'));
    expect([wrong.status, wrong.message]).toEqual([401, 'Error when changing user password: Invalid user / password']);
    await changePassword(deps, u.id, 'old', 'new');
    const stored = deps.repo.c.users.require(u.id);
    expect(await deps.passwords.verify('new', stored.passwords[0]!.hash)).toBe(true);
    expect(stored.passwords).toHaveLength(2);
    expect(revocations(deps)).toEqual([{ user_id: u.id }]);
  });

  it('takes grants, memberships and application credentials with a deleted user', async () => {
    const deps = await resourceWorld();
    const u = await createUser(deps, { name: 'alice' }, adminAuth);
    const p = await createProject(deps, { name: 'p' }, adminAuth);
    const member = await role(deps, 'member');
    await createGrant(deps, onProject(u.id, p.id), member.id);
    await deps.repo.c.groups.create({ id: 'g', name: 'g', domain_id: 'default', description: '', extra: {} });
    await deps.repo.c.memberships.create({ id: `g:${u.id}`, group_id: 'g', user_id: u.id });
    await deps.repo.c.application_credentials.create({
      id: 'ac', name: 'ac', description: null, user_id: u.id, project_id: p.id, secret_hash: 'x', expires_at: null,
      unrestricted: false, role_ids: [member.id], access_rule_ids: [],
    });
    await deleteUser(deps, u);
    expect(deps.repo.c.users.has(u.id)).toBe(false);
    expect(deps.repo.c.role_assignments.size).toBe(0);
    expect(deps.repo.c.memberships.size).toBe(0);
    expect(deps.repo.c.application_credentials.size).toBe(0);
    expect(revocations(deps)).toContainEqual({ user_id: u.id });
  });
});

describe('grants', () => {
  it('are idempotent, checked, listed and revoked with the project-scoped tokens of the user', async () => {
    const deps = await resourceWorld();
    const u = await createUser(deps, { name: 'alice' }, adminAuth);
    const p = await createProject(deps, { name: 'p' }, adminAuth);
    const member = await role(deps, 'member');
    await createGrant(deps, onProject(u.id, p.id), member.id);
    await createGrant(deps, onProject(u.id, p.id), member.id);
    expect(deps.repo.c.role_assignments.size).toBe(1);
    expect(listGrants(deps, onProject(u.id, p.id)).map((r) => r.name)).toEqual(['member']);
    expect(listGrants(deps, onProject(u.id, p.id, true))).toEqual([]);
    checkGrant(deps, onProject(u.id, p.id), member.id);
    await revokeGrant(deps, onProject(u.id, p.id), member.id);
    expect(revocations(deps)).toEqual([{ user_id: u.id, project_id: p.id }]);
    expect(() => checkGrant(deps, onProject(u.id, p.id), member.id)).toThrow(
      `Could not find role assignment with role: ${member.id}, user or group: ${u.id}, project, domain, or system: ${p.id}.`,
    );
  });

  it('refuse a domain-specific role on a project of another domain', async () => {
    const deps = await resourceWorld();
    const d2 = await createDomain(deps, { name: 'd2' });
    const u = await createUser(deps, { name: 'alice' }, adminAuth);
    const p = await createProject(deps, { name: 'p' }, adminAuth);
    const local = await role(deps, 'local', d2.id);
    expect((await failure(createGrant(deps, onProject(u.id, p.id), local.id))).status).toBe(403);
  });

  it('revoke every member’s tokens when a group loses a role', async () => {
    const deps = await resourceWorld();
    const a = await createUser(deps, { name: 'a' }, adminAuth);
    const b = await createUser(deps, { name: 'b' }, adminAuth);
    await deps.repo.c.groups.create({ id: 'g', name: 'g', domain_id: 'default', description: '', extra: {} });
    for (const u of [a, b]) await deps.repo.c.memberships.create({ id: `g:${u.id}`, group_id: 'g', user_id: u.id });
    const reader = await role(deps, 'reader');
    const subject: GrantSubject = { actorType: 'group', actorId: 'g', targetType: 'domain', targetId: 'default', inherited: true };
    await createGrant(deps, subject, reader.id);
    await revokeGrant(deps, subject, reader.id);
    expect(revocations(deps)).toEqual([{ user_id: a.id }, { user_id: b.id }]);
  });
});

describe('domain lifecycle', () => {
  it('deletes only a disabled domain, and everything it owns with it', async () => {
    const deps = await resourceWorld();
    const d = await createDomain(deps, { name: 'doomed' });
    const parent = await createProject(deps, { name: 'parent', domain_id: d.id }, adminAuth);
    await createProject(deps, { name: 'child', parent_id: parent.id }, adminAuth);
    const u = await createUser(deps, { name: 'u', domain_id: d.id }, adminAuth);
    await deps.repo.c.groups.create({ id: 'g', name: 'g', domain_id: d.id, description: '', extra: {} });
    const local = await role(deps, 'local', d.id);
    await createGrant(deps, { actorType: 'user', actorId: u.id, targetType: 'domain', targetId: d.id, inherited: false }, local.id);
    const outsider = await createProject(deps, { name: 'outsider' }, adminAuth);

    const enabled = await failure(deleteDomain(deps, d));
    expect([enabled.status, enabled.message]).toEqual([403, 'Cannot delete a domain that is enabled, please disable it first.']);

    const disabled = await updateDomain(deps, d, { enabled: false });
    expect(revocations(deps)).toEqual([{ domain_id: d.id }]);
    await deleteDomain(deps, disabled);
    expect(deps.repo.c.domains.has(d.id)).toBe(false);
    expect(deps.repo.c.projects.list().map((p) => p.id)).toEqual([outsider.id]);
    expect(deps.repo.c.users.has(u.id)).toBe(false);
    expect(deps.repo.c.groups.has('g')).toBe(false);
    expect(deps.repo.c.roles.has(local.id)).toBe(false);
    expect(deps.repo.c.role_assignments.size).toBe(0);
  });

  it('keeps domain names unique and accepts an explicit id', async () => {
    const deps = await resourceWorld();
    const id = hexId();
    const d = await createDomain(deps, { name: 'mine', explicit_domain_id: id, tags: ['t'], color: 'blue' });
    expect([d.id, d.tags, d.extra]).toEqual([id, ['t'], { color: 'blue' }]);
    expect((await failure(createDomain(deps, { name: 'mine' }))).status).toBe(409);
  });
});
