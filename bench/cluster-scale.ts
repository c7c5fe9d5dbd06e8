/**
 * A cluster at scale: N simulated nodes register, then Deployments ask for P pods, and
 * the scheduler, the ReplicaSet controller and the kubelets take them to Running. Printed:
 * time until every node is Ready, time until every pod is Running, pods bound per second,
 * peak RSS, the CPU each thread spent, and the latency of API calls made while it
 * happens. Bounded by a deadline. --timeline prints the counts every second.
 *
 *   npx tsx bench/cluster-scale.ts [--nodes 1000] [--pods 30000] [--deployments 100] [--deadline 300] [--controllers thread|inline] [--timeline]
 */
import { Agent } from 'node:https';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { SystemClock } from '../src/core/clock.js';
import { silentLogger } from '../src/core/log.js';
import { openSqliteStore } from '../src/core/store/sqlite.js';
import type { Store } from '../src/core/store/types.js';
import { startKubernetesCluster } from '../src/kubernetes/apiserver/index.js';
import { Client, credentialsOf } from './kube-client.js';
import { figure, fmt, isMain, summarize, threadCpu, threadCpuDelta } from './support.js';

export interface ClusterScaleOptions {
  nodes: number;
  pods: number;
  deployments: number;
  /** Give up after this many seconds. */
  deadlineSeconds: number;
  /** Where the controllers and the scheduler run (kos up's default: thread). */
  controllers: 'thread' | 'inline';
}

const has = (value: Uint8Array, needle: Buffer): boolean => Buffer.from(value.buffer, value.byteOffset, value.byteLength).indexOf(needle) >= 0;
const RUNNING = Buffer.from('"phase":"Running"');
const BOUND = Buffer.from('"nodeName":"');
const READY = Buffer.from('"type":"Ready","status":"True"');
const POD = Buffer.from('"kind":"Pod"');

/** Keys of a prefix whose latest value contains `needle`, followed through a store watch. */
class Tally {
  readonly matching = new Set<string>();
  constructor(private readonly needle: Buffer) {}
  apply(key: string, value: Uint8Array | undefined): void {
    if (value && has(value, this.needle)) this.matching.add(key);
    else this.matching.delete(key);
  }
}

async function follow(store: Store, prefix: string, tallies: Tally[], signal: AbortSignal): Promise<void> {
  const watch = store.watch(prefix, { afterRevision: 0, maxBuffered: 10_000_000, prevKv: false });
  signal.addEventListener('abort', () => watch.close(), { once: true });
  try {
    for await (const batch of watch) {
      for (const ev of batch) {
        for (const t of tallies) t.apply(ev.kv.key, ev.type === 'delete' ? undefined : ev.kv.value);
      }
    }
  } catch {
    // Ended by close() or cut off; the figures so far stand.
  }
}

async function until(pred: () => boolean, deadline: number): Promise<boolean> {
  while (!pred()) {
    if (performance.now() > deadline) return false;
    await new Promise((r) => setTimeout(r, 50));
  }
  return true;
}

