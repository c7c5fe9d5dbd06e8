/**
 * The controllers on their own thread, as kos up runs them: the scheduler and the
 * ReplicaSet controller there, the kubelets beside the API server, and every write
 * between them through the one store. Driven with client-node.
 */
import { AppsV1Api, CoreV1Api, CustomObjectsApi, ApiextensionsV1Api, KubeConfig } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestCluster, type TestCluster } from './fixture.js';

let cluster: TestCluster;
let core: CoreV1Api;
let apps: AppsV1Api;

const size = { cpu: '8', memory: '16Gi', pods: 110, ephemeralStorage: '100Gi', instanceType: 'm1.large' };

beforeAll(async () => {
  cluster = await startTestCluster({ controllersThread: true, nodes: [{ prefix: 'w', role: 'worker', count: 3, zones: ['az1', 'az2', 'az3'], ...size }] });
  const kc = new KubeConfig();
  kc.loadFromFile(cluster.kubeconfigPath);
  core = kc.makeApiClient(CoreV1Api);
  apps = kc.makeApiClient(AppsV1Api);
}, 60_000);

afterAll(async () => {
  await cluster?.close();
});

async function waitFor<T>(check: () => Promise<T | undefined>, what: string): Promise<T> {
  for (let i = 0; i < 200; i++) {
    const v = await check();
    if (v !== undefined) return v;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe('controllers on their own thread', () => {
  it('takes a Deployment to Running pods spread over the zones, and scales it down', async () => {
    await core.createNamespace({ body: { metadata: { name: 'threaded' } } });
    // A LimitRange: pods the ReplicaSet controller creates on the controllers' thread are admitted there.
    await core.createNamespacedLimitRange({ namespace: 'threaded', body: { metadata: { name: 'defaults' }, spec: { limits: [{ type: 'Container', defaultRequest: { cpu: '250m' } }] } } });
    await apps.createNamespacedDeployment({
      namespace: 'threaded',
      body: {
        metadata: { name: 'web' },
        spec: { replicas: 6, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'nginx' }] } } },
      },
    });
    const running = await waitFor(async () => {
      const list = await core.listNamespacedPod({ namespace: 'threaded' });
      return list.items.length === 6 && list.items.every((p) => p.status?.phase === 'Running') ? list.items : undefined;
    }, 'six Running pods');
    expect(new Set(running.map((p) => p.spec?.nodeName)).size).toBe(3);
    expect(running.every((p) => p.spec?.containers[0]?.resources?.requests?.cpu === '250m')).toBe(true);
    const d = await waitFor(async () => {
      const got = await apps.readNamespacedDeployment({ name: 'web', namespace: 'threaded' });
      return got.status?.readyReplicas === 6 ? got : undefined;
    }, 'the Deployment ready');
    expect(d.status?.availableReplicas).toBe(6);

    await apps.patchNamespacedDeploymentScale({ name: 'web', namespace: 'threaded', body: [{ op: 'replace', path: '/spec/replicas', value: 2 }] });
    await waitFor(async () => {
      const list = await core.listNamespacedPod({ namespace: 'threaded' });
      return list.items.filter((p) => !p.metadata?.deletionTimestamp).length === 2 ? true : undefined;
    }, 'two pods left');
  });

  it('starts the thread again when it dies, and the new one converges from the store', async () => {
    const thread = cluster.controllerThread!;
    expect(thread.starts()).toBe(1);
    await thread.kill();
    // Desired state changes while no controller runs.
    await apps.patchNamespacedDeploymentScale({ name: 'web', namespace: 'threaded', body: [{ op: 'replace', path: '/spec/replicas', value: 3 }] });
    await waitFor(async () => {
      const list = await core.listNamespacedPod({ namespace: 'threaded' });
      const live = list.items.filter((p) => !p.metadata?.deletionTimestamp);
      return live.length === 3 && live.every((p) => p.status?.phase === 'Running') ? true : undefined;
    }, 'three Running pods after the restart');
    expect(thread.starts()).toBe(2);
    await apps.patchNamespacedDeploymentScale({ name: 'web', namespace: 'threaded', body: [{ op: 'replace', path: '/spec/replicas', value: 2 }] });
    await waitFor(async () => {
      const list = await core.listNamespacedPod({ namespace: 'threaded' });
      return list.items.filter((p) => !p.metadata?.deletionTimestamp).length === 2 ? true : undefined;
    }, 'two pods again');
  });

  it('allocates a Service cluster IP on the API server and lists its endpoints from the controllers', async () => {
    const svc = await core.createNamespacedService({ namespace: 'threaded', body: { metadata: { name: 'web' }, spec: { selector: { app: 'web' }, ports: [{ port: 80 }] } } });
    expect(svc.spec?.clusterIP).toMatch(/^10\.9[6-9]\./);
    const kubernetes = await core.readNamespacedService({ name: 'kubernetes', namespace: 'default' });
    expect(kubernetes.spec?.ports?.[0]?.targetPort).toBe(Number(new URL(cluster.url).port));
    await waitFor(async () => {
      const ep = await core.readNamespacedEndpoints({ name: 'web', namespace: 'threaded' }).catch(() => undefined);
      return ep?.subsets?.[0]?.addresses?.length === 2 ? true : undefined;
    }, 'the endpoints of two pods');
  });

  it('deletes a namespace with its custom resources: the controllers follow the served definitions', async () => {
    const kc = new KubeConfig();
    kc.loadFromFile(cluster.kubeconfigPath);
    await kc.makeApiClient(ApiextensionsV1Api).createCustomResourceDefinition({
      body: {
        metadata: { name: 'widgets.example.com' },
        spec: {
          group: 'example.com',
          scope: 'Namespaced',
          names: { plural: 'widgets', singular: 'widget', kind: 'Widget' },
          versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object', x_kubernetes_preserve_unknown_fields: true } } }],
        },
      },
    });
    const custom = kc.makeApiClient(CustomObjectsApi);
    await waitFor(
      () => custom.createNamespacedCustomObject({ group: 'example.com', version: 'v1', plural: 'widgets', namespace: 'threaded', body: { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w1' } } }).then(() => true, () => undefined),
      'the Widget kind served',
    );
    await core.deleteNamespace({ name: 'threaded' });
    await waitFor(() => core.readNamespace({ name: 'threaded' }).then(() => undefined, () => true), 'the namespace gone');
    const widgets = cluster.catalog.find('example.com', 'v1', 'widgets');
    expect(widgets).toBeDefined();
    const left = await cluster.store.range(cluster.registry.keys.prefix(widgets!));
    expect(left.kvs).toHaveLength(0);
  });

  it('holds a pod created through the API server to a ResourceQuota, counting what is already there', async () => {
    await core.createNamespace({ body: { metadata: { name: 'quotaed' } } });
    // Before any quota: the API server's quota informers have not been needed yet.
    await core.createNamespacedPod({ namespace: 'quotaed', body: { metadata: { name: 'first' }, spec: { containers: [{ name: 'c', image: 'nginx' }] } } });
    await core.createNamespacedResourceQuota({ namespace: 'quotaed', body: { metadata: { name: 'two' }, spec: { hard: { pods: '2' } } } });
    await core.createNamespacedPod({ namespace: 'quotaed', body: { metadata: { name: 'second' }, spec: { containers: [{ name: 'c', image: 'nginx' }] } } });
    const refused = await core
      .createNamespacedPod({ namespace: 'quotaed', body: { metadata: { name: 'third' }, spec: { containers: [{ name: 'c', image: 'nginx' }] } } })
      .then(
        () => undefined,
        (e: unknown) => e as { code?: number; body?: string },
      );
    expect(refused?.code).toBe(403);
    expect(String(refused?.body)).toContain('exceeded quota: two, requested: pods=1, used: pods=2, limited: pods=2');
  });
});
