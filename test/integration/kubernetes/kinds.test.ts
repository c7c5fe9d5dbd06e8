/**
 * The workload, autoscaling, storage and networking kinds through kubectl 1.33 and
 * @kubernetes/client-node: create, get all, autoscale, and the same HPA read at
 * autoscaling/v1 and v2.
 */
import { execFile } from 'node:child_process';
import { AutoscalingV1Api, AutoscalingV2Api, KubeConfig } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kubectlPath, runKubectl, startTestCluster, type KubectlResult, type TestCluster } from './fixture.js';

let cluster: TestCluster;
let kubectlBin: string;
let kc: KubeConfig;

beforeAll(async () => {
  kubectlBin = kubectlPath();
  cluster = await startTestCluster();
  kc = new KubeConfig();
  kc.loadFromFile(cluster.kubeconfigPath);
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

describe('kinds through kubectl 1.33', () => {
  it('creates a job, a cronjob, a deployment and a statefulset', async () => {
    expect(await kubectl('create', 'job', 'pi', '--image=busybox:1.36', '--', 'echo', 'hi')).toMatchObject({ code: 0, stdout: 'job.batch/pi created\n' });
    expect(await kubectl('create', 'cronjob', 'tick', '--image=busybox:1.36', '--schedule=*/5 * * * *')).toMatchObject({ code: 0, stdout: 'cronjob.batch/tick created\n' });
    expect(await kubectl('create', 'deployment', 'd', '--image=nginx:1.27')).toMatchObject({ code: 0, stdout: 'deployment.apps/d created\n' });
    const sts = JSON.stringify({
      apiVersion: 'apps/v1',
      kind: 'StatefulSet',
      metadata: { name: 'db' },
      spec: { serviceName: 'db', selector: { matchLabels: { app: 'db' } }, template: { metadata: { labels: { app: 'db' } }, spec: { containers: [{ name: 'pg', image: 'postgres:16' }] } } },
    });
    const created = await new Promise<{ code: number; stdout: string }>((resolve) => {
      const child = execFile(kubectlBin, ['--kubeconfig', cluster.kubeconfigPath, 'create', '-f', '-'], (err, stdout) => resolve({ code: err ? 1 : 0, stdout }));
      child.stdin?.end(sts);
    });
    expect(created).toEqual({ code: 0, stdout: 'statefulset.apps/db created\n' });

    const job = JSON.parse((await kubectl('get', 'job', 'pi', '-o', 'json')).stdout) as { metadata: { uid: string; labels: Record<string, string> }; spec: Record<string, unknown> };
    expect(job.spec).toMatchObject({ completions: 1, parallelism: 1, backoffLimit: 6, completionMode: 'NonIndexed', suspend: false, manualSelector: false });
    expect(job.spec.selector).toEqual({ matchLabels: { 'batch.kubernetes.io/controller-uid': job.metadata.uid } });
    expect(job.metadata.labels['batch.kubernetes.io/job-name']).toBe('pi');
  });

  it('kubectl get all lists the kinds in the all category', async () => {
    const out = await kubectl('get', 'all');
    expect(out.code).toBe(0);
    expect(out.stdout).toContain('deployment.apps/d');
    expect(out.stdout).toContain('statefulset.apps/db');
    expect(out.stdout).toContain('job.batch/pi');
    expect(out.stdout).toContain('cronjob.batch/tick');
    expect(out.stdout).toMatch(/NAME\s+STATUS\s+COMPLETIONS\s+DURATION\s+AGE/);
    expect(out.stdout).toMatch(/NAME\s+SCHEDULE\s+TIMEZONE\s+SUSPEND\s+ACTIVE\s+LAST SCHEDULE\s+AGE/);
  });

  it('get jobs -o wide shows the generated selector', async () => {
    const table = rows((await kubectl('get', 'jobs', '-o', 'wide')).stdout);
    expect(table[0]).toEqual(['NAME', 'STATUS', 'COMPLETIONS', 'DURATION', 'AGE', 'CONTAINERS', 'IMAGES', 'SELECTOR']);
    expect(table[1]?.slice(0, 3)).toEqual(['pi', 'Running', '0/1']);
    // DURATION is empty until the job starts, so the selector is the last cell, not the eighth.
    expect(table[1]?.at(-1)).toMatch(/^batch\.kubernetes\.io\/controller-uid=[0-9a-f-]{36}$/);
  });

  it('autoscale a deployment, read the HPA at autoscaling/v1 and v2, and print it', async () => {
    expect(await kubectl('autoscale', 'deployment', 'd', '--max=5', '--cpu-percent=60')).toMatchObject({ code: 0, stdout: 'horizontalpodautoscaler.autoscaling/d autoscaled\n' });

    const atV1 = await kc.makeApiClient(AutoscalingV1Api).readNamespacedHorizontalPodAutoscaler({ name: 'd', namespace: 'default' });
    expect(atV1.spec).toMatchObject({ minReplicas: 1, maxReplicas: 5, targetCPUUtilizationPercentage: 60, scaleTargetRef: { kind: 'Deployment', name: 'd' } });
    const atV2 = await kc.makeApiClient(AutoscalingV2Api).readNamespacedHorizontalPodAutoscaler({ name: 'd', namespace: 'default' });
    expect(atV2.spec?.metrics).toEqual([{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 60 } } }]);
    expect(atV2.metadata?.uid).toBe(atV1.metadata?.uid);

    const wide = rows((await kubectl('get', 'hpa', '-o', 'wide')).stdout);
    expect(wide[0]).toEqual(['NAME', 'REFERENCE', 'TARGETS', 'MINPODS', 'MAXPODS', 'REPLICAS', 'AGE']);
    expect(wide[1]?.slice(0, 6)).toEqual(['d', 'Deployment/d', 'cpu: <unknown>/60%', '1', '5', '0']);
  });

  it('discovery lists autoscaling v2 as preferred and both versions', async () => {
    const out = await kubectl('api-versions');
    expect(out.stdout).toContain('autoscaling/v1\n');
    expect(out.stdout).toContain('autoscaling/v2\n');
    const group = JSON.parse((await kubectl('get', '--raw', '/apis/autoscaling')).stdout) as { preferredVersion: { version: string } };
    expect(group.preferredVersion.version).toBe('v2');
    const resources = (await kubectl('api-resources', '--api-group=storage.k8s.io', '-o', 'wide')).stdout;
    expect(resources).toMatch(/storageclasses\s+sc\s+storage\.k8s\.io\/v1\s+false\s+StorageClass/);
  });

  it('refuses a job whose pods restart Always with 422 and the field path', async () => {
    const out = await kubectl('create', 'cronjob', 'bad', '--image=busybox', '--schedule=61 * * * *');
    expect(out.code).toBe(1);
    expect(out.stderr).toContain('spec.schedule: Invalid value: "61 * * * *": end of range (61) above maximum (59): 61');
  });

  it('metrics.k8s.io answers empty lists from its provider', async () => {
    const out = JSON.parse((await kubectl('get', '--raw', '/apis/metrics.k8s.io/v1beta1/nodes')).stdout) as { kind: string; items: unknown[] };
    expect(out).toEqual({ kind: 'NodeMetricsList', apiVersion: 'metrics.k8s.io/v1beta1', metadata: {}, items: [] });
  });
});
