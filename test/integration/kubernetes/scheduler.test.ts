/**
 * The scheduler in a real cluster (controllers on, no kubelets): Node objects written
 * through the registry — a tainted control plane and three workers in az1..az3 — and
 * pods created with kubectl and client-node.
 */
import { CoreV1Api, KubeConfig, type V1Pod } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isObject, objectAt, stringAt, type KubeObject } from '../../../src/kubernetes/apiserver/object.js';
import { nodes } from '../../../src/kubernetes/apiserver/resources/nodes.js';
import { pods } from '../../../src/kubernetes/apiserver/resources/pods.js';
import { events } from '../../../src/kubernetes/apiserver/resources/events.js';
import { listObjects } from '../../../src/kubernetes/apiserver/list.js';
import { kubectlPath, runKubectl, startTestCluster, type TestCluster } from './fixture.js';

let cluster: TestCluster;
let core: CoreV1Api;

function nodeBody(name: string, zone: string, controlPlane: boolean, cpu = '4'): Record<string, unknown> {
  const now = new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
  return {
    metadata: {
      name,
      labels: {
        'kubernetes.io/hostname': name,
        'topology.kubernetes.io/zone': zone,
        ...(controlPlane ? { 'node-role.kubernetes.io/control-plane': '' } : {}),
      },
    },
    spec: controlPlane ? { taints: [{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }] } : {},
    status: {
      capacity: { cpu, memory: '16Gi', pods: '110', 'ephemeral-storage': '100Gi' },
      allocatable: { cpu, memory: '16Gi', pods: '110', 'ephemeral-storage': '100Gi' },
      conditions: [{ type: 'Ready', status: 'True', reason: 'KubeletReady', lastHeartbeatTime: now, lastTransitionTime: now }],
    },
  };
}

async function createNode(body: Record<string, unknown>): Promise<void> {
  const meta = body.metadata as { name: string };
  await cluster.registry.create(nodes, undefined, body);
  // Status is its own subresource: write allocatable and conditions through it.
  await cluster.registry.updateWith(nodes, undefined, meta.name, (cur) => ({ ...cur, status: body.status }), { subresource: 'status' });
}

