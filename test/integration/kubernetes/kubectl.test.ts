/**
 * kubectl 1.33 (from its npm package) against an in-process cluster, reading the written
 * kubeconfig: what a newcomer types first.
 */
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

/** Run kubectl; resolves with its output and exit code whether it succeeded or not. */
async function kubectl(...args: string[]): Promise<KubectlResult> {
  return runKubectl(kubectlBin, cluster, args);
}

const rows = (table: string): string[][] =>
  table
    .trim()
    .split('\n')
    .map((line) => line.trim().split(/\s{2,}/));

describe('kubectl 1.33', () => {
  it('version reports server v1.33', async () => {
    const out = await kubectl('version');
    expect(out.code).toBe(0);
    expect(out.stdout).toContain('Server Version: v1.33.1+kos');
  });

  it('get ns prints the Table columns of namespaces', async () => {
    const out = await kubectl('get', 'ns');
    expect(out.code).toBe(0);
    const table = rows(out.stdout);
    expect(table[0]).toEqual(['NAME', 'STATUS', 'AGE']);
    expect(table.slice(1).map((r) => [r[0], r[1]])).toEqual([
      ['default', 'Active'],
      ['kube-node-lease', 'Active'],
      ['kube-public', 'Active'],
      ['kube-system', 'Active'],
    ]);
  });

  it('create, get -o yaml and delete a configmap', async () => {
    const created = await kubectl('create', 'configmap', 'x', '--from-literal=a=b');
    expect(created).toMatchObject({ code: 0, stdout: 'configmap/x created\n' });

    const yaml = await kubectl('get', 'cm', 'x', '-o', 'yaml');
    expect(yaml.code).toBe(0);
    expect(yaml.stdout).toMatch(/^apiVersion: v1\ndata:\n {2}a: b\nkind: ConfigMap\nmetadata:\n/);
    expect(yaml.stdout).toMatch(/resourceVersion: "\d+"/);

    const table = rows((await kubectl('get', 'cm', 'x')).stdout);
    expect(table[0]).toEqual(['NAME', 'DATA', 'AGE']);
    expect(table[1]?.slice(0, 2)).toEqual(['x', '1']);

    expect(await kubectl('delete', 'cm', 'x')).toMatchObject({ code: 0, stdout: 'configmap "x" deleted\n' });
    const gone = await kubectl('get', 'cm', 'x');
    expect(gone.code).toBe(1);
    expect(gone.stderr).toBe('Error from server (NotFound): configmaps "x" not found\n');
  });

  it('get pods on an empty namespace says so', async () => {
    const out = await kubectl('get', 'pods');
    expect(out).toMatchObject({ code: 0, stdout: '', stderr: 'No resources found in default namespace.\n' });
  });

  it('api-resources lists the served kinds with short names', async () => {
    const out = await kubectl('api-resources', '--no-headers');
    expect(out.code).toBe(0);
    const byName = new Map(rows(out.stdout).map((r) => [r[0], r]));
    expect(byName.get('configmaps')).toEqual(['configmaps', 'cm', 'v1', 'true', 'ConfigMap']);
    expect(byName.get('namespaces')).toEqual(['namespaces', 'ns', 'v1', 'false', 'Namespace']);
    expect(byName.get('deployments')).toEqual(['deployments', 'deploy', 'apps/v1', 'true', 'Deployment']);
  });

  it('creates a deployment with defaults and scales it', async () => {
    expect((await kubectl('create', 'deployment', 'web', '--image=nginx:1.27', '--replicas=2')).code).toBe(0);
    expect((await kubectl('scale', 'deployment', 'web', '--replicas=3')).stdout).toBe('deployment.apps/web scaled\n');
    const out = await kubectl('get', 'deploy', 'web', '-o', 'jsonpath={.spec.replicas} {.metadata.generation} {.spec.strategy.rollingUpdate.maxSurge} {.spec.template.spec.containers[0].imagePullPolicy}');
    expect(out.stdout).toBe('3 2 25% IfNotPresent');
  });
});
