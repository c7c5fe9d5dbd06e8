/**
 * @kubernetes/client-node 1.4.0 against an in-process cluster, over TLS with the written
 * kubeconfig: the calls applications make, and a Watch that sees every change.
 */
import { CoreV1Api, KubeConfig, PatchStrategy, Watch, setHeaderOptions, type V1ConfigMap } from '@kubernetes/client-node';
import { readFileSync } from 'node:fs';
import https from 'node:https';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestCluster, type TestCluster } from './fixture.js';

let cluster: TestCluster;
let core: CoreV1Api;
let kc: KubeConfig;

beforeAll(async () => {
  cluster = await startTestCluster();
  kc = new KubeConfig();
  kc.loadFromFile(cluster.kubeconfigPath);
  core = kc.makeApiClient(CoreV1Api);
});

afterAll(async () => {
  await cluster?.close();
});

/** The HTTP status of a failed client-node call. */
async function statusOf(p: Promise<unknown>): Promise<{ code: number; body: Record<string, unknown> }> {
  try {
    await p;
  } catch (e) {
    const err = e as { code?: number; body?: string };
    return { code: err.code ?? 0, body: JSON.parse(err.body ?? '{}') as Record<string, unknown> };
  }
  throw new Error('expected the call to fail');
}

describe('client-node CoreV1Api', () => {
  it('uses the kubeconfig context the cluster wrote', () => {
    expect(kc.getCurrentContext()).toBe('kos-default');
    expect(kc.getCurrentCluster()?.server).toBe(cluster.url);
  });

  it('lists the system namespaces', async () => {
    const list = await core.listNamespace();
    expect(list.items.map((n) => n.metadata?.name).sort()).toEqual(['default', 'kube-node-lease', 'kube-public', 'kube-system']);
    expect(list.items.every((n) => n.status?.phase === 'Active')).toBe(true);
  });

  it('creates, reads, patches and deletes namespaces and configmaps', async () => {
    const ns = await core.createNamespace({ body: { metadata: { name: 'team-a' } } });
    expect(ns.metadata?.uid).toMatch(/^[0-9a-f-]{36}$/);
    expect(ns.metadata?.labels?.['kubernetes.io/metadata.name']).toBe('team-a');

    const created = await core.createNamespacedConfigMap({ namespace: 'team-a', body: { metadata: { name: 'settings' }, data: { mode: 'fast' } } });
    expect(created.metadata?.resourceVersion).toMatch(/^\d+$/);
    const read = await core.readNamespacedConfigMap({ name: 'settings', namespace: 'team-a' });
    expect(read.data).toEqual({ mode: 'fast' });

    const patched = await core.patchNamespacedConfigMap(
      { name: 'settings', namespace: 'team-a', body: { data: { size: 'large' } } },
      setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
    );
    expect(patched.data).toEqual({ mode: 'fast', size: 'large' });
    expect(Number(patched.metadata?.resourceVersion)).toBeGreaterThan(Number(created.metadata?.resourceVersion));

    const list = await core.listNamespacedConfigMap({ namespace: 'team-a' });
    // Every namespace also holds the cluster CA bundle the ServiceAccount controller writes.
    expect(list.items.map((c) => c.metadata?.name)).toEqual(['kube-root-ca.crt', 'settings']);

    await core.deleteNamespacedConfigMap({ name: 'settings', namespace: 'team-a' });
    const missing = await statusOf(core.readNamespacedConfigMap({ name: 'settings', namespace: 'team-a' }));
    expect(missing.code).toBe(404);
    expect(missing.body).toMatchObject({ kind: 'Status', reason: 'NotFound', message: 'configmaps "settings" not found', details: { name: 'settings', kind: 'configmaps' } });

    await core.deleteNamespace({ name: 'team-a' });
    // The namespace controller empties and removes it after the DELETE returns.
    let code = 0;
    for (let i = 0; i < 100 && code !== 404; i++) {
      // Until then it reads back, Terminating.
      code = await core.readNamespace({ name: 'team-a' }).then(() => 200, (e: { code?: number }) => e.code ?? 0);
      if (code !== 404) await new Promise((r) => setTimeout(r, 50));
    }
    expect(code).toBe(404);
  });

  it('answers a stale update with 409 Conflict', async () => {
    const cm = await core.createNamespacedConfigMap({ namespace: 'default', body: { metadata: { name: 'racy' }, data: { v: '1' } } });
    await core.replaceNamespacedConfigMap({ name: 'racy', namespace: 'default', body: { ...cm, data: { v: '2' } } });
    const stale = await statusOf(core.replaceNamespacedConfigMap({ name: 'racy', namespace: 'default', body: { ...cm, data: { v: '3' } } }));
    expect(stale.code).toBe(409);
    expect(stale.body.message).toBe(
      'Operation cannot be fulfilled on configmaps "racy": the object has been modified; please apply your changes to the latest version and try again',
    );
  });

  it('refuses a client without a certificate', async () => {
    const anonymous = new KubeConfig();
    anonymous.loadFromOptions({
      clusters: [{ name: 'c', server: cluster.url, skipTLSVerify: true }],
      users: [{ name: 'u' }],
      contexts: [{ name: 'x', cluster: 'c', user: 'u' }],
      currentContext: 'x',
    });
    const denied = await statusOf(anonymous.makeApiClient(CoreV1Api).listNamespace());
    expect(denied.code).toBe(401);
  });

  it('answers an anonymous request with a 401 Status, but serves /version to anyone', async () => {
    const ca = readFileSync(join(cluster.dataDir, 'clusters', 'default', 'pki', 'ca.crt'), 'utf8');
    const get = (path: string): Promise<{ code: number; body: unknown }> =>
      new Promise((resolve, reject) => {
        https
          .get(`${cluster.url}${path}`, { ca }, (res) => {
            let text = '';
            res.on('data', (c: Buffer) => (text += c.toString()));
            res.on('end', () => resolve({ code: res.statusCode ?? 0, body: JSON.parse(text) as unknown }));
          })
          .on('error', reject);
      });
    expect(await get('/api/v1/namespaces')).toEqual({
      code: 401,
      body: { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'Unauthorized', reason: 'Unauthorized', code: 401 },
    });
    const version = await get('/version');
    expect(version.code).toBe(200);
    expect(version.body).toMatchObject({ major: '1', minor: '33', platform: 'linux/amd64' });
  });
});

