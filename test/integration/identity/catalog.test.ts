/** Regions, services, endpoints, endpoint groups, policies, limits and consumers over real HTTP. */
import { beforeAll, describe, expect, it } from 'vitest';
import { list, o, useIdentityKos, type Json, type Kos } from '../../support/identity-http.js';

const world = useIdentityKos();
const { call, openstack: os } = world;
let kos: Kos;
let admin: string;
let demo: string;

beforeAll(() => {
  ({ kos, admin, demo } = world);
});

async function service(type: string): Promise<string> {
  const r = await call('POST', '/services', { service: { type, name: `${type}-name`, description: 'd' } });
  expect(r.status).toBe(201);
  return o(r.body.service).id as string;
}

describe('regions', () => {
  it('creates with chosen ids, nests, filters by parent and refuses cycles', async () => {
    const parent = await call('POST', '/regions', { region: { id: 'west', description: 'West' } });
    expect(parent.status).toBe(201);
    expect(parent.body.region).toMatchObject({ id: 'west', description: 'West', parent_region_id: null });
    expect(o(o(parent.body.region).links).self).toBe(`${kos.authUrl}/regions/west`);

    const child = await call('PUT', '/regions/west-1', { region: { parent_region_id: 'west' } });
    expect(child.status).toBe(201);
    expect(child.body.region).toMatchObject({ id: 'west-1', description: '', parent_region_id: 'west' });

    const generated = await call('POST', '/regions', { region: { description: 'anon' } });
    expect(o(generated.body.region).id).toMatch(/^[0-9a-f]{32}$/);

    const filtered = await call('GET', '/regions?parent_region_id=west');
    expect(list(filtered.body.regions).map((r) => r.id)).toEqual(['west-1']);

    const cycle = await call('PATCH', '/regions/west', { region: { parent_region_id: 'west-1' } });
    expect(cycle.status).toBe(400);
    expect(o(cycle.body.error).message).toBe('The specified parent region west-1 would create a circular region hierarchy.');

    expect((await call('POST', '/regions', { region: { id: 'west' } })).status).toBe(409);
    expect((await call('POST', '/regions', { region: { parent_region_id: 'nowhere' } })).status).toBe(404);
    // Regions are readable by anyone authenticated, writable by admins only.
    expect((await call('GET', '/regions/west', undefined, demo)).status).toBe(200);
    expect((await call('DELETE', '/regions/west', undefined, demo)).status).toBe(403);

    // Deleting a parent takes its children along.
    expect((await call('DELETE', '/regions/west')).status).toBe(204);
    expect((await call('GET', '/regions/west-1')).status).toBe(404);
  });
});

describe('services and endpoints', () => {
  it('validates endpoints, auto-creates a legacy region and cascades a service delete', async () => {
    const sid = await service('kos-test');
    const created = await call('POST', '/endpoints', {
      endpoint: { service_id: sid, interface: 'internal', url: 'http://svc.example:8080/v1', region: 'legacy-region', enabled: true },
    });
    expect(created.status).toBe(201);
    const ep = o(created.body.endpoint);
    expect(ep).toMatchObject({ service_id: sid, interface: 'internal', region: 'legacy-region', region_id: 'legacy-region', enabled: true });
    expect((await call('GET', '/regions/legacy-region')).status).toBe(200);

    for (const bad of [
      { service_id: sid, interface: 'internal', url: 'http://x', enabled: 'True' },
      { service_id: sid, interface: 'private', url: 'http://x' },
      { service_id: 'nope', interface: 'public', url: 'http://x' },
      { service_id: sid, interface: 'public', url: 'http://x', region_id: 'nope' },
    ]) {
      const r = await call('POST', '/endpoints', { endpoint: bad });
      expect(r.status).toBe(400);
    }
    const noWrapper = await call('POST', '/endpoints', { service_id: sid });
    expect(noWrapper.status).toBe(400);
    expect(o(noWrapper.body.error).message).toContain("'endpoint' is a required property");

    const byService = await call('GET', `/endpoints?service_id=${sid}&interface=internal`);
    expect(list(byService.body.endpoints).map((e) => e.id)).toEqual([ep.id]);
    const admins = (await call('GET', '/endpoints?interface=admin')).body.endpoints as Json[];
    expect(admins.every((e) => e.interface === 'admin')).toBe(true);
    expect(admins.map((e) => e.id)).not.toContain(ep.id);

    const patched = await call('PATCH', `/endpoints/${ep.id}`, { endpoint: { enabled: false, interface: 'admin' } });
    expect(patched.body.endpoint).toMatchObject({ enabled: false, interface: 'admin', region_id: 'legacy-region' });

    // A region with endpoints stays.
    const refused = await call('DELETE', '/regions/legacy-region');
    expect(refused.status).toBe(403);
    expect(o(refused.body.error).message).toBe('Unable to delete region legacy-region because it or its child regions have associated endpoints.');

    expect(list((await call('GET', `/services?type=kos-test`)).body.services).map((s) => s.id)).toEqual([sid]);
    expect((await call('GET', '/services', undefined, demo)).status).toBe(403);
    expect((await call('DELETE', `/services/${sid}`)).status).toBe(204);
    expect((await call('GET', `/endpoints/${ep.id}`)).status).toBe(404);
    expect((await call('DELETE', '/regions/legacy-region')).status).toBe(204);
  });
});

