/**
 * `kos up` as a user runs it: a child process on a free port. Needs `npm run build`
 * (npm test runs it first).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort, issueToken, tempDir } from '../../support/kos.js';

const main = join(import.meta.dirname, '../../../dist/kos.mjs');

interface Running {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

function run(args: string[]): Running {
  const child = spawn(process.execPath, [main, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, KOS_LOG_LEVEL: 'warn' } });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, output: () => out, exited };
}

async function ready(r: Running, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!/^kos ready in \d+ ms$/m.test(r.output())) {
    if (Date.now() > deadline || r.child.exitCode !== null) throw new Error(`kos did not become ready:\n${r.output()}`);
    await new Promise((res) => setTimeout(res, 20));
  }
}

describe('kos up', () => {
  const dir = tempDir();
  const config = join(dir, 'kos.yaml');
  writeFileSync(config, 'identity:\n  adminPassword: cli-secret\n  passwordHashCost: 10\n');
  const dataDir = join(dir, 'data');
  const children: ChildProcess[] = [];
  afterAll(() => {
    for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  it('serves, refuses a second instance, stops on SIGTERM, and keeps tokens across restarts and kill -9', async () => {
    const port = await freePort();
    const args = ['up', '--data-dir', dataDir, '--port', String(port), '--config', config];
    const first = run(args);
    children.push(first.child);
    await ready(first);
    expect(first.output()).toContain(`http://127.0.0.1:${port}/v3`);
    const authUrl = `http://127.0.0.1:${port}/v3`;
    const token = await issueToken(authUrl, 'admin', 'cli-secret', 'admin');

    const second = run(['up', '--data-dir', dataDir, '--port', String(await freePort()), '--config', config]);
    children.push(second.child);
    expect(await second.exited).toBe(1);
    expect(second.output()).toMatch(/data dir .* is in use by kos/);

    const t0 = Date.now();
    first.child.kill('SIGTERM');
    expect(await first.exited).toBe(0);
    expect(Date.now() - t0).toBeLessThan(5000);

    const validate = async () =>
      fetch(`${authUrl}/auth/tokens`, { headers: { 'x-auth-token': token, 'x-subject-token': token } });

    const again = run(args);
    children.push(again.child);
    await ready(again);
    expect((await validate()).status).toBe(200);

    again.child.kill('SIGKILL');
    await again.exited;
    const third = run(args);
    children.push(third.child);
    await ready(third);
    expect((await validate()).status).toBe(200);
    third.child.kill('SIGTERM');
    expect(await third.exited).toBe(0);
  }, 60_000);

  it('kos fault takes a Kubernetes node down and back, for the admin of clouds.yaml', async () => {
    const faultDir = join(dir, 'faults');
    const up = run(['up', '--data-dir', faultDir, '--port', String(await freePort()), '--kubernetes-port', '0', '--config', config]);
    children.push(up.child);
    await ready(up);
    const fault = async (...args: string[]): Promise<string> => {
      const r = run(['fault', ...args, '--data-dir', faultDir]);
      children.push(r.child);
      expect(await r.exited).toBe(0);
      return r.output();
    };
    expect(await fault('list')).toMatch(/^node: .*\n( {2}kos-\S+\s+up\n){4}/m);
    expect(await fault('down', 'node', 'kos-worker-1')).toBe('node kos-worker-1 down\n');
    expect(await fault('list')).toMatch(/^ {2}kos-worker-1\s+down$/m);
    await fault('up', 'node', 'kos-worker-1');
    expect(await fault('list')).toMatch(/^ {2}kos-worker-1\s+up$/m);
    const unknown = run(['fault', 'down', 'node', 'nope', '--data-dir', faultDir]);
    children.push(unknown.child);
    expect(await unknown.exited).not.toBe(0);
    expect(unknown.output()).toContain('no node named \\"nope\\"');
    up.child.kill('SIGTERM');
    expect(await up.exited).toBe(0);
  }, 60_000);
});
