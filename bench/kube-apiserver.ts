/**
 * The Kubernetes API server under load, in-process on a temp SQLite store, driven over
 * HTTPS with the admin client certificate from its kubeconfig (Node's https, keep-alive):
 * 10k configmap creates, a 10k-pod list as Table (whole and in pages of 500), 100
 * watchers receiving 1k changes, and configmap updates. Targets of issue 3 are printed
 * next to the figures; nothing is asserted.
 */
import { Agent } from 'node:https';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SystemClock } from '../src/core/clock.js';
import { silentLogger } from '../src/core/log.js';
import { openSqliteStore } from '../src/core/store/sqlite.js';
import { startKubernetesCluster } from '../src/kubernetes/apiserver/index.js';
import { Client, credentialsOf, timedCalls } from './kube-client.js';
import { figure, fmt, isMain, summarize } from './support.js';

const TABLE = 'application/json;as=Table;v=v1;g=meta.k8s.io';

const ms = (samples: number[]): string => {
  const s = summarize(samples);
  return `p50 ${fmt(s.p50, 2)} ms, p99 ${fmt(s.p99, 2)} ms`;
};

const metadataOf = (o: Record<string, unknown>): Record<string, unknown> => (o.metadata ?? {}) as Record<string, unknown>;

async function benchCreates(client: Client, n: number): Promise<void> {
  await client.json('POST', '/api/v1/namespaces', { metadata: { name: 'bench-cm' } });
  const t0 = performance.now();
  const lat = await timedCalls(n, 8, (i) =>
    client.json('POST', '/api/v1/namespaces/bench-cm/configmaps', { metadata: { name: `cm-${i}` }, data: { index: String(i) } }),
  );
  const secs = (performance.now() - t0) / 1000;
  figure(`kube: ${n} configmap creates (8 in flight)`, `${fmt(n / secs, 0)} creates/s, ${ms(lat)}`);
}

async function benchTableList(client: Client, cluster: Awaited<ReturnType<typeof startKubernetesCluster>>, n: number): Promise<void> {
  await client.json('POST', '/api/v1/namespaces', { metadata: { name: 'bench-pods' } });
  const pods = cluster.catalog.find('', 'v1', 'pods');
  if (!pods) throw new Error('no pods resource');
  // Seeded through the registry: the list is measured here, the creates above.
  for (let i = 0; i < n; i++) {
    await cluster.registry.create(pods, 'bench-pods', {
      metadata: { name: `pod-${i}`, labels: { app: 'bench' } },
      spec: { containers: [{ name: 'main', image: 'registry.k8s.io/pause:3.9' }] },
    });
  }
  const full: number[] = [];
  let rows = 0;
  for (let r = 0; r < 3; r++) {
    const t0 = performance.now();
    const table = await client.json('GET', '/api/v1/namespaces/bench-pods/pods', undefined, TABLE);
    full.push(performance.now() - t0);
    rows = Array.isArray(table.rows) ? table.rows.length : 0;
  }
  figure(`kube: list ${n} pods as Table (${rows} rows, ×3)`, `${ms(full)} (target ≤ 500)`);

  const paged: number[] = [];
  let pages = 0;
  for (let r = 0; r < 3; r++) {
    const t0 = performance.now();
    let cont = '';
    pages = 0;
    do {
      const q = `limit=500${cont ? `&continue=${encodeURIComponent(cont)}` : ''}`;
      const table = await client.json('GET', `/api/v1/namespaces/bench-pods/pods?${q}`, undefined, TABLE);
      pages++;
      const c = metadataOf(table).continue;
      cont = typeof c === 'string' ? c : '';
    } while (cont);
    paged.push(performance.now() - t0);
  }
  figure(`kube: same list, limit=500 (${pages} pages, ×3)`, `${ms(paged)} for all pages`);
}

async function benchWatchers(client: Client, watchers: number, changes: number): Promise<void> {
  await client.json('POST', '/api/v1/namespaces', { metadata: { name: 'bench-watch' } });
  const list = await client.json('GET', '/api/v1/namespaces/bench-watch/configmaps');
  const rv = String(metadataOf(list).resourceVersion ?? '');
  const sentAt: number[] = [];
  const latencies: number[] = [];
  let lastDelivery = 0;
  const streams = await Promise.all(
    Array.from({ length: watchers }, () => client.stream(`/api/v1/namespaces/bench-watch/configmaps?watch=1&resourceVersion=${rv}`)),
  );
  const done = streams.map(
    (res) =>
      new Promise<void>((resolve, reject) => {
        let seen = 0;
        let buffered = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          const now = performance.now();
          buffered += chunk;
          let nl: number;
          while ((nl = buffered.indexOf('\n')) >= 0) {
            const line = buffered.slice(0, nl);
            buffered = buffered.slice(nl + 1);
            const event = JSON.parse(line) as { type: string; object: { data?: { seq?: string } } };
            const seq = Number(event.object.data?.seq);
            const sent = sentAt[seq];
            if (event.type !== 'ADDED' || sent === undefined) continue;
            latencies.push(now - sent);
            lastDelivery = Math.max(lastDelivery, now);
            if (++seen === changes) {
              res.destroy();
              resolve();
            }
          }
        });
        res.on('error', reject);
      }),
  );
  const t0 = performance.now();
  for (let i = 0; i < changes; i++) {
    sentAt[i] = performance.now();
    await client.json('POST', '/api/v1/namespaces/bench-watch/configmaps', { metadata: { name: `w-${i}` }, data: { seq: String(i) } });
  }
  await Promise.all(done);
  figure(`kube: ${watchers} watchers × ${changes} changes`, `delivery ${ms(latencies)}, total ${fmt(lastDelivery - t0, 0)} ms`);
}

async function benchUpdates(client: Client, n: number): Promise<void> {
  const path = '/api/v1/namespaces/bench-cm/configmaps/cm-0';
  let current = await client.json('GET', path);
  const lat = await timedCalls(n, 1, async (i) => {
    current = await client.json('PUT', path, { ...current, data: { index: '0', round: String(i) } });
  });
  figure(`kube: ${n} configmap updates (PUT, one at a time)`, `${ms(lat)} (target p99 ≤ 25)`);
}

export async function benchKubeApiserver(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'kos-bench-kube-'));
  const clock = new SystemClock();
  const store = openSqliteStore({ path: join(dataDir, 'kos.db'), clock });
  // The API server alone: no controllers acting on the seeded pods.
  const cluster = await startKubernetesCluster({ store, clock, log: silentLogger(), dataDir, name: 'default', host: '127.0.0.1', port: 0, controllers: false });
  const creds = credentialsOf(cluster.kubeconfigPath);
  const agent = new Agent({ keepAlive: true, maxSockets: Infinity, ...creds });
  const client = new Client(new URL(cluster.url), agent);
  try {
    await benchCreates(client, 10_000);
    await benchUpdates(client, 1_000);
    await benchTableList(client, cluster, 10_000);
    await benchWatchers(client, 100, 1_000);
  } finally {
    agent.destroy();
    await cluster.stop();
    await store.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

if (isMain(import.meta.url)) await benchKubeApiserver();
