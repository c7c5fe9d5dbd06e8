/**
 * The simulated kubelet in a real cluster: two worker nodes register, a pod bound by
 * spec.nodeName runs and turns Ready with an IP from its node's pod CIDR, and kubectl 1.33
 * reads its log, execs into it to read a mounted ConfigMap, and shows `top`.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configmaps } from '../../../src/kubernetes/apiserver/resources/configmaps.js';
import { leases } from '../../../src/kubernetes/apiserver/resources/leases.js';
import { nodes } from '../../../src/kubernetes/apiserver/resources/nodes.js';
import { pods } from '../../../src/kubernetes/apiserver/resources/pods.js';
import { objectAt, stringAt, type KubeObject } from '../../../src/kubernetes/apiserver/object.js';
import { kubectlPath, runKubectl, startTestCluster, type TestCluster } from './fixture.js';

let cluster: TestCluster;
let bin: string;
const home = mkdtempSync(join(tmpdir(), 'kos-kubelet-home-'));
const kubectl = (args: string[]) => runKubectl(bin, cluster, args, home);

async function waitFor<T>(what: string, fn: () => Promise<T | undefined>, ms = 10_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn().catch(() => undefined);
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const status = (p: KubeObject) => p.status as { phase?: string; podIP?: string; conditions?: { type: string; status: string }[]; containerStatuses?: { ready: boolean; state: Record<string, unknown> }[] };

beforeAll(async () => {
  bin = kubectlPath();
  const size = { cpu: '4', memory: '16Gi', pods: 110, ephemeralStorage: '100Gi', instanceType: 'm1.xlarge' };
  cluster = await startTestCluster({ nodes: [{ prefix: 'w', role: 'worker', count: 2, zones: ['az1', 'az2'], ...size }] });
  await cluster.registry.create(configmaps, 'default', { metadata: { name: 'app-config' }, data: { greeting: 'hello from a configmap\n' } });
  await cluster.registry.create(pods, 'default', {
    metadata: { name: 'web', labels: { app: 'web' }, annotations: { 'sim.kos.dev/cpu-usage': '250m', 'sim.kos.dev/memory-usage': '64Mi' } },
    spec: {
      nodeName: 'w-1',
      containers: [{ name: 'app', image: 'nginx', volumeMounts: [{ name: 'config', mountPath: '/etc/config' }] }],
      volumes: [{ name: 'config', configMap: { name: 'app-config' } }],
    },
  });
  await cluster.registry.create(pods, 'default', {
    metadata: { name: 'hello' },
    spec: { nodeName: 'w-0', restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox', command: ['sh', '-c', 'echo hello; echo world'] }] },
  });
}, 60_000);

afterAll(async () => {
  await cluster?.close();
});

describe('simulated kubelet', () => {
  it('registers the nodes with labels, pod CIDRs, Ready and a lease', async () => {
    const node = await waitFor('node w-1', () => cluster.registry.get(nodes, undefined, 'w-1'));
    expect(node.metadata.labels?.['topology.kubernetes.io/zone']).toBe('az2');
    expect(node.metadata.labels?.['kubernetes.io/hostname']).toBe('w-1');
    expect((node.spec as { podCIDR: string }).podCIDR).toBe('10.64.1.0/24');
    const ready = (node.status as { conditions: { type: string; status: string; reason: string }[] }).conditions.find((c) => c.type === 'Ready');
    expect(ready).toMatchObject({ status: 'True', reason: 'KubeletReady' });
    const lease = await waitFor('lease', () => cluster.registry.get(leases, 'kube-node-lease', 'w-1'));
    expect((lease.spec as { holderIdentity: string }).holderIdentity).toBe('w-1');
  });

  it('runs a bound pod to Running and Ready with an IP from the node CIDR', async () => {
    const pod = await waitFor('web running', async () => {
      const p = await cluster.registry.get(pods, 'default', 'web');
      return status(p).phase === 'Running' && status(p).conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ? p : undefined;
    });
    expect(status(pod).podIP).toMatch(/^10\.64\.1\.\d+$/);
    expect(status(pod).containerStatuses?.[0]?.ready).toBe(true);
    expect(Object.keys(status(pod).containerStatuses?.[0]?.state ?? {})).toEqual(['running']);
  });

  it('runs a pod the scheduler placed', async () => {
    await cluster.registry.create(pods, 'default', { metadata: { name: 'placed' }, spec: { containers: [{ name: 'app', image: 'nginx' }] } });
    const pod = await waitFor('placed running', async () => {
      const p = await cluster.registry.get(pods, 'default', 'placed');
      return status(p).phase === 'Running' ? p : undefined;
    });
    const node = (pod.spec as { nodeName: string }).nodeName;
    expect(['w-0', 'w-1']).toContain(node);
    expect(status(pod).podIP).toMatch(node === 'w-0' ? /^10\.64\.0\.\d+$/ : /^10\.64\.1\.\d+$/);
  });

  it('runs a command container to completion and keeps its log', async () => {
    await waitFor('hello succeeded', async () => ((status(await cluster.registry.get(pods, 'default', 'hello')).phase === 'Succeeded') ? true : undefined));
    const logs = await kubectl(['logs', 'hello']);
    expect(logs.stderr).toBe('');
    expect(logs.stdout).toBe('hello\nworld\n');
  });

  it('serves kubectl logs and exec over the mounted ConfigMap', async () => {
    const logs = await kubectl(['logs', 'web']);
    expect(logs.stdout).toContain('started from image nginx');
    const cat = await kubectl(['exec', 'web', '--', 'cat', '/etc/config/greeting']);
    expect(cat.stderr).toBe('');
    expect(cat.stdout).toBe('hello from a configmap\n');
    const missing = await kubectl(['exec', 'web', '--', 'sh', '-c', 'nosuch']);
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toContain('sh: nosuch: not found');
  });

  it('forwards a port to the pod for kubectl port-forward and an HTTP client', async () => {
    const child = spawn(bin, ['--kubeconfig', cluster.kubeconfigPath, 'port-forward', 'pod/web', ':80'], { env: { ...process.env, HOME: home } });
    try {
      const port = await new Promise<number>((resolve, reject) => {
        let out = '';
        child.stdout.on('data', (d: Buffer) => {
          out += d.toString();
          const m = /Forwarding from 127\.0\.0\.1:(\d+)/.exec(out);
          if (m) resolve(Number(m[1]));
        });
        child.once('exit', (code) => reject(new Error(`kubectl port-forward exited with ${code}`)));
      });
      const res = await fetch(`http://127.0.0.1:${port}/`);
      expect(res.status).toBe(200);
      expect(await res.text()).toContain('<h1>Hello from web</h1>');
    } finally {
      child.kill();
    }
  });

  it('answers kubectl top nodes and top pods', async () => {
    const top = await kubectl(['top', 'pods']);
    expect(top.stderr).toBe('');
    expect(top.stdout).toMatch(/web\s+250m\s+64Mi/);
    // PodMetrics carry the pod's labels, so a selector picks pods.
    const selected = await kubectl(['top', 'pods', '-l', 'app=web']);
    expect(selected.stderr).toBe('');
    expect(selected.stdout).toMatch(/^web\s+250m\s+64Mi/m);
    // A node's usage: the system's 100m and 512Mi, web's 250m and 64Mi on w-1, and the
    // scheduler's pod (no requests: 1m and 4Mi) wherever it was placed.
    const placedOn = stringAt(objectAt(await cluster.registry.get(pods, 'default', 'placed'), 'spec') ?? {}, 'nodeName');
    const topNodes = await kubectl(['top', 'nodes']);
    expect(topNodes.stderr).toBe('');
    expect(topNodes.stdout).toMatch(placedOn === 'w-1' ? /w-1\s+351m\s+\d+%\s+580Mi/ : /w-1\s+350m\s+\d+%\s+576Mi/);
  });
});
