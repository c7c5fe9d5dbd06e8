/**
 * kubectl 1.33 against a cluster whose controllers run on a VirtualClock: Service IP and
 * node port allocation, `expose` with Endpoints and EndpointSlices, a Job completing and
 * a CronJob firing. No kubelet runs: pod status is written through the registry as the
 * kubelet would write it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VirtualClock } from '../../../src/core/clock.js';
import type { JsonObject, KubeObject } from '../../../src/kubernetes/apiserver/object.js';
import { jobs } from '../../../src/kubernetes/apiserver/resources/jobs.js';
import { pods } from '../../../src/kubernetes/apiserver/resources/pods.js';
import { kubectlPath, runKubectl, startTestCluster, type KubectlResult, type TestCluster } from './fixture.js';

let cluster: TestCluster;
let kubectlBin: string;
let home: string;
const clock = new VirtualClock(Date.UTC(2026, 0, 1));

beforeAll(async () => {
  kubectlBin = kubectlPath();
  home = mkdtempSync(join(tmpdir(), 'kos-kubectl-home-'));
  cluster = await startTestCluster({ clock });
});

afterAll(async () => {
  await cluster?.close();
  rmSync(home, { recursive: true, force: true });
});

const kubectl = (...args: string[]): Promise<KubectlResult> => runKubectl(kubectlBin, cluster, args, home);

/** Move the virtual clock in small steps until check holds. */
async function until(check: () => Promise<boolean>, stepMs = 50): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (await check()) return;
    await clock.advance(stepMs);
  }
  throw new Error('the cluster did not reach the expected state');
}

async function podsWith(label: string, value: string): Promise<KubeObject[]> {
  const all = await cluster.store.range(cluster.registry.keys.prefix(pods), {});
  return all.kvs.map((kv) => cluster.registry.decode(kv)).filter((p) => p.metadata.labels?.[label] === value);
}

const setPodStatus = (name: string, status: JsonObject): Promise<KubeObject> =>
  cluster.registry.updateWith(pods, 'default', name, (cur) => ({ ...cur, status: { ...((cur.status as JsonObject | undefined) ?? {}), ...status } }), { subresource: 'status' });

describe('services, jobs and cronjobs with kubectl 1.33', () => {
  it('kubectl create service nodeport allocates a cluster IP and honours a node port; a taken one is refused', async () => {
    const created = await kubectl('create', 'service', 'nodeport', 'web', '--tcp=80:8080', '--node-port=30080');
    expect(created).toMatchObject({ code: 0, stdout: 'service/web created\n' });
    const svc = JSON.parse((await kubectl('get', 'svc', 'web', '-o', 'json')).stdout) as { spec: JsonObject & { ports: JsonObject[] } };
    expect(String(svc.spec.clusterIP)).toMatch(/^10\.(9[6-9]|10[0-9]|11[01])\.\d+\.\d+$/);
    expect(svc.spec).toMatchObject({ type: 'NodePort', ipFamilies: ['IPv4'], ipFamilyPolicy: 'SingleStack', externalTrafficPolicy: 'Cluster' });
    expect(svc.spec.ports[0]).toMatchObject({ port: 80, targetPort: 8080, nodePort: 30080 });
    const clash = await kubectl('create', 'service', 'nodeport', 'web2', '--tcp=80:8080', '--node-port=30080');
    expect(clash.code).not.toBe(0);
    expect(clash.stderr).toBe('error: failed to create NodePort service: Service "web2" is invalid: spec.ports[0].nodePort: Invalid value: 30080: provided port is already allocated\n');
    const table = (await kubectl('get', 'svc', 'kubernetes')).stdout;
    expect(table).toMatch(/kubernetes\s+ClusterIP\s+10\.96\.0\.1\s+<none>\s+443\/TCP/);
  });

  it('kubectl expose gives a Service whose Endpoints and EndpointSlice follow the pod', async () => {
    expect((await kubectl('run', 'api-0', '--image=nginx', '--port=8080', '--labels=app=api')).code).toBe(0);
    const exposed = await kubectl('expose', 'pod', 'api-0', '--port=80', '--target-port=8080', '--name=api');
    expect(exposed).toMatchObject({ code: 0, stdout: 'service/api exposed\n' });
    await setPodStatus('api-0', { phase: 'Running', podIP: '10.244.1.7', podIPs: [{ ip: '10.244.1.7' }], conditions: [{ type: 'Ready', status: 'True' }] });
    await until(async () => (await kubectl('get', 'endpoints', 'api', '-o', 'jsonpath={.subsets[0].addresses[0].ip}')).stdout === '10.244.1.7');
    const ep = await kubectl('get', 'endpoints', 'api');
    expect(ep.stdout).toMatch(/api\s+10\.244\.1\.7:8080/);
    const slices = JSON.parse((await kubectl('get', 'endpointslices', '-l', 'kubernetes.io/service-name=api', '-o', 'json')).stdout) as { items: JsonObject[] };
    expect(slices.items).toHaveLength(1);
    expect(slices.items[0]).toMatchObject({
      addressType: 'IPv4',
      ports: [{ port: 8080, protocol: 'TCP' }],
      endpoints: [{ addresses: ['10.244.1.7'], conditions: { ready: true, serving: true, terminating: false }, targetRef: { kind: 'Pod', name: 'api-0' } }],
    });
  });

  it('a Job completes when its pod succeeds', async () => {
    expect((await kubectl('create', 'job', 'hello', '--image=busybox')).code).toBe(0);
    await until(async () => (await podsWith('batch.kubernetes.io/job-name', 'hello')).length === 1);
    const [pod] = await podsWith('batch.kubernetes.io/job-name', 'hello');
    await setPodStatus(pod!.metadata.name!, { phase: 'Succeeded' });
    await until(async () => (((await cluster.registry.get(jobs, 'default', 'hello')).status as JsonObject).completionTime as string | undefined) !== undefined);
    const table = (await kubectl('get', 'job', 'hello')).stdout;
    expect(table).toMatch(/hello\s+Complete\s+1\/1/);
    const conditions = (await kubectl('get', 'job', 'hello', '-o', 'jsonpath={.status.conditions[*].type}')).stdout;
    expect(conditions).toBe('SuccessCriteriaMet Complete');
  });

  it('a CronJob fires when the virtual clock passes its schedule; create job --from works', async () => {
    expect((await kubectl('create', 'cronjob', 'tick', '--image=busybox', '--schedule=*/1 * * * *')).code).toBe(0);
    const minute = Math.floor(clock.now() / 60_000) + 1;
    await clock.advance(60_000 - (clock.now() % 60_000));
    await until(async () => (await kubectl('get', 'jobs', '-o', 'name')).stdout.includes(`job.batch/tick-${minute}`));
    await until(async () => (JSON.parse((await kubectl('get', 'cronjob', 'tick', '-o', 'json')).stdout) as { status: JsonObject }).status.lastScheduleTime !== undefined);
    const after = JSON.parse((await kubectl('get', 'cronjob', 'tick', '-o', 'json')).stdout) as { status: { lastScheduleTime: string; active: JsonObject[] } };
    expect(after.status.lastScheduleTime).toBe(new Date(minute * 60_000).toISOString().replace(/\.\d+Z$/, 'Z'));
    expect(after.status.active.map((a) => a.name)).toEqual([`tick-${minute}`]);
    const manual = await kubectl('create', 'job', 'tick-manual', '--from=cronjob/tick');
    expect(manual).toMatchObject({ code: 0, stdout: 'job.batch/tick-manual created\n' });
  });
});
