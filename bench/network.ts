/**
 * Neutron benchmark. Over HTTP against an in-process kos (the client shares the server's
 * process and cores): 10 000 ports created in one network (8 in flight), then listed with
 * filters. In-process through the service layer (NetworkCore, no HTTP): the same 10 000
 * port creations, and raw IPAM allocation as a subnet fills, first 1000 addresses against
 * the last 1000. Figures are printed, never asserted.
 * Run: `npx tsx bench/network.ts` (or `npm run bench -- network`).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startKos } from '../src/cli/start.js';
import { SystemClock } from '../src/core/clock.js';
import { defaultConfig } from '../src/core/config.js';
import { openSqliteStore } from '../src/core/store/sqlite.js';
import { Ipam } from '../src/openstack/network/ipam-registry.js';
import { buildNetworkCore, systemCtx } from '../src/openstack/network/index.js';
import type { Subnet } from '../src/openstack/network/model.js';
import { figure, fmt, freePort, isMain, summarize } from './support.js';

const PORTS = 10_000;
const IN_FLIGHT = 8;
type Json = Record<string, unknown>;

const elapsedMs = (t0: number): number => performance.now() - t0;

function reportRate(name: string, lat: number[], wallMs: number): void {
  const s = summarize(lat);
  figure(name, `${fmt((lat.length / wallMs) * 1000, 0)} ports/s, p50 ${fmt(s.p50, 2)} ms, p99 ${fmt(s.p99, 2)} ms`);
}

/** Run `n` calls with at most `width` in flight; per-call latencies in ms. */
async function pool(n: number, width: number, call: (i: number) => Promise<void>): Promise<number[]> {
  const lat: number[] = new Array<number>(n);
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < n; i = next++) {
      const t0 = performance.now();
      await call(i);
      lat[i] = elapsedMs(t0);
    }
  };
  await Promise.all(Array.from({ length: width }, worker));
  return lat;
}

