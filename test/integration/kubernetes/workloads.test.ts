/**
 * The workload controllers against a real cluster with kubectl 1.33 and client-node: a
 * Deployment created, scaled, updated, rolled back and restarted with `rollout status`
 * returning each time; a client-node informer seeing the ReplicaSets' sizes move in
 * order; a StatefulSet creating its PVCs; a DaemonSet across Node objects. No kubelets
 * run: a small loop plays the kubelet by marking pods Running and Ready.
 */
import { AppsV1Api, KubeConfig, makeInformer, type V1ReplicaSet } from '@kubernetes/client-node';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clone } from '../../../src/kubernetes/apiserver/object.js';
import { nodes } from '../../../src/kubernetes/apiserver/resources/nodes.js';
import { pods } from '../../../src/kubernetes/apiserver/resources/pods.js';
import { rfc3339 } from '../../../src/kubernetes/apiserver/time.js';
import { kubectlPath, runKubectl, startTestCluster, type KubectlResult, type TestCluster } from './fixture.js';

let cluster: TestCluster;
let kubectlBin: string;
let playing = true;
let kubelet: Promise<void>;

/** Mark every active pod Running and Ready, as a kubelet would once its containers start. */
async function playKubelet(): Promise<void> {
  while (playing) {
    const { kvs } = await cluster.registry.store.range(cluster.registry.keys.prefix(pods));
    for (const kv of kvs) {
      const pod = cluster.registry.decode(kv);
      const status = (pod.status ?? {}) as { phase?: string };
      if (pod.metadata.deletionTimestamp || status.phase === 'Running') continue;
      await cluster.registry
        .updateWith(
          pods,
          pod.metadata.namespace,
          pod.metadata.name ?? '',
          (cur) => {
            const next = clone(cur);
            next.status = { phase: 'Running', conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: rfc3339(Date.now()) }] };
            return next;
          },
          { subresource: 'status' },
        )
        .catch(() => undefined);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}

beforeAll(async () => {
  kubectlBin = kubectlPath();
  cluster = await startTestCluster();
  kubelet = playKubelet();
});

afterAll(async () => {
  playing = false;
  await kubelet;
  await cluster?.close();
});

const kubectl = (...args: string[]): Promise<KubectlResult> => runKubectl(kubectlBin, cluster, args);

async function ok(...args: string[]): Promise<string> {
  const r = await kubectl(...args);
  expect(r, `kubectl ${args.join(' ')}: ${r.stderr}`).toMatchObject({ code: 0 });
  return r.stdout;
}

async function rolledOut(target: string): Promise<void> {
  const out = await ok('rollout', 'status', target, '--timeout=20s');
  expect(out).toMatch(/successfully rolled out|partitioned roll out complete/);
}

