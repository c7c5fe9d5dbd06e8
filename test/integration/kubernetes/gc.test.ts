/**
 * Garbage collection and namespace deletion through kubectl 1.33: owners deleted in the
 * background, with --cascade=orphan and --cascade=foreground, and namespaces going
 * Terminating, refusing new content, and disappearing once the controller is done.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kubectlPath, runKubectl, startTestCluster, type KubectlResult, type TestCluster } from './fixture.js';

let cluster: TestCluster;
let kubectlBin: string;

beforeAll(async () => {
  kubectlBin = kubectlPath();
  cluster = await startTestCluster();
});

afterAll(async () => {
  await cluster?.close();
});

async function kubectl(...args: string[]): Promise<KubectlResult> {
  return runKubectl(kubectlBin, cluster, args);
}

/** kubectl create -f with an object written to a file. */
async function createObject(name: string, obj: unknown): Promise<void> {
  const file = join(cluster.dataDir, `${name}.json`);
  writeFileSync(file, JSON.stringify(obj));
  expect(await kubectl('create', '-f', file)).toMatchObject({ code: 0 });
}

async function uidOf(...target: string[]): Promise<string> {
  return (await kubectl('get', ...target, '-o', 'jsonpath={.metadata.uid}')).stdout;
}

/** Poll kubectl until `get` answers NotFound (the controllers run on the real clock here). */
async function waitGone(...target: string[]): Promise<void> {
  for (let i = 0; i < 50; i++) {
    const got = await kubectl('get', ...target);
    if (got.code !== 0 && got.stderr.includes('NotFound')) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${target.join(' ')} is still there`);
}

async function ownedConfigMap(owner: string, dependent: string, extra: Record<string, unknown> = {}, ref: Record<string, unknown> = {}): Promise<void> {
  expect(await kubectl('create', 'configmap', owner)).toMatchObject({ code: 0 });
  const uid = await uidOf('configmap', owner);
  expect(uid).toMatch(/^[0-9a-f-]{36}$/);
  await createObject(dependent, {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: dependent, namespace: 'default', ownerReferences: [{ apiVersion: 'v1', kind: 'ConfigMap', name: owner, uid, ...ref }], ...extra },
  });
}

describe('garbage collection through kubectl 1.33', () => {
  it('collects a dependent after its owner is deleted', async () => {
    await ownedConfigMap('owner-bg', 'dep-bg');
    expect(await kubectl('delete', 'configmap', 'owner-bg')).toMatchObject({ code: 0, stdout: 'configmap "owner-bg" deleted\n' });
    await waitGone('configmap', 'dep-bg');
  });

  it('--cascade=orphan keeps the dependent without its ownerReference', async () => {
    await ownedConfigMap('owner-or', 'dep-or');
    expect(await kubectl('delete', 'configmap', 'owner-or', '--cascade=orphan')).toMatchObject({ code: 0 });
    await waitGone('configmap', 'owner-or');
    const dep = await kubectl('get', 'configmap', 'dep-or', '-o', 'json');
    expect(dep.code).toBe(0);
    expect((JSON.parse(dep.stdout) as { metadata: { ownerReferences?: unknown } }).metadata.ownerReferences).toBeUndefined();
  });

  it('--cascade=foreground deletes the dependents first', async () => {
    await ownedConfigMap('owner-fg', 'dep-fg', { finalizers: ['example.com/hold'] }, { blockOwnerDeletion: true });
    expect(await kubectl('delete', 'configmap', 'owner-fg', '--cascade=foreground', '--wait=false')).toMatchObject({ code: 0 });
    for (let i = 0; i < 50 && (await kubectl('get', 'configmap', 'dep-fg', '-o', 'jsonpath={.metadata.deletionTimestamp}')).stdout === ''; i++) {
      await new Promise((r) => setTimeout(r, 100));
    }
    expect((await kubectl('get', 'configmap', 'dep-fg', '-o', 'jsonpath={.metadata.deletionTimestamp}')).stdout).not.toBe('');
    // The owner waits for its blocking dependent.
    expect((await kubectl('get', 'configmap', 'owner-fg', '-o', 'jsonpath={.metadata.finalizers}')).stdout).toBe('["foregroundDeletion"]');
    expect(await kubectl('patch', 'configmap', 'dep-fg', '--type=merge', '-p', '{"metadata":{"finalizers":null}}')).toMatchObject({ code: 0 });
    await waitGone('configmap', 'owner-fg');
    await waitGone('configmap', 'dep-fg');
  });
});

describe('namespace deletion through kubectl 1.33', () => {
  it('shows Terminating, refuses new content, then NotFound', async () => {
    expect(await kubectl('create', 'namespace', 'doomed')).toMatchObject({ code: 0 });
    await createObject('held', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'held', namespace: 'doomed', finalizers: ['example.com/hold'] } });
    expect(await kubectl('delete', 'namespace', 'doomed', '--wait=false')).toMatchObject({ code: 0, stdout: 'namespace "doomed" deleted\n' });
    const got = await kubectl('get', 'namespace', 'doomed', '--no-headers');
    expect(got.stdout).toMatch(/^doomed\s+Terminating\s+/);
    const refused = await kubectl('create', 'configmap', 'late', '-n', 'doomed');
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain('unable to create new content in namespace doomed because it is being terminated');
    expect(await kubectl('patch', 'configmap', 'held', '-n', 'doomed', '--type=merge', '-p', '{"metadata":{"finalizers":null}}')).toMatchObject({ code: 0 });
    await waitGone('namespace', 'doomed');
  });

  it('kubectl delete ns --wait returns once the namespace is gone', async () => {
    expect(await kubectl('create', 'namespace', 'brief')).toMatchObject({ code: 0 });
    expect(await kubectl('create', 'configmap', 'c', '-n', 'brief')).toMatchObject({ code: 0 });
    expect(await kubectl('delete', 'namespace', 'brief', '--wait')).toMatchObject({ code: 0 });
    const gone = await kubectl('get', 'namespace', 'brief');
    expect(gone.stderr).toContain('namespaces "brief" not found');
  });

  it('serves PUT namespaces/<name>/finalize', async () => {
    await createObject('ns-f', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'fin' }, spec: { finalizers: ['kubernetes', 'example.com/x'] } });
    expect(await kubectl('delete', 'namespace', 'fin', '--wait=false')).toMatchObject({ code: 0 });
    for (let i = 0; i < 50 && (await kubectl('get', 'ns', 'fin', '-o', 'jsonpath={.spec.finalizers}')).stdout !== '["example.com/x"]'; i++) {
      await new Promise((r) => setTimeout(r, 100));
    }
    expect((await kubectl('get', 'ns', 'fin', '-o', 'jsonpath={.status.phase}')).stdout).toBe('Terminating');
    const file = join(cluster.dataDir, 'finalize.json');
    writeFileSync(file, JSON.stringify({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'fin' }, spec: { finalizers: [] } }));
    expect(await kubectl('replace', '--raw', '/api/v1/namespaces/fin/finalize', '-f', file)).toMatchObject({ code: 0 });
    await waitGone('namespace', 'fin');
  });
});
