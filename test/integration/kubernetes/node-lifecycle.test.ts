/**
 * Node lifecycle, taint-based eviction, ResourceQuota and PodDisruptionBudget status in a
 * real cluster (controllers on, no kubelets) on a VirtualClock, observed with kubectl
 * 1.33: a node whose Lease stops being renewed goes Unknown and is tainted unreachable,
 * and its pod is evicted once its tolerationSeconds are over.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VirtualClock } from '../../../src/core/clock.js';
import type { ResourceDefinition } from '../../../src/kubernetes/apiserver/resource.js';
import { leases } from '../../../src/kubernetes/apiserver/resources/leases.js';
import { nodes } from '../../../src/kubernetes/apiserver/resources/nodes.js';
import { poddisruptionbudgets } from '../../../src/kubernetes/apiserver/resources/poddisruptionbudgets.js';
import { pods } from '../../../src/kubernetes/apiserver/resources/pods.js';
import { resourcequotas } from '../../../src/kubernetes/apiserver/resources/resourcequotas.js';
import { rfc3339 } from '../../../src/kubernetes/apiserver/time.js';
import { kubectlPath, runKubectl, startTestCluster, type KubectlResult, type TestCluster } from './fixture.js';

let cluster: TestCluster;
let clock: VirtualClock;
let kubectlBin: string;
let home: string;

beforeAll(async () => {
  kubectlBin = kubectlPath();
  home = mkdtempSync(join(tmpdir(), 'kos-kubectl-home-'));
  // Start at the real time so the cluster's certificates are valid for kubectl.
  clock = new VirtualClock(Math.floor(Date.now() / 1000) * 1000);
  cluster = await startTestCluster({ clock });
  await kubectl('create', 'namespace', 'lifecycle');
}, 60_000);

afterAll(async () => {
  await cluster?.close();
});

function kubectl(...args: string[]): Promise<KubectlResult> {
  return runKubectl(kubectlBin, cluster, args, home);
}

async function createFile(name: string, obj: unknown): Promise<KubectlResult> {
  const file = join(cluster.dataDir, `${name}.json`);
  writeFileSync(file, JSON.stringify(obj));
  return kubectl('create', '-f', file);
}

/** Move virtual time in steps, letting the controllers' I/O run between them, until check passes. */
async function advanceUntil(check: () => Promise<boolean>, maxMs: number, stepMs = 1000): Promise<void> {
  for (let t = 0; t <= maxMs; t += stepMs) {
    if (await check()) return;
    await clock.advance(stepMs);
    await new Promise((r) => setTimeout(r, 5));
  }
  throw new Error('the cluster did not reach the expected state');
}

/** The stored object's status, read through the registry (no kubectl process per poll). */
async function storedStatus(def: ResourceDefinition, namespace: string, name: string): Promise<Record<string, unknown>> {
  const status = (await cluster.registry.get(def, namespace, name)).status;
  return typeof status === 'object' && status !== null ? (status as Record<string, unknown>) : {};
}

const jsonpath = async (path: string, ...target: string[]): Promise<string> => (await kubectl('get', ...target, '-o', `jsonpath=${path}`)).stdout;

