/**
 * Server-side apply with kubectl 1.33: create and re-apply with `--server-side`, ownership
 * shown by `--show-managed-fields`, a conflict with a client-side edit and
 * `--force-conflicts`.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CoreV1Api, KubeConfig, PatchStrategy, setHeaderOptions } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kubectlPath, runKubectl, startTestCluster, type KubectlResult, type TestCluster } from './fixture.js';

let cluster: TestCluster;
let kubectlBin: string;
let dir: string;

beforeAll(async () => {
  kubectlBin = kubectlPath();
  cluster = await startTestCluster();
  dir = mkdtempSync(join(tmpdir(), 'kos-apply-'));
});

afterAll(async () => {
  await cluster?.close();
  rmSync(dir, { recursive: true, force: true });
});

async function kubectl(...args: string[]): Promise<KubectlResult> {
  return runKubectl(kubectlBin, cluster, args, dir);
}

function manifest(name: string, replicas: number, image: string): string {
  const path = join(dir, name);
  writeFileSync(path, `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: default
spec:
  replicas: ${replicas}
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
      - name: web
        image: ${image}
`);
  return path;
}

interface Entry {
  manager: string;
  operation: string;
  apiVersion: string;
  fieldsType: string;
  fieldsV1: Record<string, unknown>;
}

async function managedFields(): Promise<Entry[]> {
  const out = await kubectl('get', 'deployment', 'web', '-o', 'json', '--show-managed-fields');
  return (JSON.parse(out.stdout) as { metadata: { managedFields: Entry[] } }).metadata.managedFields;
}

describe('kubectl apply --server-side', () => {
  it('creates the object and records an Apply entry in the real notation', async () => {
    const out = await kubectl('apply', '--server-side', '-f', manifest('a.yaml', 2, 'nginx:1.25'));
    expect(out.code, out.stderr).toBe(0);
    expect(out.stdout.trim()).toBe('deployment.apps/web serverside-applied');
    const entries = await managedFields();
    expect(entries.map((e) => [e.manager, e.operation, e.apiVersion, e.fieldsType])).toEqual([['kubectl', 'Apply', 'apps/v1', 'FieldsV1']]);
    const spec = entries[0]!.fieldsV1['f:spec'] as Record<string, Record<string, Record<string, Record<string, unknown>>>>;
    expect(spec['f:replicas']).toEqual({});
    expect(spec['f:template']!['f:spec']!['f:containers']).toEqual({ 'k:{"name":"web"}': { '.': {}, 'f:image': {}, 'f:name': {} } });
  });

  it('a change by another manager conflicts with a re-apply; --force-conflicts takes the field back', async () => {
    const patched = await kubectl('patch', 'deployment', 'web', '--type=merge', '-p', '{"spec":{"replicas":5}}', '--field-manager=kubectl-client-side-apply');
    expect(patched.code, patched.stderr).toBe(0);
    const entries = await managedFields();
    expect(entries.map((e) => [e.manager, e.operation])).toEqual([['kubectl', 'Apply'], ['kubectl-client-side-apply', 'Update']]);
    expect(entries[1]!.fieldsV1).toEqual({ 'f:spec': { 'f:replicas': {} } });

    const refused = await kubectl('apply', '--server-side', '-f', manifest('b.yaml', 3, 'nginx:1.25'));
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain('Apply failed with 1 conflict: conflict with "kubectl-client-side-apply" using apps/v1: .spec.replicas');

    const forced = await kubectl('apply', '--server-side', '--force-conflicts', '-f', manifest('b.yaml', 3, 'nginx:1.26'));
    expect(forced.code, forced.stderr).toBe(0);
    const got = await kubectl('get', 'deployment', 'web', '-o', 'jsonpath={.spec.replicas} {.spec.template.spec.containers[0].image}');
    expect(got.stdout).toBe('3 nginx:1.26');
    expect((await managedFields()).map((e) => [e.manager, e.operation])).toEqual([['kubectl', 'Apply']]);
  });

  it('client-node applies with the SSA content type, and a dropped key goes with its owner', async () => {
    const kc = new KubeConfig();
    kc.loadFromFile(cluster.kubeconfigPath);
    const core = kc.makeApiClient(CoreV1Api);
    const ssa = setHeaderOptions('Content-Type', PatchStrategy.ServerSideApply);
    const body = (data: Record<string, string>) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'ssa', namespace: 'default' }, data });
    const created = await core.patchNamespacedConfigMap({ name: 'ssa', namespace: 'default', body: body({ a: '1', b: '2' }), fieldManager: 'tool' }, ssa);
    expect(created.data).toEqual({ a: '1', b: '2' });
    expect(created.metadata?.managedFields?.map((e) => [e.manager, e.operation, e.fieldsV1])).toEqual([['tool', 'Apply', { 'f:data': { 'f:a': {}, 'f:b': {} } }]]);
    const next = await core.patchNamespacedConfigMap({ name: 'ssa', namespace: 'default', body: body({ a: '1' }), fieldManager: 'tool' }, ssa);
    expect(next.data).toEqual({ a: '1' });
  });
});
