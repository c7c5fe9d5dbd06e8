/**
 * Failure rehearsal end to end on a VirtualClock: three simulated workers run a
 * Deployment; one node is taken down (its kubelet stops heartbeating, as a lost hypervisor
 * would). The node controller marks it Unknown and taints it unreachable, the taint
 * manager evicts its pods once their default 300 s toleration is over, and the ReplicaSet
 * controller and the scheduler put replacements on the nodes that are left.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VirtualClock } from '../../../src/core/clock.js';
import { isObject, type KubeObject } from '../../../src/kubernetes/apiserver/object.js';
import { deployments } from '../../../src/kubernetes/apiserver/resources/deployments.js';
import { nodes } from '../../../src/kubernetes/apiserver/resources/nodes.js';
import { pods } from '../../../src/kubernetes/apiserver/resources/pods.js';
import { startTestCluster, type TestCluster } from './fixture.js';

let cluster: TestCluster;
let clock: VirtualClock;
const size = { cpu: '4', memory: '16Gi', pods: 110, ephemeralStorage: '100Gi', instanceType: 'm1.xlarge' };

beforeAll(async () => {
  clock = new VirtualClock(Math.floor(Date.now() / 1000) * 1000);
  cluster = await startTestCluster({ clock, nodes: [{ prefix: 'w', role: 'worker', count: 3, zones: ['az1', 'az2', 'az3'], ...size }] });
}, 60_000);

afterAll(async () => {
  await cluster?.close();
});

async function advanceUntil(check: () => Promise<boolean>, maxMs: number, stepMs = 1000): Promise<void> {
  for (let t = 0; t <= maxMs; t += stepMs) {
    if (await check()) return;
    await clock.advance(stepMs);
    await new Promise((r) => setTimeout(r, 5));
  }
  throw new Error('the cluster did not reach the expected state');
}

const listPods = async (): Promise<KubeObject[]> => {
  const kvs = await cluster.store.range(cluster.registry.keys.prefix(pods, 'default'), {});
  return kvs.kvs.map((kv) => cluster.registry.decode(kv)).filter((p) => p.metadata.labels?.app === 'web');
};
const nodeOf = (p: KubeObject): string => String((p.spec as Record<string, unknown> | undefined)?.nodeName ?? '');
const running = (p: KubeObject): boolean => !p.metadata.deletionTimestamp && (p.status as Record<string, unknown> | undefined)?.phase === 'Running';
const readyCondition = (n: KubeObject): string | undefined => {
  const conditions = ((n.status as Record<string, unknown> | undefined)?.conditions ?? []) as unknown[];
  const ready = conditions.find((c) => isObject(c) && c.type === 'Ready');
  return isObject(ready) ? String(ready.status) : undefined;
};

describe('a node lost', () => {
  it('is marked Unknown and tainted, and its pods are replaced on the other nodes', async () => {
    await cluster.registry.create(deployments, 'default', {
      metadata: { name: 'web' },
      spec: { replicas: 3, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'nginx' }] } } },
    });
    await advanceUntil(async () => (await listPods()).filter(running).length === 3, 30_000, 100);
    const before = await listPods();
    const victim = nodeOf(before.find(running)!);
    const onVictim = before.filter((p) => nodeOf(p) === victim).length;
    expect(onVictim).toBeGreaterThan(0);

    cluster.setNodeHealthy(victim, false);
    await advanceUntil(async () => readyCondition(await cluster.registry.get(nodes, undefined, victim)) === 'Unknown', 120_000);
    const node = await cluster.registry.get(nodes, undefined, victim);
    const taints = ((node.spec as Record<string, unknown>).taints ?? []) as { key: string; effect: string }[];
    expect(taints.map((t) => `${t.key}:${t.effect}`)).toEqual(
      expect.arrayContaining(['node.kubernetes.io/unreachable:NoSchedule', 'node.kubernetes.io/unreachable:NoExecute']),
    );

    // 300 s of default toleration later the pods are evicted and replaced elsewhere; the
    // evicted ones stay Terminating while their kubelet is unreachable, as upstream.
    await advanceUntil(async () => {
      const now = await listPods();
      return now.filter(running).length === 3 && now.filter(running).every((p) => nodeOf(p) !== victim);
    }, 400_000, 5_000);
    const after = await listPods();
    expect(after.filter((p) => nodeOf(p) === victim).every((p) => p.metadata.deletionTimestamp)).toBe(true);

    // The node comes back: Ready again, untainted, and its kubelet finishes the evictions.
    cluster.setNodeHealthy(victim, true);
    await advanceUntil(async () => readyCondition(await cluster.registry.get(nodes, undefined, victim)) === 'True', 60_000);
    await advanceUntil(async () => (await listPods()).every((p) => nodeOf(p) !== victim), 60_000);
    const healed = await cluster.registry.get(nodes, undefined, victim);
    expect(((healed.spec as Record<string, unknown>).taints ?? []) as unknown[]).toEqual([]);
  }, 120_000);
});
