/**
 * Debian's python3-kubernetes client against an in-process cluster: the smoke script in
 * test/conformance/python-client (list namespaces, configmap create/read/patch/delete, a
 * watch with a timeout). Skipped only when /usr/bin/python3 has no kubernetes module;
 * CI installs python3-kubernetes.
 */
import { execFile, execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestCluster, type TestCluster } from './fixture.js';

const python = '/usr/bin/python3';
const script = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'conformance', 'python-client', 'smoke.py');

function hasKubernetesModule(): boolean {
  try {
    execFileSync(python, ['-c', 'import kubernetes'], { stdio: 'ignore', timeout: 20_000 });
    return true;
  } catch {
    return false;
  }
}

const available = hasKubernetesModule();
if (!available) process.stderr.write(`python-client: skipped, ${python} cannot import kubernetes (apt-get install python3-kubernetes)\n`);

describe.skipIf(!available)('python3-kubernetes client (skipped when /usr/bin/python3 lacks the kubernetes module)', () => {
  let cluster: TestCluster;

  beforeAll(async () => {
    cluster = await startTestCluster();
  });

  afterAll(async () => {
    await cluster?.close();
  });

  it('runs the smoke script: namespaces, configmap lifecycle, watch', async () => {
    // Asynchronously: the cluster answering the script runs on this event loop.
    const { stdout } = await promisify(execFile)(python, [script, cluster.kubeconfigPath, cluster.context], { timeout: 30_000 });
    expect(stdout.trim().split('\n')).toEqual([
      'ok list namespaces',
      'ok create configmap',
      'ok read configmap',
      'ok patch configmap',
      'ok delete configmap',
      'ok watch configmaps',
      'ok read after delete is 404',
    ]);
  }, 40_000);
});