describe('OS-EP-FILTER', () => {
  it('associates endpoints and endpoint groups with a project', async () => {
    const sid = await service('filtered');
    const ep = o((await call('POST', '/endpoints', { endpoint: { service_id: sid, interface: 'public', url: 'http://f' } })).body.endpoint);
    const project = o((await call('POST', '/projects', { project: { name: 'ep-filter-project', domain_id: 'default' } })).body.project);
    expect(project?.id).toBeTruthy();

    const group = await call('POST', '/OS-EP-FILTER/endpoint_groups', {
      endpoint_group: { name: 'g1', description: 'd', filters: { service_id: sid } },
    });
    expect(group.status).toBe(201);
    const gid = o(group.body.endpoint_group).id as string;
    expect((await call('POST', '/OS-EP-FILTER/endpoint_groups', { endpoint_group: { name: 'g2', filters: { url: 'x' } } })).status).toBe(400);
    expect((await call('POST', '/OS-EP-FILTER/endpoint_groups', { endpoint_group: { name: 'g2', filters: {} } })).status).toBe(400);

    const head = await fetch(`${kos.authUrl}/OS-EP-FILTER/endpoint_groups/${gid}`, { method: 'HEAD', headers: { 'x-auth-token': admin } });
    expect(head.status).toBe(200);
    expect(list((await call('GET', `/OS-EP-FILTER/endpoint_groups/${gid}/endpoints`)).body.endpoints).map((e) => e.id)).toEqual([ep.id]);

    expect((await call('PUT', `/OS-EP-FILTER/endpoint_groups/${gid}/projects/${project.id}`)).status).toBe(204);
    const assoc = await call('GET', `/OS-EP-FILTER/endpoint_groups/${gid}/projects/${project.id}`);
    expect(assoc.body.project_endpoint_group).toMatchObject({ endpoint_group_id: gid, project_id: project.id });
    expect(list((await call('GET', `/OS-EP-FILTER/endpoint_groups/${gid}/projects`)).body.projects).map((p) => p.id)).toEqual([project.id]);
    expect(list((await call('GET', `/OS-EP-FILTER/projects/${project.id}/endpoint_groups`)).body.endpoint_groups).map((g) => g.id)).toEqual([gid]);
    expect(list((await call('GET', `/OS-EP-FILTER/projects/${project.id}/endpoints`)).body.endpoints).map((e) => e.id)).toEqual([ep.id]);

    expect((await call('GET', `/OS-EP-FILTER/projects/${project.id}/endpoints/${ep.id}`)).status).toBe(404);
    expect((await call('PUT', `/OS-EP-FILTER/projects/${project.id}/endpoints/${ep.id}`)).status).toBe(204);
    expect((await call('GET', `/OS-EP-FILTER/projects/${project.id}/endpoints/${ep.id}`)).status).toBe(204);
    expect(list((await call('GET', `/OS-EP-FILTER/endpoints/${ep.id}/projects`)).body.projects).map((p) => p.id)).toEqual([project.id]);
    expect((await call('DELETE', `/OS-EP-FILTER/projects/${project.id}/endpoints/${ep.id}`)).status).toBe(204);
    expect((await call('DELETE', `/OS-EP-FILTER/projects/${project.id}/endpoints/${ep.id}`)).status).toBe(404);

    expect((await call('DELETE', `/OS-EP-FILTER/endpoint_groups/${gid}`)).status).toBe(204);
    expect((await call('GET', `/OS-EP-FILTER/projects/${project.id}/endpoint_groups`)).body.endpoint_groups).toEqual([]);
  });
});

