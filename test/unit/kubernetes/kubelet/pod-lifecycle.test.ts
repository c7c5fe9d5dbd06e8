import { afterEach, describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../../src/kubernetes/apiserver/object.js';
import { leases } from '../../../../src/kubernetes/apiserver/resources/leases.js';
import { nodes } from '../../../../src/kubernetes/apiserver/resources/nodes.js';
import { pods } from '../../../../src/kubernetes/apiserver/resources/pods.js';
import { parseQuantity } from '../../../../src/kubernetes/apiserver/resources/quantity.js';
import { SimRuntime } from '../../../../src/drivers/runtime/sim/index.js';
import { kubeletWorld, type KubeletWorld } from './harness.js';

interface CStatus {
  name: string;
  ready: boolean;
  restartCount: number;
  started: boolean;
  containerID?: string;
  imageID: string;
  state: { running?: { startedAt: string }; waiting?: { reason: string; message?: string }; terminated?: { exitCode: number; reason: string } };
  lastState: { terminated?: { exitCode: number; reason: string } };
}
interface PStatus {
  phase: string;
  podIP?: string;
  hostIP?: string;
  qosClass?: string;
  startTime?: string;
  conditions: { type: string; status: string; reason?: string }[];
  containerStatuses: CStatus[];
  initContainerStatuses?: CStatus[];
}
const st = (p: KubeObject) => p.status as PStatus;
const cond = (p: KubeObject, type: string) => st(p).conditions.find((c) => c.type === type)?.status;

let w: KubeletWorld;
afterEach(async () => {
  await w?.close();
});

const create = (name: string, spec: Record<string, unknown>, annotations?: Record<string, string>) =>
  w.registry.create(pods, 'default', { metadata: { name, ...(annotations ? { annotations } : {}) }, spec: { nodeName: 'n-0', ...spec } });

describe('simulated kubelet pod lifecycle', () => {
  it('takes a bound pod to Running and Ready in a single status write', async () => {
    w = await kubeletWorld();
    await create('web', { containers: [{ name: 'app', image: 'nginx', resources: { requests: { cpu: '100m' } } }] });
    await w.settle();
    const p = await w.pod('web');
    expect(st(p).phase).toBe('Running');
    expect(st(p).podIP).toBe('10.64.0.2');
    expect(st(p).hostIP).toBe('10.0.0.10');
    expect(st(p).qosClass).toBe('Burstable');
    expect(['PodReadyToStartContainers', 'Initialized', 'Ready', 'ContainersReady'].map((t) => cond(p, t))).toEqual(['True', 'True', 'True', 'True']);
    const c = st(p).containerStatuses[0]!;
    expect(c).toMatchObject({ name: 'app', ready: true, started: true, restartCount: 0, image: 'docker.io/library/nginx:latest' });
    expect(c.containerID).toMatch(/^kos-sim:\/\/[0-9a-f]{64}$/);
    expect(c.imageID).toMatch(/^docker\.io\/library\/nginx@sha256:[0-9a-f]{64}$/);
    expect(c.state.running?.startedAt).toBe('2026-01-01T00:00:00Z');
    // One write creating the pod, one status write.
    expect(w.writes('web')).toBe(2);
  });

  it('does not sync a pod again for its own status coming back, but puts back a status someone else wrote', async () => {
    // Each sync of a running pod asks the runtime about its container: count the asks.
    let asks = 0;
    w = await kubeletWorld({
      driverFor: (clock) => {
        const sim = new SimRuntime({ clock, parseQuantity });
        const containerStatus = sim.containerStatus.bind(sim);
        sim.containerStatus = (id) => {
          asks++;
          return containerStatus(id);
        };
        return sim;
      },
    });
    await create('web', { containers: [{ name: 'app', image: 'nginx' }] });
    await w.settle();
    expect(st(await w.pod('web')).phase).toBe('Running');
    const atStart = asks;
    // A label is news to the kubelet (metrics carry labels): one sync, no write.
    await w.registry.updateWith(pods, 'default', 'web', (p) => ({ ...p, metadata: { ...p.metadata, labels: { tier: 'front' } } }));
    await w.settle();
    expect(asks - atStart).toBe(1);
    expect(w.writes('web')).toBe(3);
    // Someone else's status is not the kubelet's: it syncs and writes its own back. That
    // write coming back is not synced again.
    await w.registry.updateWith(pods, 'default', 'web', (p) => ({ ...p, status: { ...(p.status as object), phase: 'Pending' } }), { subresource: 'status' });
    await w.settle();
    expect(st(await w.pod('web')).phase).toBe('Running');
    expect(w.writes('web')).toBe(5);
    expect(asks - atStart).toBe(2);
  });

  it('completes a pod after its run-duration and fails one with an exit code', async () => {
    w = await kubeletWorld();
    await create('job', { restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox' }] }, { 'sim.kos.dev/run-duration': '5s' });
    await create('bad', { restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox' }] }, { 'sim.kos.dev/exit-code': '3' });
    await w.settle();
    expect(st(await w.pod('job')).phase).toBe('Running');
    await w.clock.advance(4999);
    expect(st(await w.pod('job')).phase).toBe('Running');
    await w.clock.advance(1);
    await w.settle();
    const done = await w.pod('job');
    expect(st(done).phase).toBe('Succeeded');
    expect(st(done).containerStatuses[0]!.state.terminated).toMatchObject({ exitCode: 0, reason: 'Completed' });
    expect(st(done).conditions.find((c) => c.type === 'Ready')).toMatchObject({ status: 'False', reason: 'PodCompleted' });
    const bad = await w.pod('bad');
    expect(st(bad).phase).toBe('Failed');
    expect(st(bad).containerStatuses[0]!.state.terminated).toMatchObject({ exitCode: 3, reason: 'Error' });
  });

  it('restarts a crashing container with CrashLoopBackOff doubling from 10 s', async () => {
    w = await kubeletWorld();
    await create('crash', { containers: [{ name: 'c', image: 'busybox' }] }, { 'sim.kos.dev/crash-after': '1s' });
    await w.settle();
    await w.clock.advance(1000); // first crash: restarted at once
    await w.settle();
    let c = st(await w.pod('crash')).containerStatuses[0]!;
    expect(c.restartCount).toBe(1);
    expect(c.lastState.terminated).toMatchObject({ exitCode: 1, reason: 'Error' });
    expect(c.state.running).toBeDefined();
    const crash = await w.pod('crash');
    const previous: Buffer[] = [];
    for await (const chunk of w.agents.runtime(crash).logs(crash, 'c', { follow: false, timestamps: false, previous: true }, new AbortController().signal)) previous.push(chunk);
    expect(Buffer.concat(previous).toString()).toBe('kos-sim: c running for 1s\n');
    await w.clock.advance(1000); // second crash: back-off 10 s
    await w.settle();
    const p = await w.pod('crash');
    c = st(p).containerStatuses[0]!;
    expect(c.state.waiting?.reason).toBe('CrashLoopBackOff');
    expect(c.state.waiting?.message).toMatch(/^back-off 10s restarting failed container=c pod=crash_default\(/);
    expect(c.lastState.terminated).toMatchObject({ exitCode: 1, reason: 'Error', finishedAt: '2026-01-01T00:00:02Z' });
    expect(st(p).phase).toBe('Running');
    expect(cond(p, 'Ready')).toBe('False');
    await w.clock.advance(9999);
    await w.settle();
    expect(st(await w.pod('crash')).containerStatuses[0]!.restartCount).toBe(1);
    await w.clock.advance(1);
    await w.settle();
    c = st(await w.pod('crash')).containerStatuses[0]!;
    expect(c.restartCount).toBe(2);
    expect(c.state.running).toBeDefined();
  });

  it('runs init containers in order before the main ones', async () => {
    w = await kubeletWorld();
    await create('init', {
      initContainers: [
        { name: 'wait', image: 'busybox', command: ['sh', '-c', 'sleep 2'] },
        { name: 'hello', image: 'busybox', command: ['echo', 'hi'] },
      ],
      containers: [{ name: 'app', image: 'nginx' }],
    });
    await w.settle();
    let p = await w.pod('init');
    expect(st(p).phase).toBe('Pending');
    expect(st(p).conditions.find((c) => c.type === 'Initialized')).toMatchObject({ status: 'False', reason: 'ContainersNotInitialized' });
    expect(st(p).containerStatuses[0]!.state.waiting?.reason).toBe('PodInitializing');
    expect(st(p).initContainerStatuses!.map((c) => Object.keys(c.state)[0])).toEqual(['running', 'waiting']);
    await w.clock.advance(2000);
    await w.settle();
    p = await w.pod('init');
    expect(st(p).phase).toBe('Running');
    expect(cond(p, 'Initialized')).toBe('True');
    expect(st(p).initContainerStatuses!.map((c) => c.state.terminated?.reason)).toEqual(['Completed', 'Completed']);
  });

  it('turns Ready after the readiness probe initial delay', async () => {
    w = await kubeletWorld();
    await create('slow', { containers: [{ name: 'app', image: 'nginx', readinessProbe: { httpGet: { path: '/', port: 80 }, initialDelaySeconds: 5 } }] });
    await w.settle();
    expect(cond(await w.pod('slow'), 'Ready')).toBe('False');
    expect(st(await w.pod('slow')).phase).toBe('Running');
    await w.clock.advance(5000);
    await w.settle();
    expect(cond(await w.pod('slow'), 'Ready')).toBe('True');
  });

  it('stops a node\'s heartbeats while it is down and resumes them', async () => {
    w = await kubeletWorld();
    const renewTime = async () => ((await w.registry.get(leases, 'kube-node-lease', 'n-1')).spec as { renewTime: string }).renewTime;
    expect((await w.registry.get(nodes, undefined, 'n-1')).metadata.labels?.['topology.kubernetes.io/zone']).toBe('az2');
    const first = await renewTime();
    await w.clock.advance(10_000);
    await w.settle();
    const second = await renewTime();
    expect(second > first).toBe(true);
    w.agents.setNodeHealthy('n-1', false);
    await w.clock.advance(60_000);
    await w.settle();
    expect(await renewTime()).toBe(second);
    w.agents.setNodeHealthy('n-1', true);
    await w.settle();
    expect(await renewTime()).toBe('2026-01-01T00:01:10.000000Z');
  });

  it('frees the IP of a deleted pod for later reuse and serves exec, logs and metrics', async () => {
    w = await kubeletWorld();
    await create('a', { containers: [{ name: 'c', image: 'busybox', command: ['sh', '-c', 'echo started; sleep 3600'], env: [{ name: 'FOO', value: 'bar' }] }] });
    await w.settle();
    const a = await w.pod('a');
    const runtime = w.agents.runtime(a);
    const chunks: Buffer[] = [];
    for await (const c of runtime.logs(a, 'c', { follow: false, timestamps: true, previous: false }, new AbortController().signal)) chunks.push(c);
    expect(Buffer.concat(chunks).toString()).toBe('2026-01-01T00:00:00.000000000Z started\n');
    const session = await runtime.exec(a, 'c', ['printenv', 'FOO'], { stdin: false, stdout: true, stderr: true, tty: false });
    const out: Buffer[] = [];
    session.stdout!.on('data', (d: Buffer) => out.push(d));
    expect(await session.exit).toEqual({ exitCode: 0 });
    expect(Buffer.concat(out).toString()).toBe('bar\n');
    const refused = await runtime.exec(a, 'c', ['python'], { stdin: false, stdout: true, stderr: true, tty: false });
    expect(await refused.exit).toEqual({ error: expect.stringContaining('exec: "python": executable file not found in $PATH') as unknown });
    const [metrics] = await w.agents.metrics.pods('default');
    expect(metrics).toMatchObject({ metadata: { name: 'a' }, window: '30s', containers: [{ name: 'c', usage: { cpu: '1000000n', memory: '4096Ki' } }] });
    await w.registry.delete(pods, 'default', 'a');
    await w.settle();
    await create('b', { containers: [{ name: 'c', image: 'nginx' }] });
    await w.settle();
    expect(st(await w.pod('b')).podIP).toBe('10.64.0.3');
  });

  it('stops a pod marked for deletion, removes its sandbox and deletes it with a uid precondition', async () => {
    w = await kubeletWorld();
    await w.registry.create(pods, 'default', { metadata: { name: 'held', finalizers: ['example.com/hold'] }, spec: { nodeName: 'n-0', containers: [{ name: 'c', image: 'nginx' }] } });
    await w.settle();
    const before = await w.pod('held');
    expect(st(before).phase).toBe('Running');
    await w.registry.delete(pods, 'default', 'held');
    await w.settle();
    const marked = await w.pod('held');
    expect(marked.metadata.deletionTimestamp).toBeDefined();
    // The containers are gone from the runtime: exec is refused.
    await expect(w.agents.runtime(marked).exec(marked, 'c', ['true'], { stdin: false, stdout: true, stderr: true, tty: false })).rejects.toThrow(/waiting to start/);
    // The finalizer holds the object; once it is cleared the pod is gone for good.
    await w.registry.updateWith(pods, 'default', 'held', (cur) => ({ ...cur, metadata: { ...cur.metadata, finalizers: [] } }));
    await w.settle();
    await expect(w.pod('held')).rejects.toThrow(/not found/);
  });

  it('answers a port-forwarded HTTP request with a page naming the pod', async () => {
    w = await kubeletWorld();
    await create('pf', { containers: [{ name: 'c', image: 'nginx' }] });
    await w.settle();
    const pod = await w.pod('pf');
    const stream = await w.agents.runtime(pod).portForward(pod, 80);
    const got = new Promise<string>((resolve) => stream.once('data', (d: Buffer) => resolve(d.toString())));
    stream.write('GET / HTTP/1.1\r\nHost: localhost\r\n\r\n');
    const response = await got;
    expect(response.startsWith('HTTP/1.1 200 OK\r\n')).toBe(true);
    expect(response).toContain('<h1>Hello from pf</h1>');
    stream.destroy();
  });
});