async function eventually<T>(read: () => Promise<T | undefined>, what: string, timeoutMs = 10_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = await read();
    if (v !== undefined) return v;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

const nodeOf = (p: KubeObject | V1Pod): string => (p.spec as { nodeName?: string } | undefined)?.nodeName ?? '';

async function boundNode(name: string): Promise<string> {
  return eventually(async () => {
    const p = await cluster.registry.get(pods, 'default', name);
    return nodeOf(p) || undefined;
  }, `pod ${name} bound`);
}

const zoneOf: Record<string, string> = { 'kos-worker-0': 'az1', 'kos-worker-1': 'az2', 'kos-worker-2': 'az3' };

beforeAll(async () => {
  cluster = await startTestCluster();
  await createNode(nodeBody('kos-control-plane-0', 'az1', true));
  for (const [name, zone] of Object.entries(zoneOf)) await createNode(nodeBody(name, zone, false));
  const kc = new KubeConfig();
  kc.loadFromFile(cluster.kubeconfigPath);
  core = kc.makeApiClient(CoreV1Api);
}, 30_000);

afterAll(async () => {
  await cluster?.close();
});

describe('scheduler', () => {
  it('binds a pod created by kubectl run to a worker, with PodScheduled=True and a Scheduled event', async () => {
    const res = await runKubectl(kubectlPath(), cluster, ['run', 'solo', '--image=nginx', '--overrides', JSON.stringify({ spec: { nodeSelector: { 'topology.kubernetes.io/zone': 'az2' } } })]);
    expect(res.stderr).toBe('');
    expect(await boundNode('solo')).toBe('kos-worker-1');
    const pod = await core.readNamespacedPod({ name: 'solo', namespace: 'default' });
    const cond = pod.status?.conditions?.find((c) => c.type === 'PodScheduled');
    expect(cond?.status).toBe('True');
    const event = await eventually(async () => {
      const list = await listObjects(cluster.registry, events, 'default', {});
      return list.items.find((e) => e.reason === 'Scheduled' && (e.involvedObject as { name?: string }).name === 'solo');
    }, 'Scheduled event');
    expect(event.message).toBe('Successfully assigned default/solo to kos-worker-1');
    expect((event.source as { component?: string }).component).toBe('default-scheduler');
  });

  it('spreads `kubectl create deployment web --replicas=6` two per zone', async () => {
    const res = await runKubectl(kubectlPath(), cluster, ['create', 'deployment', 'web', '--image=nginx', '--replicas=6']);
    expect(res.code).toBe(0);
    const placed = await eventually(async () => {
      const list = await listObjects(cluster.registry, pods, 'default', { labelSelector: 'app=web' });
      const bound = list.items.map(nodeOf).filter((n) => n !== '');
      return bound.length === 6 ? bound : undefined;
    }, 'six web pods bound');
    const perZone: Record<string, number> = {};
    for (const n of placed) perZone[zoneOf[n] ?? n] = (perZone[zoneOf[n] ?? n] ?? 0) + 1;
    expect(perZone).toEqual({ az1: 2, az2: 2, az3: 2 });
  });

  it('honours a DoNotSchedule zone constraint and required anti-affinity', async () => {
    const spread = { maxSkew: 1, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'DoNotSchedule', labelSelector: { matchLabels: { app: 'db' } } };
    const anti = { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ topologyKey: 'kubernetes.io/hostname', labelSelector: { matchLabels: { app: 'db' } } }] } };
    for (let i = 0; i < 3; i++) {
      await cluster.registry.create(pods, 'default', {
        metadata: { name: `db-${i}`, labels: { app: 'db' } },
        spec: { containers: [{ name: 'db', image: 'postgres' }], topologySpreadConstraints: [spread], affinity: anti },
      });
    }
    const placed = await Promise.all([0, 1, 2].map((i) => boundNode(`db-${i}`)));
    expect(new Set(placed)).toEqual(new Set(['kos-worker-0', 'kos-worker-1', 'kos-worker-2']));
    // A fourth cannot go anywhere: each worker already has a db pod.
    await cluster.registry.create(pods, 'default', {
      metadata: { name: 'db-3', labels: { app: 'db' } },
      spec: { containers: [{ name: 'db', image: 'postgres' }], affinity: anti },
    });
    const message = await eventually(async () => unschedulableMessage(await cluster.registry.get(pods, 'default', 'db-3')), 'db-3 unschedulable');
    expect(message).toBe(
      "0/4 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 3 node(s) didn't match pod anti-affinity rules. preemption: 0/4 nodes are available: 1 Preemption is not helpful for scheduling, 3 No preemption victims found for incoming pod..",
    );
  });

  it('leaves a pod too big for any node Pending with the real message, then binds it when a big node joins', async () => {
    await core.createNamespacedPod({
      namespace: 'default',
      body: { metadata: { name: 'huge' }, spec: { containers: [{ name: 'c', image: 'nginx', resources: { requests: { cpu: '8' } } }] } },
    });
    const message = await eventually(async () => unschedulableMessage(await cluster.registry.get(pods, 'default', 'huge')), 'huge unschedulable');
    expect(message).toBe(
      '0/4 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 3 Insufficient cpu. preemption: 0/4 nodes are available: 1 Preemption is not helpful for scheduling, 3 No preemption victims found for incoming pod..',
    );
    const pod = await core.readNamespacedPod({ name: 'huge', namespace: 'default' });
    expect(pod.status?.phase).toBe('Pending');
    expect(pod.spec?.nodeName).toBeUndefined();
    const warning = await eventually(async () => {
      const list = await listObjects(cluster.registry, events, 'default', {});
      return list.items.find((e) => e.reason === 'FailedScheduling' && (e.involvedObject as { name?: string }).name === 'huge');
    }, 'FailedScheduling event');
    expect(warning.type).toBe('Warning');
    expect(warning.message).toBe(message);
    // A node that fits joins: the parked pod is retried at once.
    await createNode(nodeBody('kos-big-0', 'az1', false, '16'));
    expect(await boundNode('huge')).toBe('kos-big-0');
  });
});

function unschedulableMessage(pod: KubeObject): string | undefined {
  const conditions = (objectAt(pod, 'status') ?? {}).conditions;
  if (!Array.isArray(conditions)) return undefined;
  const c = conditions.find((x) => isObject(x) && x.type === 'PodScheduled' && x.status === 'False');
  return isObject(c) && stringAt(c, 'reason') === 'Unschedulable' ? stringAt(c, 'message') : undefined;
}