describe('policies, limits and OAuth1 consumers', () => {
  it('keeps policy blobs', async () => {
    const p = await call('POST', '/policies', { policy: { type: 'application/json', blob: '{"a": 1}' } });
    expect(p.status).toBe(201);
    const id = o(p.body.policy).id as string;
    expect((await call('PATCH', `/policies/${id}`, { policy: { type: 'text/plain' } })).body.policy).toMatchObject({ type: 'text/plain', blob: '{"a": 1}' });
    expect((await call('POST', '/policies', { policy: { type: 'x' } })).status).toBe(400);
    expect((await call('GET', `/policies/${id}`, undefined, demo)).status).toBe(403);
    expect((await call('DELETE', `/policies/${id}`)).status).toBe(204);
  });

  it('creates limits only under a registered limit and refuses duplicates', async () => {
    const sid = await service('quota-svc');
    const demoProject = list((await call('GET', '/projects?name=demo')).body.projects)[0]?.id as string;
    const reg = await call('POST', '/registered_limits', { registered_limits: [{ service_id: sid, resource_name: 'cores', default_limit: 10 }] });
    expect(reg.status).toBe(201);
    expect(reg.body).not.toHaveProperty('links');
    const regId = list(reg.body.registered_limits)[0]?.id as string;
    expect((await call('POST', '/registered_limits', { registered_limits: [{ service_id: sid, resource_name: 'cores', default_limit: 1 }] })).status).toBe(409);

    const orphan = await call('POST', '/limits', { limits: [{ project_id: demoProject, service_id: sid, resource_name: 'ram', resource_limit: 1 }] });
    expect(orphan.status).toBe(403);
    const lim = await call('POST', '/limits', { limits: [{ project_id: demoProject, service_id: sid, resource_name: 'cores', resource_limit: 4 }] });
    expect(lim.status).toBe(201);
    const limit = o(list(lim.body.limits)[0]);
    expect(limit).toMatchObject({ project_id: demoProject, domain_id: null, resource_limit: 4, region_id: null });
    expect((await call('POST', '/limits', { limits: [{ project_id: demoProject, service_id: sid, resource_name: 'cores', resource_limit: 5 }] })).status).toBe(409);

    // The demo member sees its project's limit; the model is readable by anyone.
    expect(list((await call('GET', '/limits', undefined, demo)).body.limits).map((l) => l.id)).toEqual([limit.id]);
    expect((await call('GET', `/limits/${limit.id}`, undefined, demo)).status).toBe(200);
    expect((await call('GET', '/limits/model', undefined, demo)).body).toEqual({
      model: { name: 'flat', description: 'Limit enforcement and validation does not take project hierarchy into consideration.' },
    });
    expect(o((await call('PATCH', `/limits/${limit.id}`, { limit: { resource_limit: 8 } })).body.limit).resource_limit).toBe(8);
    expect((await call('DELETE', `/registered_limits/${regId}`)).status).toBe(403);
    expect((await call('DELETE', `/limits/${limit.id}`)).status).toBe(204);
    expect((await call('DELETE', `/registered_limits/${regId}`)).status).toBe(204);
  });

  it('shows a consumer secret only at creation', async () => {
    const c = await call('POST', '/OS-OAUTH1/consumers', { consumer: { description: 'tool' } });
    expect(c.status).toBe(201);
    expect(o(c.body.consumer).secret).toMatch(/^[0-9a-f]{32}$/);
    const id = o(c.body.consumer).id as string;
    const shown = await call('GET', `/OS-OAUTH1/consumers/${id}`);
    expect(shown.body.consumer).toEqual({ id, description: 'tool', links: o(c.body.consumer).links });
    expect(o((await call('PATCH', `/OS-OAUTH1/consumers/${id}`, { consumer: { description: 'new' } })).body.consumer).description).toBe('new');
    expect((await call('DELETE', `/OS-OAUTH1/consumers/${id}`)).status).toBe(204);
    expect((await call('GET', `/OS-OAUTH1/consumers/${id}`)).status).toBe(404);
  });
});

describe('the openstack CLI', () => {
  it('creates and lists regions, services and endpoints', async () => {
    expect(await os('region', 'create', '--description', 'cli region', 'cli-region')).toMatchObject({ region: 'cli-region', description: 'cli region' });
    const svc = await os('service', 'create', '--name', 'cli-svc', 'cli-type');
    const ep = await os('endpoint', 'create', '--region', 'cli-region', svc.id as string, 'public', 'http://cli.example:1');
    expect(ep).toMatchObject({ region: 'cli-region', service_name: 'cli-svc', interface: 'public', url: 'http://cli.example:1' });
    const endpoints = (await os('endpoint', 'list', '--service', svc.id as string)) as unknown as Json[];
    expect(endpoints.map((e) => e.ID)).toEqual([ep.id]);
  }, 60_000);
});
