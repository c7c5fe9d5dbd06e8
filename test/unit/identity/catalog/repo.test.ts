/** Catalog and delegation logic against a real repository over the SQLite store. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { VirtualClock } from '../../../../src/core/clock.js';
import type { Store } from '../../../../src/core/store/types.js';
import { openSqliteStore } from '../../../../src/core/store/sqlite.js';
import { endpointsForProject, groupAssociationId, endpointAssociationId } from '../../../../src/openstack/identity/catalog/endpoint-filter.js';
import { createRegion, regionSubtree, updateRegion } from '../../../../src/openstack/identity/catalog/regions.js';
import { ec2Blob, ec2CredentialId } from '../../../../src/openstack/identity/delegation/credentials.js';
import { IdentityRepository } from '../../../../src/openstack/identity/repository.js';

let dir: string;
let store: Store;
let repo: IdentityRepository;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'kos-catalog-'));
  store = openSqliteStore({ path: join(dir, 'kos.db'), clock: new VirtualClock() });
  repo = new IdentityRepository(store);
  await repo.load();
});
afterEach(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('regions', () => {
  it('forms a tree and refuses a parent that would close a cycle', async () => {
    await createRegion(repo, { id: 'a' });
    await createRegion(repo, { id: 'b', parent_region_id: 'a' });
    await createRegion(repo, { id: 'c', parent_region_id: 'b' });
    expect(regionSubtree(repo, 'a').sort()).toEqual(['a', 'b', 'c']);
    expect(() => updateRegion(repo, repo.c.regions.require('a'), { parent_region_id: 'c' })).toThrowError(
      'The specified parent region c would create a circular region hierarchy.',
    );
    expect(updateRegion(repo, repo.c.regions.require('c'), { parent_region_id: 'a' }).parent_region_id).toBe('a');
  });

  it('answers 404 for a missing parent and 409 for a taken id', async () => {
    await expect(createRegion(repo, { id: 'x', parent_region_id: 'nope' })).rejects.toThrowError('Could not find region: nope.');
    await createRegion(repo, { id: 'x' });
    await expect(createRegion(repo, { id: 'x' })).rejects.toMatchObject({ status: 409 });
    await expect(createRegion(repo, { description: 'd' }, 'y')).resolves.toMatchObject({ id: 'y', description: 'd' });
    await expect(createRegion(repo, { id: 'z' }, 'y2')).rejects.toThrowError(/Conflicting region IDs specified/);
  });
});

describe('OS-EP-FILTER associations', () => {
  it('unites direct endpoints and endpoint groups of a project', async () => {
    await repo.c.services.create({ id: 's1', type: 'compute', name: 'nova', description: null, enabled: true, extra: {} });
    await repo.c.services.create({ id: 's2', type: 'image', name: 'glance', description: null, enabled: true, extra: {} });
    for (const [id, service, iface] of [['e1', 's1', 'public'], ['e2', 's1', 'internal'], ['e3', 's2', 'public']] as const) {
      await repo.c.endpoints.create({ id, interface: iface, region_id: null, service_id: service, url: `http://${id}`, enabled: true, extra: {} });
    }
    await repo.c.endpoint_groups.create({ id: 'g', name: 'public', description: null, filters: { interface: 'public' } });
    expect(endpointsForProject(repo, 'p')).toEqual([]);
    await repo.c.endpoint_associations.create({ id: endpointAssociationId('p', 'e2'), project_id: 'p', endpoint_id: 'e2', endpoint_group_id: null });
    await repo.c.endpoint_associations.create({ id: groupAssociationId('p', 'g'), project_id: 'p', endpoint_id: null, endpoint_group_id: 'g' });
    expect(endpointsForProject(repo, 'p').map((e) => e.id).sort()).toEqual(['e1', 'e2', 'e3']);
    expect(endpointsForProject(repo, 'other')).toEqual([]);
  });
});

describe('ec2 credentials', () => {
  it('are named by the SHA-256 of the access key and need a JSON blob with access', () => {
    expect(ec2CredentialId('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(ec2Blob('{"access":"a","secret":"s"}')).toEqual({ access: 'a', secret: 's' });
    expect(() => ec2Blob('not json')).toThrowError('Invalid blob in credential');
    expect(() => ec2Blob('{"secret":"s"}')).toThrowError(/Expecting to find access in credential/);
  });
});
