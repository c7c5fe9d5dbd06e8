/**
 * Glance v2 against a whole kos: the bootstrap image, the status life of an uploaded
 * image, sharing, and the openstack CLI's image commands.
 */
import { execFile } from 'node:child_process';
import { randomBytes, createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueToken, startTestKos } from '../../support/kos.js';

const run = promisify(execFile);
type Kos = Awaited<ReturnType<typeof startTestKos>>;

describe('glance v2', () => {
  let kos: Kos;
  let admin: string;
  let demo: string;
  const api = (token: string) => async (method: string, path: string, body?: unknown, type = 'application/json') => {
    const res = await fetch(`${kos.url}/image${path}`, {
      method,
      headers: { 'x-auth-token': token, ...(body !== undefined ? { 'content-type': type } : {}) },
      ...(body !== undefined ? { body: body instanceof Uint8Array ? body : JSON.stringify(body) } : {}),
    });
    const text = await res.text();
    let json: Record<string, unknown>;
    try {
      json = text ? (JSON.parse(text) as Record<string, unknown>) : {};
    } catch {
      json = { raw: text };
    }
    return { status: res.status, json, text };
  };

  beforeAll(async () => {
    kos = await startTestKos();
    admin = await issueToken(kos.authUrl, 'admin', kos.adminPassword, 'admin');
    demo = await issueToken(kos.authUrl, 'demo', kos.demoPassword, 'demo');
  });
  afterAll(async () => kos?.cleanup());

  it('answers the version document with 300 and bootstraps a public cirros image', async () => {
    const versions = await fetch(`${kos.url}/image/`);
    expect(versions.status).toBe(300);
    const list = await api(demo)('GET', '/v2/images?name=cirros');
    const images = list.json.images as Record<string, unknown>[];
    expect(images).toHaveLength(1);
    expect(images[0]).toMatchObject({ name: 'cirros', status: 'active', visibility: 'public', disk_format: 'qcow2', container_format: 'bare', virtual_size: 117440512, os_hash_algo: 'sha512' });
    const data = await fetch(`${kos.url}/image/v2/images/${String(images[0]!.id)}/file`, { headers: { 'x-auth-token': demo } });
    const bytes = Buffer.from(await data.arrayBuffer());
    expect(createHash('md5').update(bytes).digest('hex')).toBe(images[0]!.checksum);
  });

  it('walks queued → active → deactivated → active, with checksums and patches', async () => {
    const call = api(demo);
    const created = await call('POST', '/v2/images', { name: 'disk', disk_format: 'raw', container_format: 'bare', hw_rng_model: 'virtio' });
    expect(created.status).toBe(201);
    expect(created.json).toMatchObject({ status: 'queued', visibility: 'shared', hw_rng_model: 'virtio', size: null });
    const id = String(created.json.id);
    expect((await call('GET', `/v2/images/${id}/file`)).status).toBe(204);
    const data = randomBytes(5000);
    expect((await call('PUT', `/v2/images/${id}/file`, data, 'application/octet-stream')).status).toBe(204);
    const shown = (await call('GET', `/v2/images/${id}`)).json;
    expect(shown).toMatchObject({
      status: 'active', size: 5000, virtual_size: 5000, stores: 'file',
      checksum: createHash('md5').update(data).digest('hex'),
      os_hash_value: createHash('sha512').update(data).digest('hex'),
    });
    expect((await call('PUT', `/v2/images/${id}/file`, data, 'application/octet-stream')).status).toBe(409);

    const patch = 'application/openstack-images-v2.1-json-patch';
    const patched = await call('PATCH', `/v2/images/${id}`, [
      { op: 'replace', path: '/name', value: 'renamed' },
      { op: 'add', path: '/os_distro', value: 'cirros' },
      { op: 'add', path: '/tags/-', value: 'gold' },
    ], patch);
    expect(patched.json).toMatchObject({ name: 'renamed', os_distro: 'cirros', tags: ['gold'] });
    expect((await call('PATCH', `/v2/images/${id}`, [{ op: 'replace', path: '/size', value: 1 }], patch)).status).toBe(403);
    expect((await call('PATCH', `/v2/images/${id}`, [{ op: 'add', path: '/os_glance_x', value: '1' }], patch)).status).toBe(403);
    expect((await call('PATCH', `/v2/images/${id}`, [{ op: 'remove', path: '/missing' }], patch)).status).toBe(409);

    expect((await call('POST', `/v2/images/${id}/actions/deactivate`)).status).toBe(204);
    expect((await call('GET', `/v2/images/${id}/file`)).status).toBe(403);
    expect((await api(admin)('GET', `/v2/images/${id}/file`)).status).toBe(200);
    expect((await call('POST', `/v2/images/${id}/actions/reactivate`)).status).toBe(204);

    expect((await call('PATCH', `/v2/images/${id}`, [{ op: 'replace', path: '/protected', value: true }], patch)).status).toBe(200);
    expect((await call('DELETE', `/v2/images/${id}`)).status).toBe(403);
    await call('PATCH', `/v2/images/${id}`, [{ op: 'replace', path: '/protected', value: false }], patch);
    expect((await call('DELETE', `/v2/images/${id}`)).status).toBe(204);
    expect((await call('GET', `/v2/images/${id}`)).status).toBe(404);
  });

  it('shares an image with a project that must accept it, and keeps private images private', async () => {
    const owner = api(admin);
    const img = (await owner('POST', '/v2/images', { name: 'shared-one', disk_format: 'raw', container_format: 'bare' })).json;
    const id = String(img.id);
    const demoProject = (await api(demo)('GET', '/v2/images?visibility=shared&member_status=all')).status;
    expect(demoProject).toBe(200);
    const token = await fetch(`${kos.authUrl}/auth/tokens`, { headers: { 'x-auth-token': demo, 'x-subject-token': demo } });
    const project = ((await token.json()) as { token: { project: { id: string } } }).token.project.id;
    const member = await owner('POST', `/v2/images/${id}/members`, { member: project });
    expect(member.json).toMatchObject({ member_id: project, status: 'pending' });
    expect((await owner('POST', `/v2/images/${id}/members`, { member: project })).status).toBe(409);
    const listIds = async (q = '') => ((await api(demo)('GET', `/v2/images${q}`)).json.images as { id: string }[]).map((i) => i.id);
    expect(await listIds()).not.toContain(id);
    expect(await listIds('?visibility=shared&member_status=pending')).toContain(id);
    expect((await owner('PUT', `/v2/images/${id}/members/${project}`, { status: 'accepted' })).status).toBe(200);
    expect((await api(demo)('PUT', `/v2/images/${id}/members/${project}`, { status: 'bogus' })).status).toBe(400);
    expect((await api(demo)('PUT', `/v2/images/${id}/members/${project}`, { status: 'accepted' })).json.status).toBe('accepted');
    expect(await listIds()).toContain(id);

    const priv = (await owner('POST', '/v2/images', { name: 'mine', visibility: 'private' })).json;
    expect((await api(demo)('GET', `/v2/images/${String(priv.id)}`)).status).toBe(404);
    expect((await api(demo)('POST', '/v2/images', { name: 'x', visibility: 'public' })).status).toBe(403);
    expect((await api(demo)('POST', '/v2/images', { name: 'x', disk_format: 'floppy' })).status).toBe(400);
  });

  it('pages with limit, marker and next links', async () => {
    const call = api(admin);
    for (let i = 0; i < 3; i++) await call('POST', '/v2/images', { name: `page-${i}`, tags: ['paged'] });
    const first = await call('GET', '/v2/images?tag=paged&limit=2&sort=name:asc');
    expect((first.json.images as { name: string }[]).map((i) => i.name)).toEqual(['page-0', 'page-1']);
    const next = String(first.json.next);
    expect(next).toMatch(/^\/v2\/images\?.*marker=/);
    const second = await call('GET', next);
    expect((second.json.images as { name: string }[]).map((i) => i.name)).toEqual(['page-2']);
    expect(second.json.next).toBeUndefined();
  });

  it('drives image create --file, set --property, save and add project through the openstack CLI', async () => {
    const env = { ...process.env, OS_CLIENT_CONFIG_FILE: kos.cloudsYaml, OS_CLOUD: 'kos' };
    const dir = kos.config.dataDir;
    const file = join(dir, 'upload.raw');
    const data = randomBytes(70_000);
    writeFileSync(file, data);
    const os = async (...args: string[]) => (await run('openstack', args, { env })).stdout;
    // The CLI prints the image as created, before its data is uploaded (as against Glance).
    await os('image', 'create', '--file', file, '--disk-format', 'raw', '--container-format', 'bare', '--shared', 'cli-image');
    await os('image', 'set', '--property', 'color=blue', 'cli-image');
    const shown = JSON.parse(await os('image', 'show', 'cli-image', '-f', 'json')) as { properties: Record<string, string>; size: number; status: string };
    expect(shown.status).toBe('active');
    expect(shown.properties.color).toBe('blue');
    expect(shown.size).toBe(70_000);
    await os('image', 'save', '--file', join(dir, 'download.raw'), 'cli-image');
    expect(readFileSync(join(dir, 'download.raw')).equals(data)).toBe(true);
    const member = JSON.parse(await os('image', 'add', 'project', 'cli-image', 'demo', '-f', 'json')) as Record<string, unknown>;
    expect(member.status).toBe('pending');
    const names = (JSON.parse(await os('image', 'list', '-f', 'json')) as { Name: string }[]).map((i) => i.Name);
    expect(names).toEqual(expect.arrayContaining(['cirros', 'cli-image']));
  }, 90_000);
});