describe('node lifecycle through kubectl 1.33', () => {
  it('taints a node whose lease expired and evicts its pod after tolerationSeconds', async () => {
    const now = rfc3339(clock.now());
    await cluster.registry.create(nodes, undefined, { metadata: { name: 'edge-1', labels: { 'kubernetes.io/hostname': 'edge-1' } } });
    await cluster.registry.updateWith(
      nodes,
      undefined,
      'edge-1',
      (n) => ({ ...n, status: { conditions: [{ type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'kubelet is posting ready status', lastHeartbeatTime: now, lastTransitionTime: now }] } }),
      { subresource: 'status' },
    );
    await cluster.registry.create(leases, 'kube-node-lease', { metadata: { name: 'edge-1' }, spec: { holderIdentity: 'edge-1', leaseDurationSeconds: 40, renewTime: new Date(clock.now()).toISOString() } });
    const created = await createFile('edge-pod', {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'edge-pod', namespace: 'lifecycle' },
      spec: {
        nodeName: 'edge-1',
        containers: [{ name: 'app', image: 'nginx' }],
        tolerations: [{ key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 30 }],
      },
    });
    expect(created).toMatchObject({ code: 0 });
    const describe = await kubectl('describe', 'pod', 'edge-pod', '-n', 'lifecycle');
    expect(describe.stdout).toMatch(/Tolerations:\s+node\.kubernetes\.io\/not-ready:NoExecute op=Exists for 300s\n\s+node\.kubernetes\.io\/unreachable:NoExecute op=Exists for 30s/);
    expect(await jsonpath('{.spec.taints}', 'node', 'edge-1')).toBe('');

    // No renewal: 40 s later the node is Unknown and tainted unreachable.
    // Polled through the registry (cheap); what kubectl shows is checked once it happened.
    await advanceUntil(async () => (JSON.stringify((await cluster.registry.get(nodes, undefined, 'edge-1')).spec) ?? '').includes('unreachable'), 60_000, 2000);
    const taintedAt = Date.parse(await jsonpath('{.spec.taints[?(@.effect=="NoExecute")].timeAdded}', 'node', 'edge-1'));
    expect(taintedAt).toBeGreaterThan(clock.now() - 3000);
    expect(await jsonpath('{.spec.taints[*].effect}', 'node', 'edge-1')).toBe('NoSchedule NoExecute');
    expect(await jsonpath('{.status.conditions[?(@.type=="Ready")].message}', 'node', 'edge-1')).toBe('Kubelet stopped posting node status.');
    const table = await kubectl('get', 'node', 'edge-1');
    expect(table.stdout).toMatch(/edge-1\s+Unknown/);

    // The pod tolerates unreachable for 30 s, then it is evicted (Terminating: no kubelet finishes it).
    await advanceUntil(async () => (await cluster.registry.get(pods, 'lifecycle', 'edge-pod')).metadata.deletionTimestamp !== undefined, 40_000, 2000);
    expect(await jsonpath('{.metadata.deletionTimestamp}', 'pod', 'edge-pod', '-n', 'lifecycle')).not.toBe('');
    expect(clock.now() - taintedAt).toBeGreaterThanOrEqual(30_000);
    const events = await kubectl('get', 'events', '-n', 'lifecycle', '--field-selector', 'involvedObject.name=edge-pod', '-o', 'jsonpath={.items[*].reason}');
    expect(events.stdout.split(' ')).toContain('TaintManagerEviction');
    const pod = await cluster.registry.get(pods, 'lifecycle', 'edge-pod');
    expect(JSON.stringify(pod.status)).toContain('DeletionByTaintManager');
  }, 120_000);

  it('refuses a pod over a ResourceQuota with the real server\'s message', async () => {
    expect(await kubectl('create', 'quota', 'compute', '-n', 'lifecycle', '--hard=requests.cpu=1,pods=5')).toMatchObject({ code: 0 });
    await advanceUntil(async () => (await storedStatus(resourcequotas, 'lifecycle', 'compute')).used !== undefined, 5000, 100);
    const refused = await createFile('big', {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'big', namespace: 'lifecycle' },
      spec: { containers: [{ name: 'app', image: 'nginx', resources: { requests: { cpu: '2' } } }] },
    });
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain('pods "big" is forbidden: exceeded quota: compute, requested: requests.cpu=2, used: requests.cpu=0, limited: requests.cpu=1');
    const described = await kubectl('describe', 'quota', 'compute', '-n', 'lifecycle');
    expect(described.stdout).toMatch(/requests\.cpu\s+0\s+1/);
  }, 60_000);

  it('fills in a PodDisruptionBudget\'s status', async () => {
    expect(await kubectl('create', 'pdb', 'web', '-n', 'lifecycle', '--selector=app=web', '--min-available=1')).toMatchObject({ code: 0 });
    for (const name of ['web-1', 'web-2']) {
      await cluster.registry.create(pods, 'lifecycle', { metadata: { name, labels: { app: 'web' } }, spec: { containers: [{ name: 'app', image: 'nginx', resources: { requests: { cpu: '100m' } } }] } });
      await cluster.registry.updateWith(pods, 'lifecycle', name, (p) => ({ ...p, status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }] } }), { subresource: 'status' });
    }
    await advanceUntil(async () => (await storedStatus(poddisruptionbudgets, 'lifecycle', 'web')).disruptionsAllowed === 1, 5000, 100);
    expect(await jsonpath('{.status.currentHealthy}/{.status.desiredHealthy}/{.status.expectedPods}/{.status.observedGeneration}', 'pdb', 'web', '-n', 'lifecycle')).toBe('2/1/2/1');
    const table = await kubectl('get', 'pdb', 'web', '-n', 'lifecycle');
    expect(table.stdout).toMatch(/web\s+1\s+N\/A\s+1\s+/);
  }, 60_000);
});