async function waitFor(check: () => Promise<boolean>, what: string): Promise<void> {
  for (let i = 0; i < 100; i++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe('Deployment through kubectl 1.33', () => {
  it('creates, scales, updates, rolls back and restarts; an informer sees the ReplicaSets move in order', async () => {
    const kc = new KubeConfig();
    kc.loadFromFile(cluster.kubeconfigPath);
    const apps = kc.makeApiClient(AppsV1Api);
    const informer = makeInformer<V1ReplicaSet>(kc, '/apis/apps/v1/namespaces/default/replicasets', () => apps.listNamespacedReplicaSet({ namespace: 'default' }));
    const seen: { name: string; replicas: number; rv: number }[] = [];
    const record = (rs: V1ReplicaSet): void => {
      seen.push({ name: rs.metadata?.name ?? '', replicas: rs.spec?.replicas ?? 0, rv: Number(rs.metadata?.resourceVersion) });
    };
    informer.on('add', record);
    informer.on('update', record);
    await informer.start();
    try {
      await ok('create', 'deployment', 'web', '--image=nginx:1.25', '--replicas=3');
      await rolledOut('deployment/web');
      expect(await ok('get', 'deployment', 'web', '-o', 'jsonpath={.status.readyReplicas}/{.status.updatedReplicas}/{.status.availableReplicas}')).toBe('3/3/3');

      await ok('scale', 'deployment', 'web', '--replicas=5');
      await rolledOut('deployment/web');
      expect((await ok('get', 'pods', '-l', 'app=web', '-o', 'name')).trim().split('\n')).toHaveLength(5);

      const firstRS = (await ok('get', 'rs', '-l', 'app=web', '-o', 'jsonpath={.items[0].metadata.name}')).trim();
      await ok('set', 'image', 'deployment/web', 'nginx=nginx:1.26');
      await rolledOut('deployment/web');
      const secondRS = (await ok('get', 'deployment', 'web', '-o', 'jsonpath={.metadata.annotations.deployment\\.kubernetes\\.io/revision}')).trim();
      expect(secondRS).toBe('2');

      // The informer saw the new ReplicaSet only grow and the old one only shrink, in resourceVersion order.
      await waitFor(async () => seen.some((e) => e.name === firstRS && e.replicas === 0), 'the old ReplicaSet at 0');
      const newName = seen.find((e) => e.name !== firstRS)?.name ?? '';
      const sizes = (name: string): number[] => seen.filter((e) => e.name === name).map((e) => e.replicas);
      const isSorted = (xs: number[], dir: 1 | -1): boolean => xs.every((x, i) => i === 0 || (x - xs[i - 1]!) * dir >= 0);
      expect(isSorted(seen.map((e) => e.rv), 1)).toBe(true);
      expect(sizes(newName).at(-1)).toBe(5);
      expect(isSorted(sizes(newName), 1)).toBe(true);
      const oldDuringRollout = sizes(firstRS).slice(sizes(firstRS).indexOf(5));
      expect(isSorted(oldDuringRollout, -1), `old ReplicaSet sizes seen: ${JSON.stringify(sizes(firstRS))}`).toBe(true);
      expect(oldDuringRollout.at(-1)).toBe(0);
      // More than one step: a rolling update, not a swap.
      expect(new Set(sizes(newName)).size).toBeGreaterThan(2);

      const history = await ok('rollout', 'history', 'deployment/web');
      expect(history).toMatch(/REVISION\s+CHANGE-CAUSE\n1\s+<none>\n2\s+<none>/);

      await ok('rollout', 'undo', 'deployment/web');
      await rolledOut('deployment/web');
      expect(await ok('get', 'deployment', 'web', '-o', 'jsonpath={.spec.template.spec.containers[0].image}')).toBe('nginx:1.25');
      expect(await ok('get', 'rs', firstRS, '-o', 'jsonpath={.metadata.annotations.deployment\\.kubernetes\\.io/revision}/{.spec.replicas}')).toBe('3/5');
      expect(await ok('rollout', 'history', 'deployment/web')).toMatch(/\n2\s+<none>\n3\s+<none>/);

      await ok('rollout', 'restart', 'deployment/web');
      await rolledOut('deployment/web');
      expect((await ok('get', 'rs', '-l', 'app=web', '-o', 'name')).trim().split('\n')).toHaveLength(3);
      const events = await ok('get', 'events', '--field-selector', 'involvedObject.name=web', '-o', 'jsonpath={range .items[*]}{.reason}: {.message}{"\\n"}{end}');
      expect(events).toMatch(/ScalingReplicaSet: Scaled up replica set web-\w+ from 0 to 3/);
    } finally {
      await informer.stop();
    }
  });
});

describe('StatefulSet and DaemonSet through kubectl 1.33', () => {
  it('a StatefulSet creates its ordinals and one PVC per claim template (Pending: no storage yet)', async () => {
    const file = join(cluster.dataDir, 'sts.json');
    writeFileSync(
      file,
      JSON.stringify({
        apiVersion: 'apps/v1',
        kind: 'StatefulSet',
        metadata: { name: 'db' },
        spec: {
          replicas: 2,
          serviceName: 'db',
          selector: { matchLabels: { app: 'db' } },
          template: { metadata: { labels: { app: 'db' } }, spec: { containers: [{ name: 'pg', image: 'postgres:16', volumeMounts: [{ name: 'data', mountPath: '/var/lib/postgresql' }] }] } },
          volumeClaimTemplates: [{ metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } }],
        },
      }),
    );
    await ok('create', '-f', file);
    await rolledOut('statefulset/db');
    expect(await ok('get', 'pods', '-l', 'app=db', '-o', 'jsonpath={.items[*].metadata.name}')).toBe('db-0 db-1');
    expect(await ok('get', 'pvc', '-o', 'jsonpath={range .items[*]}{.metadata.name}={.status.phase} {end}')).toBe('data-db-0=Pending data-db-1=Pending ');
    expect(await ok('get', 'controllerrevisions', '-l', 'app=db', '-o', 'jsonpath={.items[0].revision}')).toBe('1');
  });

  it('a DaemonSet runs one pod per schedulable node', async () => {
    const node = (name: string, taints: unknown[] = []): unknown => ({ apiVersion: 'v1', kind: 'Node', metadata: { name, labels: { 'kubernetes.io/hostname': name } }, spec: { taints } });
    await cluster.registry.create(nodes, undefined, node('ds-cp', [{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }]));
    await cluster.registry.create(nodes, undefined, node('ds-w1'));
    await cluster.registry.create(nodes, undefined, node('ds-w2'));
    const file = join(cluster.dataDir, 'ds.json');
    writeFileSync(
      file,
      JSON.stringify({
        apiVersion: 'apps/v1',
        kind: 'DaemonSet',
        metadata: { name: 'agent' },
        spec: { selector: { matchLabels: { app: 'agent' } }, template: { metadata: { labels: { app: 'agent' } }, spec: { containers: [{ name: 'a', image: 'agent:1' }] } } },
      }),
    );
    await ok('create', '-f', file);
    await rolledOut('daemonset/agent');
    const pinned = await ok('get', 'pods', '-l', 'app=agent', '-o', 'jsonpath={range .items[*]}{.spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchFields[0].values[0]}{" "}{end}');
    expect(pinned.trim().split(' ').sort()).toEqual(['ds-w1', 'ds-w2']);
    expect(await ok('get', 'ds', 'agent', '-o', 'jsonpath={.status.desiredNumberScheduled}/{.status.numberReady}/{.status.updatedNumberScheduled}')).toBe('2/2/2');
    await ok('set', 'image', 'daemonset/agent', 'a=agent:2');
    await rolledOut('daemonset/agent');
    expect(await ok('rollout', 'history', 'daemonset/agent')).toMatch(/1\s+<none>\n2\s+<none>/);
  });
});
