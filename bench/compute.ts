/**
 * Nova at fleet scale: a kos with N simulated hypervisors (default 1000, over three zones)
 * boots S servers (default 1000) through the HTTP API, C at a time (default 16), each
 * client polling its server until ACTIVE. Printed: create→ACTIVE server-side (the create
 * action's event, start to finish, as os-instance-actions reports it) and end to end (POST
 * sent to ACTIVE seen by the client), p50/p99, and servers per second. Asserts nothing.
 *
 *   npx tsx bench/compute.ts [--hypervisors 1000] [--servers 1000] [--concurrency 16]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { startKos } from '../src/cli/start.js';
import { figure, fmt, freePort, isMain, summarize } from './support.js';

type Json = Record<string, unknown>;
const CIRROS = '0d5b8f8e-c1a5-4f3e-9d5e-c1440c1a0001';

export async function benchCompute(opts: { hypervisors: number; servers: number; concurrency: number }): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'kos-bench-compute-'));
  const perZone = Math.ceil(opts.hypervisors / 3);
  const zones = ['az1', 'az2', 'az3'].map((name, i) => ({
    name, hypervisors: [{ count: Math.max(0, Math.min(perZone, opts.hypervisors - i * perZone)), vcpus: 64, memoryMiB: 256 * 1024, diskGiB: 4096 }],
  }));
  const kos = await startKos({
    dataDir: dir, host: '127.0.0.1', port: await freePort(), kubernetesPort: 0, logLevel: 'silent', adminPassword: 'bench-secret',
    overrides: { identity: { passwordHashCost: 10 }, datacenter: { regions: [{ name: 'RegionOne', zones }] } },
  });
  try {
    const auth = await fetch(`${kos.authUrl}/auth/tokens`, {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ auth: { identity: { methods: ['password'], password: { user: { name: 'admin', domain: { id: 'default' }, password: 'bench-secret' } } }, scope: { project: { name: 'admin', domain: { id: 'default' } } } } }),
    });
    const token = auth.headers.get('x-subject-token')!;
    const project = (((await auth.json()) as Json).token as { project: { id: string } }).project.id;
    const call = async (method: string, path: string, body?: unknown): Promise<Json> => {
      const r = await fetch(`${kos.url}/compute/v2.1${path}`, {
        method, headers: { 'x-auth-token': token, 'content-type': 'application/json', 'openstack-api-version': 'compute 2.74' },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      const text = await r.text();
      if (r.status >= 400) throw new Error(`${method} ${path}: ${r.status} ${text}`);
      return text ? (JSON.parse(text) as Json) : {};
    };
    await call('PUT', `/os-quota-sets/${project}`, { quota_set: { instances: -1, cores: -1, ram: -1 } });

    const endToEnd: number[] = [];
    const ids: string[] = [];
    let next = 0;
    const started = performance.now();
    const worker = async () => {
      while (next < opts.servers) {
        const n = next++;
        const t0 = performance.now();
        const created = await call('POST', '/servers', { server: { name: `bench-${n}`, flavorRef: '1', imageRef: CIRROS, networks: 'none' } });
        const id = (created.server as Json).id as string;
        for (;;) {
          const s = (await call('GET', `/servers/${id}`)).server as Json;
          if (s.status === 'ACTIVE') break;
          if (s.status === 'ERROR') throw new Error(`server ${id} went to ERROR: ${JSON.stringify(s.fault)}`);
          await new Promise((r) => setTimeout(r, 2));
        }
        endToEnd.push(performance.now() - t0);
        ids.push(id);
      }
    };
    await Promise.all(Array.from({ length: opts.concurrency }, worker));
    const wall = (performance.now() - started) / 1000;

    const serverSide: number[] = [];
    for (const id of ids) {
      const actions = (await call('GET', `/servers/${id}/os-instance-actions`)).instanceActions as Json[];
      const create = actions.find((a) => a.action === 'create')!;
      const detail = (await call('GET', `/servers/${id}/os-instance-actions/${String(create.request_id)}`)).instanceAction as Json;
      const ev = (detail.events as Json[])[0]!;
      serverSide.push(Date.parse(`${String(ev.finish_time)}Z`) - Date.parse(`${String(ev.start_time)}Z`));
    }
    const hosts = new Set(((await call('GET', '/servers/detail?limit=2000')).servers as Json[]).map((s) => s['OS-EXT-SRV-ATTR:host']));
    const e = summarize(endToEnd);
    const s = summarize(serverSide);
    figure(`hypervisors / servers / concurrency`, `${opts.hypervisors} / ${opts.servers} / ${opts.concurrency}`);
    figure('create→ACTIVE server-side p50 / p99 (ms)', `${fmt(s.p50)} / ${fmt(s.p99)}`);
    figure('create→ACTIVE end to end p50 / p99 (ms)', `${fmt(e.p50)} / ${fmt(e.p99)}`);
    figure('servers ACTIVE per second', fmt(opts.servers / wall));
    figure('distinct hypervisors used', String(hosts.size));
  } finally {
    await kos.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (isMain(import.meta.url)) {
  const { values } = parseArgs({ options: { hypervisors: { type: 'string' }, servers: { type: 'string' }, concurrency: { type: 'string' } } });
  await benchCompute({
    hypervisors: Number(values.hypervisors ?? 1000), servers: Number(values.servers ?? 1000), concurrency: Number(values.concurrency ?? 16),
  });
}
