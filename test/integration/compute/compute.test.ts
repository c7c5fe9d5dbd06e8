/**
 * Nova end to end: real HTTP for the wire details (microversion headers, fault bodies,
 * quota refusals, NoValidHost), then the openstack CLI for the newcomer's sequence —
 * boot on `private` in az2, show, list --long, stop/start/reboot, resize + confirm,
 * migrate, image create, an anti-affinity group, hypervisors, zones, quotas.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueToken, startTestKos } from '../../support/kos.js';

const run = promisify(execFile);
type Json = Record<string, unknown>;
const CIRROS = '0d5b8f8e-c1a5-4f3e-9d5e-c1440c1a0001';

describe('compute (Nova)', () => {
  let kos: Awaited<ReturnType<typeof startTestKos>>;
  let token: string;
  const call = async (method: string, path: string, body?: unknown, version = '2.1') => {
    const res = await fetch(`${kos.url}/compute/v2.1${path}`, {
      method, headers: { 'x-auth-token': token, 'content-type': 'application/json', 'openstack-api-version': `compute ${version}` },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    return { status: res.status, headers: res.headers, json: (text ? JSON.parse(text) : {}) as Json };
  };
  const waitFor = async (id: string, status: string) => {
    for (let i = 0; i < 200; i++) {
      const r = await call('GET', `/servers/${id}`);
      if (r.status === 200 && (r.json.server as Json).status === status) return r.json.server as Json;
      await new Promise((res) => setTimeout(res, 10));
    }
    throw new Error(`server ${id} never reached ${status}`);
  };

  beforeAll(async () => {
    kos = await startTestKos();
    token = await issueToken(kos.authUrl, 'admin', 'admin-secret', 'admin');
  }, 30_000);
  afterAll(async () => kos?.cleanup());

  it('negotiates microversions and answers in Nova fault bodies', async () => {
    const root = await fetch(`${kos.url}/compute/v2.1`).then((r) => r.json() as Promise<Json>);
    expect(root.version).toMatchObject({ id: 'v2.1', version: '2.93', min_version: '2.1' });
    const latest = await call('GET', '/flavors', undefined, 'latest');
    expect(latest.headers.get('openstack-api-version')).toBe('compute 2.93');
    expect((await call('GET', '/flavors', undefined, '2.94')).status).toBe(406);
    const missing = await call('GET', '/servers/00000000-0000-4000-8000-000000000000');
    expect(missing.json).toEqual({ itemNotFound: { code: 404, message: 'Instance 00000000-0000-4000-8000-000000000000 could not be found.' } });
    const flavors = await call('GET', '/flavors/detail');
    expect((flavors.json.flavors as Json[]).slice(0, 2).map((f) => [f.id, f.name, f.ram, f.vcpus, f.disk])).toEqual([['1', 'm1.tiny', 512, 1, 1], ['2', 'm1.small', 2048, 1, 20]]);
  });

  it('boots to ACTIVE, enforces quota with Nova\'s 403 and puts an unplaceable server in ERROR', async () => {
    const created = await call('POST', '/servers', { server: { name: 'http-vm', flavorRef: '1', imageRef: CIRROS, networks: 'none' } }, '2.74');
    expect(created.status).toBe(202);
    const id = (created.json.server as Json).id as string;
    const active = await waitFor(id, 'ACTIVE');
    expect(active['OS-EXT-STS:vm_state']).toBe('active');
    expect(active['OS-EXT-STS:power_state']).toBe(1);
    expect(String(active['OS-EXT-SRV-ATTR:host'])).toMatch(/^az\d-hv-\d$/);

    await call('PUT', '/os-quota-sets/' + (await projectOf()), { quota_set: { cores: 2 } });
    const refused = await call('POST', '/servers', { server: { name: 'too-big', flavorRef: '3', imageRef: CIRROS, networks: 'none' } }, '2.74');
    expect(refused.status).toBe(403);
    expect((refused.json.forbidden as Json).message).toBe('Quota exceeded for cores: Requested 2, but already used 1 of 2 cores');
    await call('PUT', '/os-quota-sets/' + (await projectOf()), { quota_set: { cores: 2000, ram: 10_000_000, instances: 100 } });

    const flavor = await call('POST', '/flavors', { flavor: { name: 'huge', ram: 1_000_000, vcpus: 1, disk: 1 } });
    const huge = await call('POST', '/servers', { server: { name: 'nowhere', flavorRef: (flavor.json.flavor as Json).id, imageRef: CIRROS, networks: 'none' } }, '2.74');
    const failed = await waitFor((huge.json.server as Json).id as string, 'ERROR');
    expect((failed.fault as Json).message).toBe('No valid host was found. There are not enough hosts available.');
    await call('DELETE', `/servers/${id}`);
  });

  async function projectOf(): Promise<string> {
    const r = await fetch(`${kos.authUrl}/auth/tokens`, { headers: { 'x-auth-token': token, 'x-subject-token': token } });
    return (((await r.json()) as Json).token as { project: { id: string } }).project.id;
  }

  it('is driven by the openstack CLI', async () => {
    const env = { ...process.env, OS_CLIENT_CONFIG_FILE: kos.cloudsYaml, OS_CLOUD: 'kos' };
    const os = async (...args: string[]) => (await run('openstack', args, { env })).stdout;
    const osj = async (...args: string[]) => JSON.parse(await os(...args, '-f', 'json')) as Json & Json[];

    const vm = await osj('server', 'create', '--flavor', 'm1.small', '--image', 'cirros', '--network', 'private', '--availability-zone', 'az2', '--wait', 'vm1');
    expect(vm.status).toBe('ACTIVE');
    const shown = await osj('server', 'show', 'vm1');
    expect(shown['OS-EXT-AZ:availability_zone']).toBe('az2');
    expect(String(shown['OS-EXT-SRV-ATTR:host'])).toMatch(/^az2-hv-\d$/);
    expect(JSON.stringify(shown.addresses)).toMatch(/private.*10\.0\.0\./);
    const long = await osj('server', 'list', '--long');
    expect(long.find((s) => s.Name === 'vm1')).toMatchObject({ Status: 'ACTIVE', 'Availability Zone': 'az2' });

    const id = String(vm.id);
    await os('server', 'stop', 'vm1');
    await waitFor(id, 'SHUTOFF');
    await os('server', 'start', 'vm1');
    await waitFor(id, 'ACTIVE');
    await os('server', 'reboot', '--wait', 'vm1');
    expect((await osj('server', 'show', 'vm1')).status).toBe('ACTIVE');
    await os('server', 'resize', '--flavor', 'm1.medium', '--wait', 'vm1');
    expect((await osj('server', 'show', 'vm1')).status).toBe('VERIFY_RESIZE');
    await os('server', 'resize', 'confirm', 'vm1');
    await waitFor(id, 'ACTIVE');
    expect((await osj('server', 'show', 'vm1')).flavor).toMatch(/m1\.medium/);
    const before = (await osj('server', 'show', 'vm1'))['OS-EXT-SRV-ATTR:host'];
    await os('server', 'migrate', '--wait', 'vm1');
    await os('server', 'resize', 'confirm', 'vm1');
    await waitFor(id, 'ACTIVE');
    expect((await osj('server', 'show', 'vm1'))['OS-EXT-SRV-ATTR:host']).not.toBe(before);
    const image = await osj('server', 'image', 'create', '--name', 'vm1-snap', '--wait', 'vm1');
    expect(image.status).toBe('active');

    const group = await osj('server', 'group', 'create', '--policy', 'anti-affinity', 'spread');
    for (const n of ['g1', 'g2']) await os('server', 'create', '--flavor', 'm1.tiny', '--image', 'cirros', '--network', 'private', '--hint', `group=${String(group.id)}`, '--wait', n);
    const hosts = await Promise.all(['g1', 'g2'].map(async (n) => (await osj('server', 'show', n))['OS-EXT-SRV-ATTR:host']));
    expect(hosts[0]).not.toBe(hosts[1]);

    expect((await osj('hypervisor', 'list')).map((h) => h['Hypervisor Hostname'])).toContain('az3-hv-2');
    const zones = await osj('availability', 'zone', 'list', '--long');
    expect(zones.filter((z) => z['Service Name'] === 'nova-compute').map((z) => z['Zone Name'])).toContain('az1');
    const quota = await osj('quota', 'show');
    expect(JSON.stringify(quota)).toMatch(/"?instances"?/);
  }, 240_000);
});
