/**
 * Placement against a whole kos: the bootstrap providers, microversions and errors as
 * Placement writes them, generations, allocations that never oversubscribe, candidates,
 * and the openstack CLI's placement plugin (osc-placement).
 */
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueToken, startTestKos } from '../../support/kos.js';

const run = promisify(execFile);
type Kos = Awaited<ReturnType<typeof startTestKos>>;
type Json = Record<string, unknown>;

describe('placement', () => {
  let kos: Kos;
  let admin: string;
  const call = async (method: string, path: string, body?: unknown, version = '1.39', token?: string) => {
    const res = await fetch(`${kos.url}/placement${path}`, {
      method,
      headers: {
        'x-auth-token': token ?? admin,
        'openstack-api-version': `placement ${version}`,
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    const text = await res.text();
    return { status: res.status, json: (text ? JSON.parse(text) : {}) as Json, headers: res.headers };
  };

  beforeAll(async () => {
    kos = await startTestKos();
    admin = await issueToken(kos.authUrl, 'admin', kos.adminPassword, 'admin');
  });
  afterAll(async () => kos?.cleanup());

  it('has a root version document and one provider per hypervisor with Nova-like inventories', async () => {
    const root = (await fetch(`${kos.url}/placement/`).then((r) => r.json())) as { versions: Json[] };
    expect(root.versions[0]).toMatchObject({ min_version: '1.0', max_version: '1.39' });
    const list = await call('GET', '/resource_providers');
    expect(list.headers.get('openstack-api-version')).toBe('placement 1.39');
    const rps = list.json.resource_providers as { uuid: string; name: string }[];
    expect(rps.map((r) => r.name).sort()).toEqual(['az1-hv-1', 'az1-hv-2', 'az2-hv-1', 'az2-hv-2', 'az3-hv-1', 'az3-hv-2']);
    const inv = await call('GET', `/resource_providers/${rps[0]!.uuid}/inventories`);
    expect(inv.json.inventories).toMatchObject({
      VCPU: { total: 32, allocation_ratio: 16, reserved: 0 },
      MEMORY_MB: { total: 131072, allocation_ratio: 1.5, reserved: 512 },
      DISK_GB: { total: 2048, allocation_ratio: 1 },
    });
  });

  it('answers errors in placement format: bad microversions, generation conflicts, policy', async () => {
    const bad = await call('GET', '/resource_providers', undefined, '1.99');
    expect(bad.status).toBe(406);
    expect((bad.json.errors as Json[])[0]).toMatchObject({ status: 406, code: 'placement.undefined_code' });
    expect((await call('GET', '/resource_providers', undefined, 'x.y')).status).toBe(400);
    expect((await call('GET', '/resource_classes', undefined, '1.1')).status).toBe(404);

    const rp = (await call('POST', '/resource_providers', { name: 'extra' })).json;
    expect(rp).toMatchObject({ name: 'extra', generation: 0 });
    const id = String(rp.uuid);
    const put = await call('PUT', `/resource_providers/${id}/inventories`, { resource_provider_generation: 0, inventories: { VCPU: { total: 2 } } });
    expect(put.json).toMatchObject({ resource_provider_generation: 1, inventories: { VCPU: { total: 2, max_unit: 2147483647, allocation_ratio: 1 } } });
    const stale = await call('PUT', `/resource_providers/${id}/inventories`, { resource_provider_generation: 0, inventories: {} });
    expect(stale.status).toBe(409);
    expect((stale.json.errors as Json[])[0]!.code).toBe('placement.concurrent_update');
    expect((await call('POST', '/resource_providers', { name: 'extra' })).status).toBe(409);

    const demo = await issueToken(kos.authUrl, 'demo', kos.demoPassword, 'demo');
    expect((await call('GET', '/resource_providers', undefined, '1.39', demo)).status).toBe(403);
  });

  it('claims atomically with consumer generations and never beyond capacity', async () => {
    const rp = String((await call('POST', '/resource_providers', { name: 'tiny' })).json.uuid);
    await call('PUT', `/resource_providers/${rp}/inventories`, { resource_provider_generation: 0, inventories: { VCPU: { total: 2, allocation_ratio: 2 } } });
    const claim = (consumer: string, vcpu: number, generation: number | null) =>
      call('PUT', `/allocations/${consumer}`, {
        allocations: { [rp]: { resources: { VCPU: vcpu } } }, project_id: 'p1', user_id: 'u1', consumer_generation: generation, consumer_type: 'INSTANCE',
      });
    const results = await Promise.all(Array.from({ length: 6 }, () => claim(randomUUID(), 1, null)));
    expect(results.filter((r) => r.status === 204)).toHaveLength(4);
    expect((await call('GET', `/resource_providers/${rp}/usages`)).json.usages).toEqual({ VCPU: 4 });

    const candidates = await call('GET', `/allocation_candidates?resources=VCPU:1&in_tree=${rp}`);
    expect(candidates.json.allocation_requests).toEqual([]);

    const released = (await call('GET', `/resource_providers/${rp}/allocations`)).json.allocations as Json;
    const consumer = Object.keys(released)[0]!;
    const shown = await call('GET', `/allocations/${consumer}`);
    expect(shown.json).toMatchObject({ consumer_generation: 1, project_id: 'p1', consumer_type: 'INSTANCE' });
    expect((await claim(consumer, 1, 0)).status).toBe(409);
    expect((await call('DELETE', `/allocations/${consumer}`)).status).toBe(204);
    expect((await call('DELETE', `/allocations/${consumer}`)).status).toBe(404);
    const after = await call('GET', `/allocation_candidates?resources=VCPU:1&in_tree=${rp}`);
    expect(Object.keys(after.json.provider_summaries as Json)).toEqual([rp]);
    expect((await call('GET', '/usages?project_id=p1')).json.usages).toEqual({ VCPU: 3 });
  });

  it('is driven by the openstack CLI placement plugin', async () => {
    const env = { ...process.env, OS_CLIENT_CONFIG_FILE: kos.cloudsYaml, OS_CLOUD: 'kos' };
    const os = async (...args: string[]) => JSON.parse((await run('openstack', [...args, '-f', 'json'], { env })).stdout) as Json[];
    const rps = await os('resource', 'provider', 'list');
    const hv = rps.find((r) => r.name === 'az2-hv-1')!;
    expect(hv).toBeDefined();
    const inventory = await os('resource', 'provider', 'inventory', 'list', String(hv.uuid));
    expect(inventory.map((i) => i.resource_class).sort()).toEqual(['DISK_GB', 'MEMORY_MB', 'VCPU']);
    expect(inventory.find((i) => i.resource_class === 'VCPU')).toMatchObject({ total: 32, allocation_ratio: 16 });
  }, 90_000);
});
