import { describe, expect, it } from 'vitest';
import { parseGoDuration, steeringOf } from '../../../../src/drivers/runtime/sim/steering.js';
import { seededRandom, stageDuration } from '../../../../src/drivers/runtime/sim/stages.js';
import { normalizeImage } from '../../../../src/drivers/runtime/sim/sim-runtime.js';
import type { KubeObject } from '../../../../src/kubernetes/apiserver/object.js';
import { crashLoopDelayMs } from '../../../../src/kubernetes/kubelet/backoff.js';
import { internalIPFor, nodeIdentities, podCIDRFor } from '../../../../src/kubernetes/kubelet/node-identity.js';
import { leaseRenewMs } from '../../../../src/kubernetes/kubelet/node-heartbeat.js';
import { PodIPAllocator } from '../../../../src/kubernetes/kubelet/pod-ip-allocator.js';
import { missingVolumeSources, volumeFiles } from '../../../../src/kubernetes/kubelet/volumes.js';

const size = { cpu: '4', memory: '16Gi', pods: 110, ephemeralStorage: '100Gi', instanceType: 'm1.xlarge' };

describe('node identities', () => {
  it('names nodes by prefix and index, zones round-robin, addresses by global index', () => {
    const ids = nodeIdentities([
      { prefix: 'cp', role: 'control-plane', count: 1, zones: ['az1'], ...size },
      { prefix: 'w', role: 'worker', count: 4, zones: ['az1', 'az2', 'az3'], ...size },
    ]);
    expect(ids.map((n) => `${n.name}@${n.zone}`)).toEqual(['cp-0@az1', 'w-0@az1', 'w-1@az2', 'w-2@az3', 'w-3@az1']);
    expect(ids[4]).toMatchObject({ index: 4, internalIP: '10.0.0.14', podCIDR: '10.64.4.0/24' });
  });

  it('has a distinct /24 for every node up to the Kubernetes limit and beyond', () => {
    expect(podCIDRFor(0)).toBe('10.64.0.0/24');
    expect(podCIDRFor(256)).toBe('10.65.0.0/24');
    expect(podCIDRFor(4999)).toBe('10.83.135.0/24');
    expect(podCIDRFor(16383)).toBe('10.127.255.0/24');
    expect(() => podCIDRFor(16384)).toThrow(/beyond/);
    expect(internalIPFor(300)).toBe('10.0.1.54');
  });

  it('renews leases every 10 s for small clusters and at most every 20 s for 5000 nodes', () => {
    expect(leaseRenewMs(4)).toBe(10_000);
    expect(leaseRenewMs(1000)).toBe(10_000);
    expect(leaseRenewMs(5000)).toBe(20_000);
  });
});

describe('pod IP allocation', () => {
  it('hands out .2 to .254 round-robin and never one address twice', () => {
    const a = new PodIPAllocator('10.64.3.0/24');
    expect(a.allocate('p1')).toBe('10.64.3.2');
    expect(a.allocate('p2')).toBe('10.64.3.3');
    a.release('10.64.3.2', 'p1');
    // The freed address is the last to come back.
    expect(a.allocate('p3')).toBe('10.64.3.4');
    const handed: (string | undefined)[] = [];
    for (let i = 0; i < 251; i++) handed.push(a.allocate(`q${i}`));
    const seen = new Set(handed);
    expect(seen.size).toBe(251);
    expect(handed.at(-1)).toBe('10.64.3.2');
    expect(seen.has('10.64.3.3')).toBe(false);
    expect(a.allocate('full')).toBeUndefined();
  });

  it('re-reserves a reported address only for its owner and only in range', () => {
    const a = new PodIPAllocator('10.64.0.0/24');
    expect(a.reserve('10.64.0.9', 'p1')).toBe(true);
    expect(a.reserve('10.64.0.9', 'p2')).toBe(false);
    expect(a.reserve('10.64.1.9', 'p2')).toBe(false);
    a.release('10.64.0.9', 'p2');
    expect(a.inUse()).toBe(1);
  });
});

describe('crash loop back-off', () => {
  it('restarts at once, then waits 10 s doubling to 5 minutes', () => {
    expect([0, 1, 2, 3, 4, 5, 6, 7].map(crashLoopDelayMs)).toEqual([0, 10_000, 20_000, 40_000, 80_000, 160_000, 300_000, 300_000]);
  });
});