export async function benchClusterScale(opts: ClusterScaleOptions): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'kos-bench-scale-'));
  const clock = new SystemClock();
  // As `kos up` runs it: writes committed on the store's writer thread.
  const store = openSqliteStore({ path: join(dir, 'kos.db'), clock, writer: 'thread' });
  const abort = new AbortController();
  let peakRss = 0;
  const rssTimer = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 200);
  const t0 = performance.now();
  const deadline = t0 + opts.deadlineSeconds * 1000;
  const cluster = await startKubernetesCluster({
    store, clock, log: silentLogger(), dataDir: dir, name: 'scale', host: '127.0.0.1', port: 0,
    controllersThread: opts.controllers === 'thread',
    nodes: [{ prefix: 'node', role: 'worker', count: opts.nodes, zones: ['az1', 'az2', 'az3'], cpu: '32', memory: '128Gi', pods: 110, ephemeralStorage: '200Gi', instanceType: 'm1.xlarge' }],
  });
  const nodesReady = new Tally(READY);
  const running = new Tally(RUNNING);
  const bound = new Tally(BOUND);
  const created = new Tally(POD);
  const following = [
    follow(store, cluster.registry.keys.prefix(cluster.catalog.find('', 'v1', 'nodes')!), [nodesReady], abort.signal),
    follow(store, cluster.registry.keys.prefix(cluster.catalog.find('', 'v1', 'pods')!), [running, bound, created], abort.signal),
  ];
  try {
    const allNodes = await until(() => nodesReady.matching.size >= opts.nodes, deadline);
    figure(`scale: ${opts.nodes} nodes Ready`, allNodes ? `${fmt((performance.now() - t0) / 1000, 2)} s after start` : `only ${nodesReady.matching.size} by the deadline`);

    const creds = credentialsOf(cluster.kubeconfigPath);
    const agent = new Agent({ keepAlive: true, maxSockets: 16, ca: creds.ca, cert: creds.cert, key: creds.key });
    const client = new Client(new URL(cluster.url), agent);
    await client.json('POST', '/api/v1/namespaces', { metadata: { name: 'scale' } });

    // API latency while the cluster converges: a read and a write every 100 ms.
    const reads: number[] = [];
    const writes: number[] = [];
    let probing = true;
    const probe = (async () => {
      for (let i = 0; probing; i++) {
        let t = performance.now();
        await client.send('GET', '/api/v1/namespaces/scale');
        reads.push(performance.now() - t);
        t = performance.now();
        await client.send('POST', '/api/v1/namespaces/scale/configmaps', { metadata: { name: `probe-${i}` }, data: { i: String(i) } });
        writes.push(performance.now() - t);
        await new Promise((r) => setTimeout(r, 100));
      }
    })();

    const perDeployment = Math.ceil(opts.pods / opts.deployments);
    // The box may be shared: CPU time spent by this process says more than the wall clock
    // about the cost of converging, and the writes per resource say where it went.
    const cpuAtCreate = process.cpuUsage();
    const threadsAtCreate = threadCpu();
    const revAtCreate = await store.currentRevision();
    const tCreate = performance.now();
    for (let d = 0; d < opts.deployments; d++) {
      await client.json('POST', '/apis/apps/v1/namespaces/scale/deployments', {
        metadata: { name: `app-${d}` },
        spec: {
          replicas: perDeployment,
          selector: { matchLabels: { app: `app-${d}` } },
          template: { metadata: { labels: { app: `app-${d}` } }, spec: { containers: [{ name: 'main', image: 'registry.k8s.io/pause:3.9' }] } },
        },
      });
    }
    const total = perDeployment * opts.deployments;
    let allBoundAt = 0;
    let allCreatedAt = 0;
    // --timeline: the pipeline's shape, every second (created, bound, Running).
    const timeline = process.argv.includes('--timeline')
      ? setInterval(() => console.log(`  t=${fmt((performance.now() - tCreate) / 1000, 0)}s created ${created.matching.size} bound ${bound.matching.size} running ${running.matching.size}`), 1000)
      : undefined;
    const allRunning = await until(() => {
      if (!allCreatedAt && created.matching.size >= total) allCreatedAt = performance.now();
      if (!allBoundAt && bound.matching.size >= total) allBoundAt = performance.now();
      return running.matching.size >= total;
    }, deadline);
    clearInterval(timeline);
    const elapsed = (performance.now() - tCreate) / 1000;
    const cpu = process.cpuUsage(cpuAtCreate);
    const threads = threadCpuDelta(threadsAtCreate, threadCpu(), 14);
    const revAtEnd = await store.currentRevision();
    probing = false;
    await probe;
    agent.destroy();
    figure(`scale: ${total} pods Running`, allRunning ? `${fmt(elapsed, 2)} s after the first Deployment` : `only ${running.matching.size} (bound ${bound.matching.size}) after ${fmt(elapsed, 1)} s`);
    if (allCreatedAt) figure('scale: pods created per second', fmt(total / ((allCreatedAt - tCreate) / 1000), 0));
    if (allBoundAt) figure('scale: pods bound per second', fmt(total / ((allBoundAt - tCreate) / 1000), 0));
    figure('scale: peak RSS', `${fmt(peakRss / 2 ** 20, 0)} MiB`);
    const cpuSeconds = (cpu.user + cpu.system) / 1e6;
    figure('scale: CPU while converging', `${fmt(cpuSeconds, 1)} s (${fmt((cpuSeconds * 1000) / total, 2)} ms per pod; load average ${loadavg().map((l) => fmt(l, 1)).join(' ')})`);
    figure('scale: CPU by thread', threads);
    figure('scale: store writes while converging', `${revAtEnd - revAtCreate} (${fmt((revAtEnd - revAtCreate) / total, 2)} per pod)`);
    const r = summarize(reads);
    const w = summarize(writes);
    figure('scale: API GET while converging', `p50 ${fmt(r.p50, 2)} ms, p99 ${fmt(r.p99, 2)} ms (${reads.length} calls)`);
    figure('scale: API create while converging', `p50 ${fmt(w.p50, 2)} ms, p99 ${fmt(w.p99, 2)} ms (${writes.length} calls)`);
  } finally {
    clearInterval(rssTimer);
    abort.abort();
    await Promise.allSettled(following);
    await cluster.stop();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

function flag(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  const v = i >= 0 ? Number(process.argv[i + 1]) : NaN;
  return Number.isFinite(v) && v > 0 ? v : fallback;
}

if (isMain(import.meta.url)) {
  const where = process.argv[process.argv.indexOf('--controllers') + 1];
  const controllers = process.argv.includes('--controllers') && where === 'inline' ? 'inline' : 'thread';
  await benchClusterScale({ nodes: flag('nodes', 1000), pods: flag('pods', 30_000), deployments: flag('deployments', 100), deadlineSeconds: flag('deadline', 300), controllers });
}
