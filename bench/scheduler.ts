/**
 * Scheduler benchmark: 5000 nodes and pods from ReplicaSets (so default zone/host
 * spreading is in play) stored in a real SQLite store through the registry; the
 * scheduler starts on a cold cache and every pod is decided and bound through
 * pods/binding. Prints pods bound per second and the per-decision p50/p99. Figures are
 * printed, never asserted. Run: `npx tsx bench/scheduler.ts [nodes] [pods]`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SystemClock } from '../src/core/clock.js';
import { silentLogger } from '../src/core/log.js';
import { Manager } from '../src/core/reconcile/index.js';
import { openSqliteStore } from '../src/core/store/sqlite.js';
import { ResourceCatalog } from '../src/kubernetes/apiserver/catalog.js';
import { Registry } from '../src/kubernetes/apiserver/registry.js';
import { builtinResources } from '../src/kubernetes/apiserver/resources/index.js';
import { namespaces } from '../src/kubernetes/apiserver/resources/namespaces.js';
import { nodes } from '../src/kubernetes/apiserver/resources/nodes.js';
import { bindPod } from '../src/kubernetes/apiserver/resources/pod-subresources.js';
import { pods } from '../src/kubernetes/apiserver/resources/pods.js';
import { replicasets } from '../src/kubernetes/apiserver/resources/replicasets.js';
import { EventRecorder } from '../src/kubernetes/controllers/events.js';
import { SharedInformers } from '../src/kubernetes/controllers/shared-informers.js';
import { addScheduler } from '../src/kubernetes/scheduler/index.js';
import { figure, fmt, isMain, summarize } from './support.js';

export interface SchedulerBenchResult {
  nodes: number;
  pods: number;
  podsPerSec: number;
  decisionP50Ms: number;
  decisionP99Ms: number;
  /** Decisions per second of scheduler time alone (filter, score, assume; no store writes). */
  decisionsPerSec: number;
  /** The same store's ceiling: bindPod alone, one pod after another, no scheduler. */
  bindPodPerSec: number;
  rssMiB: number;
}

export async function runSchedulerBench(nodeCount = 5000, podCount = 20_000, replicaSets = 100): Promise<SchedulerBenchResult> {
  const dir = mkdtempSync(join(tmpdir(), 'kos-bench-sched-'));
  const clock = new SystemClock();
  const store = openSqliteStore({ path: join(dir, 'kos.db'), clock, writer: 'thread' });
  try {
    const registry = new Registry({ store, clock, cluster: 'bench', namespaces });
    await registry.create(namespaces, undefined, { metadata: { name: 'default' } });
    const zones = ['az1', 'az2', 'az3'];
    for (let i = 0; i < nodeCount; i++) {
      const name = `node-${i}`;
      await registry.create(nodes, undefined, { metadata: { name, labels: { 'kubernetes.io/hostname': name, 'topology.kubernetes.io/zone': zones[i % 3]! } } });
      const resources = { cpu: '32', memory: '128Gi', pods: '110', 'ephemeral-storage': '500Gi' };
      await registry.updateWith(nodes, undefined, name, (cur) => ({ ...cur, status: { capacity: resources, allocatable: resources } }), { subresource: 'status' });
    }
    const perSet = Math.ceil(podCount / replicaSets);
    let created = 0;
    for (let r = 0; r < replicaSets && created < podCount; r++) {
      const labels = { app: `app-${r}`, 'pod-template-hash': `h${r}` };
      const rs = await registry.create(replicasets, 'default', {
        metadata: { name: `app-${r}` },
        spec: { replicas: perSet, selector: { matchLabels: labels }, template: { metadata: { labels }, spec: { containers: [{ name: 'c', image: 'nginx' }] } } },
      });
      const owner = { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: `app-${r}`, uid: rs.metadata.uid!, controller: true };
      for (let i = 0; i < perSet && created < podCount; i++, created++) {
        await registry.create(pods, 'default', {
          metadata: { name: `app-${r}-${i}`, labels, ownerReferences: [owner] },
          spec: { containers: [{ name: 'c', image: 'nginx', resources: { requests: { cpu: '100m', memory: '128Mi' } } }] },
        });
      }
    }

    const log = silentLogger();
    const manager = new Manager({ clock, logger: log });
    const informers = new SharedInformers(registry, clock, log);
    const catalog = new ResourceCatalog(builtinResources);
    const scheduler = addScheduler(manager, { cluster: 'bench', registry, catalog, clock, log, informers, events: new EventRecorder(registry, clock, log) });
    informers.addTo(manager);
    const decisions: number[] = [];
    scheduler.onDecision = (ms) => decisions.push(ms);
    await manager.start();
    // Time from a synced cache with every pod pending until the last binding is written.
    const start = performance.now();
    while (scheduler.bound < podCount) {
      await new Promise((r) => setTimeout(r, 10));
      if (performance.now() - start > 300_000) throw new Error(`only ${scheduler.bound} of ${podCount} pods bound`);
    }
    const seconds = (performance.now() - start) / 1000;
    await manager.stop();
    // The store's own ceiling for what the scheduler must write per pod.
    const baseline = Math.min(2000, podCount);
    for (let i = 0; i < baseline; i++) await registry.create(pods, 'default', { metadata: { name: `baseline-${i}` }, spec: { containers: [{ name: 'c', image: 'nginx' }] } });
    const bindStart = performance.now();
    for (let i = 0; i < baseline; i++) await bindPod(registry, 'default', `baseline-${i}`, { target: { kind: 'Node', name: 'node-0' } }, false);
    const bindPodPerSec = baseline / ((performance.now() - bindStart) / 1000);
    const s = summarize(decisions);
    return {
      nodes: nodeCount,
      pods: podCount,
      podsPerSec: podCount / seconds,
      decisionP50Ms: s.p50,
      decisionP99Ms: s.p99,
      bindPodPerSec,
      decisionsPerSec: decisions.length / (decisions.reduce((a, b) => a + b, 0) / 1000),
      rssMiB: process.memoryUsage().rss / 2 ** 20,
    };
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function benchScheduler(nodeCount = 5000, podCount = 20_000): Promise<void> {
  const r = await runSchedulerBench(nodeCount, podCount);
  figure(`scheduler: ${r.nodes} nodes, ${r.pods} pods bound`, `${fmt(r.podsPerSec, 0)} pods/s`);
  figure('scheduler: decision p50 / p99', `${fmt(r.decisionP50Ms, 3)} / ${fmt(r.decisionP99Ms, 3)} ms`);
  figure('scheduler: decisions/s (scheduler CPU alone)', fmt(r.decisionsPerSec, 0));
  figure('store ceiling: bindPod alone, sequential', `${fmt(r.bindPodPerSec, 0)} pods/s`);
  figure('scheduler: RSS', `${fmt(r.rssMiB, 0)} MiB`);
}

if (isMain(import.meta.url)) await benchScheduler(Number(process.argv[2] ?? 5000), Number(process.argv[3] ?? 20_000));
