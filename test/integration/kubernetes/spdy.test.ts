/**
 * SPDY/3.1 against the real kubectl 1.33 and a scripted runtime (port-forward echoes):
 * port-forward tunnelled in a WebSocket (its default), port-forward over a plain SPDY
 * upgrade, and exec forced onto SPDY.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { openSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pods } from '../../../src/kubernetes/apiserver/resources/pods.js';
import { FakeRuntime } from '../../unit/kubernetes/streaming/fake-runtime.js';
import { kubectlPath, startTestCluster, type TestCluster } from './fixture.js';

const runtime = new FakeRuntime();
let cluster: TestCluster;
let kubectlBin: string;

beforeAll(async () => {
  kubectlBin = kubectlPath();
  cluster = await startTestCluster({ runtime: () => runtime, controllers: false });
  await cluster.registry.create(pods, 'default', { metadata: { name: 'x' }, spec: { containers: [{ name: 'app', image: 'busybox' }] } });
  await cluster.registry.create(pods, 'default', { metadata: { name: 'interactive' }, spec: { containers: [{ name: 'shell', image: 'busybox', stdin: true }] } });
  // kubectl port-forward and attach refuse a pod that is not Running.
  for (const name of ['x', 'interactive']) {
    await cluster.registry.updateWith(pods, 'default', name, (p) => ({ ...p, status: { ...(p.status as object), phase: 'Running' } }), { subresource: 'status' });
  }
});

afterAll(async () => {
  await cluster?.close();
});

interface Run {
  stdout: string;
  stderr: string;
  code: number;
}

function kubectl(args: string[], env: Record<string, string>, stdinFile?: string): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(kubectlBin, ['--kubeconfig', cluster.kubeconfigPath, ...args], {
      env: { ...process.env, ...env, HOME: cluster.dataDir },
      stdio: [stdinFile ? openSync(stdinFile, 'r') : 'ignore', 'pipe', 'pipe'],
      timeout: 20_000,
    });
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (code) => resolve({ stdout, stderr, code: code ?? 1 }));
  });
}

/** Start `kubectl port-forward pod/x 0:80` and wait for the local port it prints. */
async function startPortForward(env: Record<string, string>): Promise<{ child: ChildProcessWithoutNullStreams; port: number; stderr: () => string }> {
  const child = spawn(kubectlBin, ['--kubeconfig', cluster.kubeconfigPath, '-v=4', 'port-forward', 'pod/x', '0:80'], { env: { ...process.env, ...env, HOME: cluster.dataDir } });
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`kubectl printed no port: ${stdout} ${stderr}`)), 15_000);
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
      const m = /Forwarding from 127\.0\.0\.1:(\d+) -> 80/.exec(stdout);
      if (m) {
        clearTimeout(timer);
        resolve(Number(m[1]));
      }
    });
    child.once('exit', () => reject(new Error(`kubectl exited: ${stdout} ${stderr}`)));
  });
  return { child, port, stderr: () => stderr };
}

/** Connect to the forwarded port, send `text`, and read until it comes back. */
function echoThrough(port: number, text: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let got = '';
    socket.on('data', (d: Buffer) => {
      got += d.toString();
      if (got.length >= text.length) {
        socket.end();
        resolve(got);
      }
    });
    socket.on('error', reject);
    socket.write(text);
  });
}

async function stop(child: ChildProcessWithoutNullStreams): Promise<void> {
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill();
  await exited;
}

describe('kubectl port-forward', () => {
  it('tunnels SPDY in a WebSocket by default and echoes bytes', async () => {
    const pf = await startPortForward({});
    try {
      expect(await echoThrough(pf.port, 'hello over the tunnel')).toBe('hello over the tunnel');
      // A second connection is a second stream pair on the same SPDY session.
      const big = 'x'.repeat(200_000);
      expect(await echoThrough(pf.port, big)).toBe(big);
      // kubectl logs the negotiated tunnel protocol at -v=4; without it, it fell back to plain SPDY.
      expect(pf.stderr()).toContain('negotiated protocol: portforward.k8s.io');
      expect(pf.stderr()).not.toContain('fallback');
    } finally {
      await stop(pf.child);
    }
  });

  it('falls back to a plain SPDY upgrade with KUBECTL_PORT_FORWARD_WEBSOCKETS=false', async () => {
    const pf = await startPortForward({ KUBECTL_PORT_FORWARD_WEBSOCKETS: 'false' });
    try {
      expect(await echoThrough(pf.port, 'hello over spdy')).toBe('hello over spdy');
      expect(await echoThrough(pf.port, 'again')).toBe('again');
      expect(pf.stderr()).not.toContain('tunneling_dialer');
    } finally {
      await stop(pf.child);
    }
  });
});

describe('kubectl exec and attach over SPDY (KUBECTL_REMOTE_COMMAND_WEBSOCKETS=false)', () => {
  const spdy = { KUBECTL_REMOTE_COMMAND_WEBSOCKETS: 'false' };

  it('prints the output and exits 0, having switched to SPDY with the v4 stream protocol', async () => {
    const out = await kubectl(['-v=8', 'exec', 'x', '--', 'echo', 'hi', 'there'], spdy);
    expect(out).toMatchObject({ stdout: 'hi there\n', code: 0 });
    // -v=8 logs the 101 answer's headers.
    expect(out.stderr).toContain('Upgrade: SPDY/3.1');
    expect(out.stderr).toContain('X-Stream-Protocol-Version: v4.channel.k8s.io');
  });

  it('exits with the command exit code', async () => {
    const out = await kubectl(['exec', 'x', '--', 'sh', '-c', 'exit 3'], spdy);
    expect(out.code).toBe(3);
    expect(out.stderr).toContain('command terminated with exit code 3');
  });

  it('carries stderr on its own stream', async () => {
    const out = await kubectl(['exec', 'x', '--', 'err', 'oops'], spdy);
    expect(out).toMatchObject({ stdout: '', stderr: expect.stringContaining('oops\n') as unknown, code: 1 });
  });

  it('feeds stdin and closes it at EOF', async () => {
    const file = join(cluster.dataDir, 'spdy-input.txt');
    writeFileSync(file, 'first\nsecond\n');
    expect(await kubectl(['exec', '-i', 'x', '--', 'cat'], spdy, file)).toMatchObject({ stdout: 'first\nsecond\n', code: 0 });
  });

  it('attach -i over SPDY wires stdin to the container and its output back', async () => {
    const file = join(cluster.dataDir, 'spdy-attach.txt');
    writeFileSync(file, 'attached\n');
    const out = await kubectl(['attach', '-i', 'interactive'], spdy, file);
    expect(out.stdout).toBe('attached\n');
    expect(out.code).toBe(0);
  });
});