async function overHttp(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'kos-bench-net-'));
  const kos = await startKos({ dataDir: dir, host: '127.0.0.1', port: await freePort(), logLevel: 'silent', adminPassword: 'bench-secret' });
  try {
    const issued = await fetch(`${kos.authUrl}/auth/tokens`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ auth: {
        identity: { methods: ['password'], password: { user: { name: 'admin', domain: { id: 'default' }, password: 'bench-secret' } } },
        scope: { project: { name: 'admin', domain: { id: 'default' } } },
      } }),
    });
    const token = issued.headers.get('x-subject-token')!;
    const projectId = ((await issued.json()) as { token: { project: { id: string } } }).token.project.id;
    const api = `${kos.url}/network/v2.0`;
    const call = async (method: string, path: string, body?: Json): Promise<Json> => {
      const res = await fetch(`${api}${path}`, {
        method, headers: { 'x-auth-token': token, 'content-type': 'application/json' }, body: body ? JSON.stringify(body) : undefined,
      });
      if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
      return (await res.json()) as Json;
    };
    await call('PUT', `/quotas/${projectId}`, { quota: { port: -1 } });
    const net = (await call('POST', '/networks', { network: { name: 'bench' } })).network as Json;
    await call('POST', '/subnets', { subnet: { network_id: net.id, ip_version: 4, cidr: '10.200.0.0/18' } });

    const t0 = performance.now();
    const lat = await pool(PORTS, IN_FLIGHT, async (i) => {
      await call('POST', '/ports', { port: { network_id: net.id, name: `port-${i}`, device_owner: i % 10 === 0 ? 'compute:bench' : '', device_id: `dev-${i % 100}` } });
    });
    reportRate(`network: HTTP port create x${PORTS}, ${IN_FLIGHT} in flight`, lat, elapsedMs(t0));

    const listings: [string, string][] = [
      ['all 10 000 of the network', `/ports?network_id=${String(net.id)}`],
      ['all, fields=id,mac_address', `/ports?network_id=${String(net.id)}&fields=id&fields=mac_address`],
      ['device_owner=compute:bench (1 000)', `/ports?device_owner=compute:bench`],
      ['device_id=dev-7 (100)', `/ports?device_id=dev-7`],
      ['name=port-5000 (1)', `/ports?name=port-5000`],
      ['fixed_ips=ip_address=10.200.20.7 (1)', `/ports?fixed_ips=ip_address%3D10.200.20.7`],
      ['limit=100, sorted by name', `/ports?network_id=${String(net.id)}&limit=100&sort_key=name&sort_dir=asc`],
    ];
    for (const [what, path] of listings) {
      const runs = what.startsWith('all') ? 10 : 30;
      const samples: number[] = [];
      let count = 0;
      for (let r = 0; r < runs; r++) {
        const t = performance.now();
        count = ((await call('GET', path)).ports as unknown[]).length;
        samples.push(elapsedMs(t));
      }
      const s = summarize(samples);
      figure(`network: HTTP list ${what}`, `${count} ports, p50 ${fmt(s.p50, 1)} ms, p99 ${fmt(s.p99, 1)} ms`);
    }
  } finally {
    await kos.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function inProcess(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'kos-bench-net-core-'));
  const clock = new SystemClock();
  const store = openSqliteStore({ path: join(dir, 'kos.db'), clock });
  try {
    const core = await buildNetworkCore(store, clock, defaultConfig({}));
    const ctx = systemCtx('bench0000000000000000000000000000');
    await core.repo.quotas.create({ id: ctx.projectId, limits: { port: -1 } });
    const net = await core.res.networks.create({ name: 'bench' }, ctx);
    // Exactly 10 000 addresses in the pool: the last port takes the last address.
    await core.res.subnets.create({ network_id: net.id, ip_version: 4, cidr: '10.200.0.0/18', allocation_pools: [{ start: '10.200.0.10', end: '10.200.39.25' }] }, ctx);
    const t0 = performance.now();
    const lat = await pool(PORTS, IN_FLIGHT, async (i) => {
      await core.res.ports.create({ network_id: net.id, name: `port-${i}` }, ctx);
    });
    reportRate(`network: service-layer port create x${PORTS}`, lat, elapsedMs(t0));
    const first = summarize(lat.slice(0, 1000));
    const last = summarize(lat.slice(-1000));
    figure('network: port create, first 1000 of the pool', `p50 ${fmt(first.p50, 2)} ms, p99 ${fmt(first.p99, 2)} ms`);
    figure('network: port create, last 1000 (pool full at end)', `p50 ${fmt(last.p50, 2)} ms, p99 ${fmt(last.p99, 2)} ms`);
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** IPAM alone: a /16 filled to the last address, with every 7th address taken explicitly first (fragmented pool). */
function ipamFill(): void {
  const ipam = new Ipam();
  const subnet = { id: 's', cidr: '10.0.0.0/16', allocation_pools: [{ start: '10.0.0.2', end: '10.0.255.254' }] } as Subnet;
  ipam.setSubnet(subnet, []);
  const size = 65_533;
  for (let i = 0; i < size; i += 7) ipam.take('s', `10.0.${Math.floor((i + 2) / 256)}.${(i + 2) % 256}`);
  const lat: number[] = [];
  for (;;) {
    const t = performance.now();
    const ip = ipam.takeNext('s');
    lat.push((performance.now() - t) * 1000);
    if (ip === undefined) break;
  }
  lat.pop();
  const first = summarize(lat.slice(0, 1000));
  const last = summarize(lat.slice(-1000));
  figure(`network: IPAM takeNext, /16 (${lat.length} allocations)`, `first 1000 p50 ${fmt(first.p50, 2)} µs p99 ${fmt(first.p99, 2)} µs`);
  figure('network: IPAM takeNext, last 1000 before full', `p50 ${fmt(last.p50, 2)} µs p99 ${fmt(last.p99, 2)} µs`);
}

export async function benchNetwork(): Promise<void> {
  ipamFill();
  await inProcess();
  await overHttp();
}

if (isMain(import.meta.url)) await benchNetwork();
