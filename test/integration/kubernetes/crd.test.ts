/**
 * CustomResourceDefinitions end to end: kubectl 1.33 applies a CRD, waits for it to be
 * Established, then creates, lists (printer columns), validates, scales and deletes
 * custom objects; client-node's CustomObjectsApi lists and patches them.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CustomObjectsApi, KubeConfig, PatchStrategy, Watch, setHeaderOptions } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kubectlPath, runKubectl, startTestCluster, type KubectlResult, type TestCluster } from './fixture.js';

let cluster: TestCluster;
let kubectlBin: string;
let custom: CustomObjectsApi;

beforeAll(async () => {
  kubectlBin = kubectlPath();
  cluster = await startTestCluster();
  const kc = new KubeConfig();
  kc.loadFromFile(cluster.kubeconfigPath);
  custom = kc.makeApiClient(CustomObjectsApi);
});

afterAll(async () => {
  await cluster?.close();
});

async function kubectl(...args: string[]): Promise<KubectlResult> {
  return runKubectl(kubectlBin, cluster, args);
}

const rows = (table: string): string[][] =>
  table
    .trim()
    .split('\n')
    .map((line) => line.trim().split(/\s{2,}/));

function manifest(name: string, text: string): string {
  const path = join(cluster.dataDir, name);
  writeFileSync(path, text);
  return path;
}

const crdYaml = `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: crontabs.stable.example.com
spec:
  group: stable.example.com
  scope: Namespaced
  names:
    plural: crontabs
    singular: crontab
    kind: CronTab
    shortNames: [ct]
    categories: [all]
  versions:
  - name: v1
    served: true
    storage: true
    subresources:
      status: {}
      scale:
        specReplicasPath: .spec.replicas
        statusReplicasPath: .status.replicas
        labelSelectorPath: .status.selector
    additionalPrinterColumns:
    - name: Spec
      type: string
      jsonPath: .spec.cronSpec
    - name: Replicas
      type: integer
      jsonPath: .spec.replicas
    - name: Age
      type: date
      jsonPath: .metadata.creationTimestamp
    schema:
      openAPIV3Schema:
        type: object
        properties:
          spec:
            type: object
            required: [cronSpec]
            properties:
              cronSpec:
                type: string
                pattern: '^(\\d+|\\*)(/\\d+)?(\\s+(\\d+|\\*)(/\\d+)?){4}$'
              image:
                type: string
              replicas:
                type: integer
                minimum: 0
                default: 1
          status:
            type: object
            properties:
              replicas: {type: integer}
              selector: {type: string}
`;

const cronTab = (name: string, cronSpec: string, extra = ''): string => `apiVersion: stable.example.com/v1
kind: CronTab
metadata:
  name: ${name}
  namespace: default
spec:
  cronSpec: "${cronSpec}"
  image: my-cron-image
${extra}`;

describe('CustomResourceDefinitions with kubectl 1.33', () => {
  it('applies a CRD and waits until it is Established', async () => {
    const applied = await kubectl('apply', '-f', manifest('crd.yaml', crdYaml));
    expect(applied.stderr).toBe('');
    expect(applied.stdout.trim()).toBe('customresourcedefinition.apiextensions.k8s.io/crontabs.stable.example.com created');
    const waited = await kubectl('wait', '--for', 'condition=established', '--timeout=10s', 'crd/crontabs.stable.example.com');
    expect(waited.stdout.trim()).toBe('customresourcedefinition.apiextensions.k8s.io/crontabs.stable.example.com condition met');
    const listed = rows((await kubectl('get', 'crd')).stdout);
    expect(listed[0]).toEqual(['NAME', 'CREATED AT']);
    expect(listed[1]![0]).toBe('crontabs.stable.example.com');
    const resources = await kubectl('api-resources', '--api-group=stable.example.com');
    expect(rows(resources.stdout)[1]).toEqual(['crontabs', 'ct', 'stable.example.com/v1', 'true', 'CronTab']);
  });

  it('creates custom objects and prints their columns', async () => {
    const created = await kubectl('apply', '-f', manifest('ct.yaml', cronTab('every-minute', '* * * * */5')));
    expect(created.stderr).toBe('');
    expect(created.stdout.trim()).toBe('crontab.stable.example.com/every-minute created');
    const table = rows((await kubectl('get', 'ct')).stdout);
    expect(table[0]).toEqual(['NAME', 'SPEC', 'REPLICAS', 'AGE']);
    expect(table[1]!.slice(0, 3)).toEqual(['every-minute', '* * * * */5', '1']);
    const obj = JSON.parse((await kubectl('get', 'crontab', 'every-minute', '-o', 'json')).stdout) as { spec: Record<string, unknown>; metadata: { generation: number } };
    // Defaulted from the schema.
    expect(obj.spec).toEqual({ cronSpec: '* * * * */5', image: 'my-cron-image', replicas: 1 });
    expect(obj.metadata.generation).toBe(1);
  });

  it('re-applies an edited manifest and patches with a JSON patch', async () => {
    const reapplied = await kubectl('apply', '-f', manifest('ct.yaml', cronTab('every-minute', '*/2 * * * *')));
    expect(reapplied.stdout.trim()).toBe('crontab.stable.example.com/every-minute configured');
    const jsonPatched = await kubectl('patch', 'ct', 'every-minute', '--type=json', '-p', '[{"op":"test","path":"/spec/cronSpec","value":"*/2 * * * *"},{"op":"replace","path":"/spec/cronSpec","value":"* * * * */5"}]');
    expect(jsonPatched.stdout.trim()).toBe('crontab.stable.example.com/every-minute patched');
    const spec = await kubectl('get', 'ct', 'every-minute', '-o', 'jsonpath={.spec.cronSpec}');
    expect(spec.stdout).toBe('* * * * */5');
  });

  it('streams custom objects to a client-node Watch and lists them in the all category', async () => {
    const kc = new KubeConfig();
    kc.loadFromFile(cluster.kubeconfigPath);
    const seen: string[] = [];
    const added = new Promise<void>((resolve) => {
      void new Watch(kc)
        .watch('/apis/stable.example.com/v1/namespaces/default/crontabs', {}, (type: string, obj: { metadata: { name: string } }) => {
          seen.push(`${type} ${obj.metadata.name}`);
          if (obj.metadata.name === 'watched') resolve();
        }, () => undefined)
        .then((req) => added.finally(() => req.abort()));
    });
    await kubectl('apply', '-f', manifest('watched.yaml', cronTab('watched', '0 * * * *')));
    await added;
    expect(seen).toEqual(['ADDED every-minute', 'ADDED watched']);
    const all = await kubectl('get', 'all', '-o', 'name');
    expect(all.stdout.split('\n')).toContain('crontab.stable.example.com/watched');
    await kubectl('delete', 'ct', 'watched');
  });

  it('rejects an invalid object with the field path', async () => {
    const bad = await kubectl('create', '-f', manifest('bad.yaml', cronTab('bad', 'not a schedule', '  replicas: -2\n')));
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toContain('The CronTab "bad" is invalid');
    expect(bad.stderr).toContain(`spec.cronSpec: Invalid value: "not a schedule": spec.cronSpec in body should match`);
    expect(bad.stderr).toContain('spec.replicas: Invalid value: -2: spec.replicas in body should be greater than or equal to 0');
  });

  it('publishes the schemas kubectl explain reads', async () => {
    const crdExplained = await kubectl('explain', 'crd.spec.names');
    expect(crdExplained.stdout).toContain('plural\t<string> -required-');
    const explained = await kubectl('explain', 'crontab.spec');
    expect(explained.stderr).toBe('');
    expect(explained.stdout).toContain('cronSpec\t<string> -required-');
    expect(explained.stdout).toContain('replicas\t<integer>');
  });

  it('scales through the scale subresource', async () => {
    const scaled = await kubectl('scale', 'crontab/every-minute', '--replicas=3');
    expect(scaled.stdout.trim()).toBe('crontab.stable.example.com/every-minute scaled');
    const replicas = await kubectl('get', 'ct', 'every-minute', '-o', 'jsonpath={.spec.replicas}');
    expect(replicas.stdout).toBe('3');
  });

  it('lists and patches with client-node CustomObjectsApi; strategic merge is refused', async () => {
    const group = 'stable.example.com';
    const list = (await custom.listNamespacedCustomObject({ group, version: 'v1', namespace: 'default', plural: 'crontabs' })) as { items: { metadata: { name: string } }[] };
    expect(list.items.map((i) => i.metadata.name)).toEqual(['every-minute']);
    const patched = (await custom.patchNamespacedCustomObject(
      { group, version: 'v1', namespace: 'default', plural: 'crontabs', name: 'every-minute', body: { spec: { image: 'v2' } } },
      setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
    )) as { spec: { image: string }; metadata: { generation: number } };
    expect(patched.spec.image).toBe('v2');
    // Created 1; re-apply, JSON patch, scale and this patch each changed the spec.
    expect(patched.metadata.generation).toBe(5);

    // Unknown fields are pruned (no fieldValidation asked for).
    const created = (await custom.createNamespacedCustomObject({
      group,
      version: 'v1',
      namespace: 'default',
      plural: 'crontabs',
      body: { apiVersion: 'stable.example.com/v1', kind: 'CronTab', metadata: { name: 'pruned' }, spec: { cronSpec: '0 0 * * *', bogus: 1 }, extra: 'x' },
    })) as Record<string, unknown>;
    expect(created.spec).toEqual({ cronSpec: '0 0 * * *', replicas: 1 });
    expect(created.extra).toBeUndefined();

    // Status moves only through the status subresource.
    const withStatus = (await custom.patchNamespacedCustomObjectStatus(
      { group, version: 'v1', namespace: 'default', plural: 'crontabs', name: 'pruned', body: { status: { replicas: 2, selector: 'app=cron' } } },
      setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
    )) as { status: unknown; metadata: { generation: number } };
    expect(withStatus.status).toEqual({ replicas: 2, selector: 'app=cron' });
    expect(withStatus.metadata.generation).toBe(1);
    const ignored = (await custom.patchNamespacedCustomObject(
      { group, version: 'v1', namespace: 'default', plural: 'crontabs', name: 'pruned', body: { status: { replicas: 9 } } },
      setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
    )) as { status: unknown };
    expect(ignored.status).toEqual({ replicas: 2, selector: 'app=cron' });
    const scale = (await custom.getNamespacedCustomObjectScale({ group, version: 'v1', namespace: 'default', plural: 'crontabs', name: 'pruned' })) as { spec: unknown; status: unknown };
    expect(scale.spec).toEqual({ replicas: 1 });
    expect(scale.status).toEqual({ replicas: 2, selector: 'app=cron' });
    const smp = await kubectl('patch', 'ct', 'every-minute', '--type=strategic', '-p', '{"spec":{"image":"v3"}}');
    expect(smp.code).not.toBe(0);
    expect(smp.stderr).toContain('application/strategic-merge-patch+json is not supported by stable.example.com/v1, Kind=CronTab');
  });

  it('deletes the CRD, its resources and its objects', async () => {
    const deleted = await kubectl('delete', 'crd', 'crontabs.stable.example.com');
    expect(deleted.stdout.trim()).toBe('customresourcedefinition.apiextensions.k8s.io "crontabs.stable.example.com" deleted');
    for (let i = 0; i < 50 && cluster.catalog.find('stable.example.com', 'v1', 'crontabs'); i++) await new Promise((r) => setTimeout(r, 20));
    expect(cluster.catalog.find('stable.example.com', 'v1', 'crontabs')).toBeUndefined();
    const { kvs } = await cluster.store.range('/kubernetes/default/stable.example.com/');
    expect(kvs).toEqual([]);
  });
});