describe('client-node Watch', () => {
  it('sees ADDED, MODIFIED and DELETED for configmaps', async () => {
    await core.createNamespace({ body: { metadata: { name: 'watched' } } });
    const seen: { type: string; name: string; data?: Record<string, string> }[] = [];
    let wake: () => void = () => undefined;
    const watch = new Watch(kc);
    const controller = await watch.watch(
      '/api/v1/namespaces/watched/configmaps',
      {},
      (type, obj: V1ConfigMap) => {
        if (obj.metadata?.name === 'kube-root-ca.crt') return;
        seen.push({ type, name: obj.metadata?.name ?? '', ...(obj.data ? { data: obj.data } : {}) });
        wake();
      },
      () => undefined,
    );
    const until = (n: number): Promise<void> =>
      new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`saw ${JSON.stringify(seen)}`)), 5_000);
        wake = () => {
          if (seen.length >= n) {
            clearTimeout(timer);
            resolve();
          }
        };
        wake();
      });
    try {
      await core.createNamespacedConfigMap({ namespace: 'watched', body: { metadata: { name: 'w' }, data: { a: '1' } } });
      await until(1);
      await core.patchNamespacedConfigMap(
        { name: 'w', namespace: 'watched', body: [{ op: 'replace', path: '/data/a', value: '2' }] },
        setHeaderOptions('Content-Type', PatchStrategy.JsonPatch),
      );
      await until(2);
      await core.deleteNamespacedConfigMap({ name: 'w', namespace: 'watched' });
      await until(3);
    } finally {
      controller.abort();
    }
    expect(seen).toEqual([
      { type: 'ADDED', name: 'w', data: { a: '1' } },
      { type: 'MODIFIED', name: 'w', data: { a: '2' } },
      { type: 'DELETED', name: 'w', data: { a: '2' } },
    ]);
  });
});
