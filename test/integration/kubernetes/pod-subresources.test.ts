/**
 * Pod subresources against a scripted runtime: kubectl 1.33's exec (WebSocket v5) and
 * logs, @kubernetes/client-node's Exec, Log and PortForward, and pods/binding and
 * pods/eviction.
 */
import { execFile, spawn } from 'node:child_process';
import { openSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { promisify } from 'node:util';
import { CoreV1Api, Exec, KubeConfig, Log, PortForward, type V1Status } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { nodes } from '../../../src/kubernetes/apiserver/resources/nodes.js';
import { poddisruptionbudgets } from '../../../src/kubernetes/apiserver/resources/poddisruptionbudgets.js';
import { pods } from '../../../src/kubernetes/apiserver/resources/pods.js';
import { FakeRuntime } from '../../unit/kubernetes/streaming/fake-runtime.js';
import { kubectlPath, startTestCluster, type TestCluster } from './fixture.js';

const run = promisify(execFile);
const runtime = new FakeRuntime();
let cluster: TestCluster;
let kubectlBin: string;
let kc: KubeConfig;

const podWith = (name: string, containers: string[]) => ({
  metadata: { name },
  spec: { containers: containers.map((c) => ({ name: c, image: 'busybox' })) },
});

beforeAll(async () => {
  kubectlBin = kubectlPath();
  cluster = await startTestCluster({ runtime: () => runtime, controllers: false });
  kc = new KubeConfig();
  kc.loadFromFile(cluster.kubeconfigPath);
  await cluster.registry.create(pods, 'default', podWith('web', ['app']));
  await cluster.registry.create(pods, 'default', podWith('duo', ['a', 'b']));
  runtime.appendLog('web', 'app', 'one', 'two', 'three');
});

afterAll(async () => {
  await cluster?.close();
});

async function kubectl(args: string[], stdinFile?: string): Promise<{ stdout: string; stderr: string; code: number }> {
  const all = ['--kubeconfig', cluster.kubeconfigPath, ...args];
  if (stdinFile === undefined) {
    try {
      const { stdout, stderr } = await run(kubectlBin, all, { timeout: 20_000 });
      return { stdout, stderr, code: 0 };
    } catch (e) {
      const err = e as { stdout?: string; stderr?: string; code?: number };
      return { stdout: err.stdout ?? '', stderr: err.stderr ?? '', code: typeof err.code === 'number' ? err.code : 1 };
    }
  }
  return new Promise((resolve) => {
    const child = spawn(kubectlBin, all, { stdio: [openSync(stdinFile, 'r'), 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (code) => resolve({ stdout, stderr, code: code ?? 1 }));
  });
}

describe('kubectl exec and logs', () => {
  it('exec -- echo hi prints hi', async () => {
    const out = await kubectl(['exec', 'web', '--', 'echo', 'hi']);
    expect(out).toMatchObject({ stdout: 'hi\n', code: 0 });
    expect(runtime.execs.at(-1)).toMatchObject({ pod: 'web', container: 'app', command: ['echo', 'hi'] });
  });

  it('exec -i feeds stdin from a file and ends it at EOF', async () => {
    const file = join(cluster.dataDir, 'input.txt');
    writeFileSync(file, 'line 1\nline 2\n');
    const out = await kubectl(['exec', '-i', 'web', '--', 'cat'], file);
    expect(out).toMatchObject({ stdout: 'line 1\nline 2\n', code: 0 });
  });

  it('exec reports a non-zero exit code as its own', async () => {
    const out = await kubectl(['exec', 'web', '--', 'sh', '-c', 'exit 3']);
    expect(out.code).toBe(3);
    expect(out.stderr).toContain('command terminated with exit code 3');
  });

  it('exec in a pod that does not exist is NotFound', async () => {
    const out = await kubectl(['exec', 'nope', '--', 'echo', 'hi']);
    expect(out.code).toBe(1);
    expect(out.stderr).toContain('pods "nope" not found');
  });

  it('logs prints the log, --tail the last lines', async () => {
    expect(await kubectl(['logs', 'web'])).toMatchObject({ stdout: 'one\ntwo\nthree\n', code: 0 });
    expect(await kubectl(['logs', 'web', '--tail=1'])).toMatchObject({ stdout: 'three\n', code: 0 });
  });

  it('logs -f streams lines as they are written', async () => {
    runtime.appendLog('web', 'app');
    const child = spawn(kubectlBin, ['--kubeconfig', cluster.kubeconfigPath, 'logs', '-f', 'web', '--tail=0']);
    let seen = '';
    const got = new Promise<void>((resolve) => {
      child.stdout.on('data', (d: Buffer) => {
        seen += d.toString();
        if (seen.includes('four\n')) resolve();
      });
    });
    // Once kubectl is following, new lines reach it.
    for (let i = 0; i < 100 && !runtime.logRequests.some((r) => r.opts.follow); i++) await new Promise((r) => setTimeout(r, 50));
    runtime.appendLog('web', 'app', 'four');
    await got;
    child.kill();
    expect(seen).toBe('four\n');
  });
});

describe('client-node', () => {
  it('readNamespacedPodLog needs a container name when the pod has several', async () => {
    const api = kc.makeApiClient(CoreV1Api);
    await expect(api.readNamespacedPodLog({ name: 'duo', namespace: 'default' })).rejects.toMatchObject({
      code: 400,
      body: expect.stringContaining('a container name must be specified for pod duo, choose one of: [a b]') as unknown,
    });
    runtime.appendLog('duo', 'b', 'from b');
    expect(await api.readNamespacedPodLog({ name: 'duo', namespace: 'default', container: 'b' })).toBe('from b\n');
  });

  it('Log streams a container log with tailLines', async () => {
    const out = new PassThrough();
    let text = '';
    out.on('data', (d: Buffer) => (text += d.toString()));
    const done = new Promise<void>((resolve) => out.on('finish', () => resolve()));
    await new Log(kc).log('default', 'web', 'app', out, { tailLines: 2 });
    await done;
    // 'four' was appended by the logs -f test above.
    expect(text).toBe('three\nfour\n');
    expect(runtime.logRequests.at(-1)?.opts).toMatchObject({ follow: false, tailLines: 2 });
  });

  it('Exec runs a command and reports its status', async () => {
    const stdout = new PassThrough();
    const stderr = new PassThrough();
    let out = '';
    let err = '';
    stdout.on('data', (d: Buffer) => (out += d.toString()));
    stderr.on('data', (d: Buffer) => (err += d.toString()));
    const status = await new Promise<V1Status>((resolve, reject) => {
      new Exec(kc).exec('default', 'duo', 'a', ['err', 'bad', 'thing'], stdout, stderr, null, false, resolve).catch(reject);
    });
    expect(err).toBe('bad thing\n');
    expect(out).toBe('');
    expect(status).toMatchObject({ status: 'Failure', reason: 'NonZeroExitCode', details: { causes: [{ reason: 'ExitCode', message: '1' }] } });
  });

  it('PortForward carries bytes to the pod port and back', async () => {
    const output = new PassThrough();
    const input = new PassThrough();
    let received = '';
    const ws = await new PortForward(kc).portForward('default', 'web', [8080], output, null, input);
    const echoed = new Promise<void>((resolve) => {
      output.on('data', (d: Buffer) => {
        received += d.toString();
        if (received === 'ping') resolve();
      });
    });
    input.write('ping');
    await echoed;
    (ws as { close(): void }).close();
    expect(received).toBe('ping');
  });
});

/** Mark a pod Running, as its kubelet would, so disruption budgets protect it. */
async function markRunning(name: string): Promise<void> {
  await cluster.registry.updateWith(pods, 'default', name, (p) => ({ ...p, status: { ...(p.status as object), phase: 'Running' } }), { subresource: 'status' });
}

/** Open a raw WebSocket on a pod stream, offering only `protocol`; collects the frames the server sends. */
async function openStream(path: string, protocol: string): Promise<{ ws: WebSocket; frames: Buffer[]; closed: Promise<void> }> {
  const opts: WebSocket.ClientOptions = {};
  await kc.applyToHTTPSOptions(opts);
  const ws = new WebSocket(`${cluster.url.replace('https:', 'wss:')}${path}`, [protocol], opts);
  const frames: Buffer[] = [];
  ws.on('message', (d: Buffer) => frames.push(d));
  const closed = new Promise<void>((resolve) => ws.on('close', () => resolve()));
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  return { ws, frames, closed };
}

describe('channel protocols on the wire', () => {
  it('v4 exec sends stdout frames, then the exit Status on channel 3', async () => {
    const { ws, frames, closed } = await openStream('/api/v1/namespaces/default/pods/web/exec?command=echo&command=v4&stdout=true', 'v4.channel.k8s.io');
    await closed;
    expect(ws.protocol).toBe('v4.channel.k8s.io');
    expect(frames.map((f) => [f[0], f.subarray(1).toString()])).toEqual([
      [1, 'v4\n'],
      [3, JSON.stringify({ metadata: {}, status: 'Success' })],
    ]);
  });

  it('attach with a tty takes resize messages and echoes stdin until v5 closes it', async () => {
    const { ws, frames, closed } = await openStream('/api/v1/namespaces/default/pods/web/attach?stdin=true&stdout=true&tty=true', 'v5.channel.k8s.io');
    ws.send(Buffer.concat([Buffer.from([4]), Buffer.from('{"Width":100,"Height":30}')]));
    ws.send(Buffer.concat([Buffer.from([0]), Buffer.from('typed')]));
    ws.send(Buffer.from([255, 0]));
    await closed;
    expect(runtime.resizes.at(-1)).toEqual({ width: 100, height: 30 });
    expect(frames.map((f) => [f[0], f.subarray(1).toString()])).toEqual([
      [1, 'typed'],
      [3, JSON.stringify({ metadata: {}, status: 'Success' })],
    ]);
  });
});

describe('pods/binding and pods/eviction', () => {
  it('binding sets spec.nodeName once; a second binding is a Conflict', async () => {
    const api = kc.makeApiClient(CoreV1Api);
    await cluster.registry.create(pods, 'default', podWith('bind-me', ['app']));
    await api.createNamespacedPodBinding({ name: 'bind-me', namespace: 'default', body: { metadata: { name: 'bind-me' }, target: { kind: 'Node', name: 'n1' } } });
    await expect(
      api.createNamespacedPodBinding({ name: 'bind-me', namespace: 'default', body: { metadata: { name: 'other' }, target: { kind: 'Node', name: 'n1' } } }),
    ).rejects.toMatchObject({ code: 400, body: expect.stringContaining('name in URL does not match name in Binding object') as unknown });
    const pod = await api.readNamespacedPod({ name: 'bind-me', namespace: 'default' });
    expect(pod.spec?.nodeName).toBe('n1');
    expect(pod.status?.conditions?.find((c) => c.type === 'PodScheduled')?.status).toBe('True');
    await expect(
      api.createNamespacedPodBinding({ name: 'bind-me', namespace: 'default', body: { metadata: { name: 'bind-me' }, target: { kind: 'Node', name: 'n2' } } }),
    ).rejects.toMatchObject({ code: 409, body: expect.stringContaining('pod bind-me is already assigned to node \\"n1\\"') as unknown });
  });

  it('eviction is refused with 429 while the budget allows no disruption, then deletes', async () => {
    const api = kc.makeApiClient(CoreV1Api);
    await cluster.registry.create(pods, 'default', { ...podWith('guarded', ['app']), metadata: { name: 'guarded', labels: { app: 'guarded' } } });
    await markRunning('guarded');
    const pdb = await cluster.registry.create(poddisruptionbudgets, 'default', { metadata: { name: 'keep-one' }, spec: { minAvailable: 1, selector: { matchLabels: { app: 'guarded' } } } });
    const setAllowed = (n: number) =>
      cluster.registry.updateWith(poddisruptionbudgets, 'default', 'keep-one', (b) => ({
        ...b,
        status: { observedGeneration: pdb.metadata.generation, disruptionsAllowed: n, currentHealthy: 1, desiredHealthy: 1, expectedPods: 1 },
      }), { subresource: 'status' });
    await setAllowed(0);
    const evict = () => api.createNamespacedPodEviction({ name: 'guarded', namespace: 'default', body: { metadata: { name: 'guarded', namespace: 'default' } } });
    const refused = await evict().then(() => undefined, (e: unknown) => e as { code: number; body: string });
    expect(refused?.code).toBe(429);
    expect(JSON.parse(refused?.body ?? '{}')).toMatchObject({
      reason: 'TooManyRequests',
      message: "Cannot evict pod as it would violate the pod's disruption budget.",
      details: { causes: [{ reason: 'DisruptionBudget', message: 'The disruption budget keep-one needs 1 healthy pods and has 1 currently' }] },
    });
    await setAllowed(1);
    await evict();
    await expect(api.readNamespacedPod({ name: 'guarded', namespace: 'default' })).rejects.toMatchObject({ code: 404 });
    const after = await cluster.registry.get(poddisruptionbudgets, 'default', 'keep-one');
    expect(after.status).toMatchObject({ disruptionsAllowed: 0, disruptedPods: { guarded: expect.any(String) as unknown } });
  });

  it('kubectl drain evicts the pods bound to the node', async () => {
    await cluster.registry.create(nodes, undefined, { metadata: { name: 'drain-node' } });
    // No kubelet here to finish a graceful termination: a pod with no grace period goes at once.
    await cluster.registry.create(pods, 'default', {
      ...podWith('on-node', ['app']),
      spec: { nodeName: 'drain-node', terminationGracePeriodSeconds: 0, containers: [{ name: 'app', image: 'busybox' }] },
    });
    await markRunning('on-node');
    const out = await kubectl(['drain', 'drain-node', '--force', '--timeout=10s']);
    expect(out.stderr + out.stdout).toContain('pod/on-node evicted');
    expect(out.code).toBe(0);
    await expect(cluster.registry.get(pods, 'default', 'on-node')).rejects.toMatchObject({ status: { code: 404 } });
  });
});

describe('a cluster without a runtime', () => {
  it('answers exec and logs with the waiting-to-start error', async () => {
    const bare = await startTestCluster();
    try {
      await bare.registry.create(pods, 'default', podWith('idle', ['app']));
      const args = (...rest: string[]) => ['--kubeconfig', bare.kubeconfigPath, ...rest];
      const exec = await run(kubectlBin, args('exec', 'idle', '--', 'echo', 'hi'), { timeout: 20_000 }).then(
        () => ({ code: 0, stderr: '' }),
        (e: { code?: number; stderr?: string }) => ({ code: e.code ?? 1, stderr: e.stderr ?? '' }),
      );
      expect(exec.code).not.toBe(0);
      expect(exec.stderr).toContain('container "app" in pod "idle" is waiting to start: ContainerCreating');
      const logs = await run(kubectlBin, args('logs', 'idle'), { timeout: 20_000 }).then(
        () => ({ code: 0, stderr: '' }),
        (e: { code?: number; stderr?: string }) => ({ code: e.code ?? 1, stderr: e.stderr ?? '' }),
      );
      expect(logs.stderr).toContain('Error from server (BadRequest): container "app" in pod "idle" is waiting to start: ContainerCreating');
    } finally {
      await bare.close();
    }
  });
});
