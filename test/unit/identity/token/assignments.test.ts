import { describe, expect, it } from 'vitest';
import {
  effectiveAssignments,
  effectiveRoles,
  formatAssignment,
  projectIdsForUser,
} from '../../../../src/openstack/identity/assignments.js';
import { buildCatalog } from '../../../../src/openstack/identity/catalog-builder.js';
import { World } from './fixture.js';

async function hierarchy() {
  const w = new World();
  await w.domain('default', 'Default');
  await w.domain('d2');
  const admin = await w.role('admin');
  const member = await w.role('member');
  const reader = await w.role('reader');
  await w.implies(admin, member);
  await w.implies(member, reader);
  const parent = await w.project('parent', 'd2');
  const child = await w.project('child', 'd2', parent.id);
  const grandchild = await w.project('grandchild', 'd2', child.id);
  const elsewhere = await w.project('elsewhere');
  const user = await w.user('carol', 'pw', 'd2');
  return { w, admin, member, reader, parent, child, grandchild, elsewhere, user };
}

const names = (roles: { name: string }[]) => roles.map((r) => r.name).sort();

describe('effective roles', () => {
  it('follow groups, implications and project inheritance down the subtree', async () => {
    const { w, admin, member, parent, child, grandchild, elsewhere, user } = await hierarchy();
    const group = await w.group('ops', [user], 'd2');
    await w.grant({ group }, { type: 'project', id: elsewhere.id }, admin);
    await w.grant({ user }, { type: 'project', id: parent.id }, member, true);
    expect(names(effectiveRoles(w.repo, user.id, { type: 'project', id: elsewhere.id }))).toEqual(['admin', 'member', 'reader']);
    // Inherited on parent: applies below it, not on parent itself.
    expect(effectiveRoles(w.repo, user.id, { type: 'project', id: parent.id })).toEqual([]);
    expect(names(effectiveRoles(w.repo, user.id, { type: 'project', id: child.id }))).toEqual(['member', 'reader']);
    expect(names(effectiveRoles(w.repo, user.id, { type: 'project', id: grandchild.id }))).toEqual(['member', 'reader']);
  });

  it('apply domain-inherited roles to every project of the domain, not to the domain', async () => {
    const { w, reader, parent, grandchild, elsewhere, user } = await hierarchy();
    await w.grant({ user }, { type: 'domain', id: 'd2' }, reader, true);
    expect(names(effectiveRoles(w.repo, user.id, { type: 'project', id: parent.id }))).toEqual(['reader']);
    expect(names(effectiveRoles(w.repo, user.id, { type: 'project', id: grandchild.id }))).toEqual(['reader']);
    expect(effectiveRoles(w.repo, user.id, { type: 'project', id: elsewhere.id })).toEqual([]);
    expect(effectiveRoles(w.repo, user.id, { type: 'domain', id: 'd2' })).toEqual([]);
  });

  it('never show domain-specific roles, only the global roles they imply', async () => {
    const { w, member, elsewhere, user } = await hierarchy();
    const local = await w.role('local-admin', 'd2');
    await w.grant({ user }, { type: 'project', id: elsewhere.id }, local);
    expect(effectiveRoles(w.repo, user.id, { type: 'project', id: elsewhere.id })).toEqual([]);
    await w.implies(local, member);
    expect(names(effectiveRoles(w.repo, user.id, { type: 'project', id: elsewhere.id }))).toEqual(['member', 'reader']);
  });

  it('list effective rows the way Keystone shows them', async () => {
    const { w, member, reader, parent, child, grandchild, user } = await hierarchy();
    const group = await w.group('ops', [user], 'd2');
    await w.grant({ group }, { type: 'project', id: parent.id }, member, true);
    const rows = effectiveAssignments(w.repo, { userId: user.id, projectId: child.id });
    expect(rows).toEqual([
      { user_id: user.id, project_id: child.id, role_id: member.id, indirect: { group_id: group, project_id: parent.id } },
      { user_id: user.id, project_id: child.id, role_id: reader.id, indirect: { group_id: group, project_id: parent.id, role_id: member.id } },
    ]);
    const formatted = formatAssignment(rows[1]!, { baseUrl: 'http://k' });
    expect(formatted).toEqual({
      user: { id: user.id },
      role: { id: reader.id },
      scope: { project: { id: child.id }, 'OS-INHERIT:inherited_to': 'projects' },
      links: {
        assignment: `http://k/v3/OS-INHERIT/projects/${parent.id}/groups/${group}/roles/${member.id}/inherited_to_projects`,
        membership: `http://k/v3/groups/${group}/users/${user.id}`,
        prior_role: `http://k/v3/prior_role/${reader.id}/implies/${member.id}`,
      },
    });
    expect(effectiveAssignments(w.repo, { userId: user.id, projectId: parent.id })).toEqual([]);
    expect(effectiveAssignments(w.repo, { groupId: group })).toEqual([]);
    expect(projectIdsForUser(w.repo, user.id).sort()).toEqual([child.id, grandchild.id].sort());
    expect(effectiveAssignments(w.repo, { userId: user.id, roleId: reader.id })).toHaveLength(2);
  });
});

describe('catalog', () => {
  it('lists enabled endpoints and honours endpoint filtering', async () => {
    const w = new World();
    await w.domain('default');
    const project = await w.project('p');
    await w.repo.c.regions.create({ id: 'RegionOne', description: '', parent_region_id: null, extra: {} });
    await w.repo.c.services.create({ id: 's1', type: 'compute', name: 'nova', description: null, enabled: true, extra: {} });
    await w.repo.c.services.create({ id: 's2', type: 'image', name: 'glance', description: null, enabled: false, extra: {} });
    const ep = (id: string, service: string, iface: 'public' | 'internal', enabled = true) =>
      w.repo.c.endpoints.create({ id, interface: iface, region_id: 'RegionOne', service_id: service, url: `http://x/${id}`, enabled, extra: {} });
    await ep('e1', 's1', 'public');
    await ep('e2', 's1', 'internal');
    await ep('e3', 's1', 'internal', false);
    await ep('e4', 's2', 'public');
    expect(buildCatalog(w.repo, project.id)).toEqual([
      {
        type: 'compute', name: 'nova', id: 's1',
        endpoints: [
          { id: 'e1', interface: 'public', region: 'RegionOne', region_id: 'RegionOne', url: 'http://x/e1' },
          { id: 'e2', interface: 'internal', region: 'RegionOne', region_id: 'RegionOne', url: 'http://x/e2' },
        ],
      },
    ]);
    await w.repo.c.endpoint_groups.create({ id: 'g1', name: 'public', description: null, filters: { interface: 'public' } });
    await w.repo.c.endpoint_associations.create({ id: `${project.id}:group:g1`, project_id: project.id, endpoint_id: null, endpoint_group_id: 'g1' });
    expect(buildCatalog(w.repo, project.id)[0]!.endpoints.map((e) => e.id)).toEqual(['e1']);
    expect(buildCatalog(w.repo)[0]!.endpoints.map((e) => e.id)).toEqual(['e1', 'e2']);
  });
});