describe('stages and steering', () => {
  it('parses Go durations', () => {
    expect(parseGoDuration('5s')).toBe(5000);
    expect(parseGoDuration('1m30s')).toBe(90_000);
    expect(parseGoDuration('1.5h')).toBe(5_400_000);
    expect(parseGoDuration('250ms')).toBe(250);
    expect(parseGoDuration('5')).toBeUndefined();
    expect(parseGoDuration('5s junk')).toBeUndefined();
  });

  it('turns annotations into exit plans', () => {
    expect(steeringOf({ 'sim.kos.dev/run-duration': '5s' })).toEqual({ exitAfterMs: 5000, exitCode: 0 });
    expect(steeringOf({ 'sim.kos.dev/crash-after': '2s' })).toEqual({ exitAfterMs: 2000, exitCode: 1 });
    expect(steeringOf({ 'sim.kos.dev/exit-code': '3' })).toEqual({ exitAfterMs: 0, exitCode: 3 });
    expect(steeringOf({ 'sim.kos.dev/ready-after': '10s' })).toEqual({ readyAfterMs: 10_000 });
  });

  it('draws jitter from a seeded source, so runs replay', () => {
    const a = seededRandom(7);
    const b = seededRandom(7);
    const stage = { delayMs: 100, jitterMs: 50 };
    const xs = [1, 2, 3].map(() => stageDuration(stage, a));
    expect([1, 2, 3].map(() => stageDuration(stage, b))).toEqual(xs);
    for (const x of xs) expect(x >= 100 && x < 150).toBe(true);
    expect(stageDuration({ delayMs: 0, jitterMs: 0 }, a)).toBe(0);
  });

  it('names images as containerd reports them', () => {
    expect(normalizeImage('nginx')).toBe('docker.io/library/nginx:latest');
    expect(normalizeImage('bitnami/redis:7')).toBe('docker.io/bitnami/redis:7');
    expect(normalizeImage('registry.k8s.io/pause:3.9')).toBe('registry.k8s.io/pause:3.9');
  });
});

describe('volume materialisation', () => {
  const cm: KubeObject = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cfg', namespace: 'ns' }, data: { a: 'A', b: 'B' } };
  const secret: KubeObject = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's', namespace: 'ns' }, data: { password: Buffer.from('hunter2').toString('base64') } };
  const sources = {
    configMap: (ns: string, name: string) => (ns === 'ns' && name === 'cfg' ? cm : undefined),
    secret: (ns: string, name: string) => (ns === 'ns' && name === 's' ? secret : undefined),
  };
  const pod: KubeObject = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'ns', labels: { app: 'web' } }, spec: { serviceAccountName: 'robot' } };
  const text = (m: Map<string, Uint8Array>) => Object.fromEntries([...m].map(([k, v]) => [k, Buffer.from(v).toString()]));

  it('writes configMap keys, or only the chosen items at their paths', () => {
    expect(text(volumeFiles(pod, { configMap: { name: 'cfg' } }, sources))).toEqual({ a: 'A', b: 'B' });
    expect(text(volumeFiles(pod, { configMap: { name: 'cfg', items: [{ key: 'b', path: 'dir/bee' }] } }, sources))).toEqual({ 'dir/bee': 'B' });
  });

  it('decodes secrets and fills downward API and projected sources', () => {
    expect(text(volumeFiles(pod, { secret: { secretName: 's' } }, sources))).toEqual({ password: 'hunter2' });
    expect(text(volumeFiles(pod, { downwardAPI: { items: [{ path: 'labels', fieldRef: { fieldPath: 'metadata.labels' } }, { path: 'ns', fieldRef: { fieldPath: 'metadata.namespace' } }] } }, sources))).toEqual({ labels: 'app="web"', ns: 'ns' });
    const projected = text(volumeFiles(pod, { projected: { sources: [{ configMap: { name: 'cfg', items: [{ key: 'a', path: 'ca.crt' }] } }, { serviceAccountToken: { path: 'token' } }, { downwardAPI: { items: [{ path: 'namespace', fieldRef: { fieldPath: 'metadata.namespace' } }] } }] } }, sources));
    expect(projected['ca.crt']).toBe('A');
    expect(projected.namespace).toBe('ns');
    const claims = JSON.parse(Buffer.from(projected.token!.split('.')[1]!, 'base64url').toString()) as { sub: string };
    expect(claims.sub).toBe('system:serviceaccount:ns:robot');
  });

  it('reports missing non-optional sources', () => {
    const p: KubeObject = { ...pod, spec: { volumes: [{ name: 'x', configMap: { name: 'nope' } }, { name: 'y', secret: { secretName: 'gone', optional: true } }, { name: 'z', configMap: { name: 'cfg' } }] } };
    expect(missingVolumeSources(p, sources)).toEqual(['configmap "nope"']);
  });
});
