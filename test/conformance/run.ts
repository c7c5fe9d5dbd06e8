// The conformance harness: `npm run conformance -- <suite>` starts a fresh kos, runs the
// suite's tempest tests against it and prints, as its very last line,
// `N passed, N failed, N skipped` over the tests tempest lists for the suite. A kubectl
// suite (`kubectl`) runs kubectl steps instead and ends with `N passed, N failed`.
// Exit codes: 0 the run completed, 1 below --min-pass-rate, 2 the harness could not run.
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseHarnessArgs, USAGE, UsageError, type HarnessArgs } from './args.js';
import type { Abort } from './exec.js';
import { freePort } from './free-port.js';
import { KosStartError, launchKos } from './kos-process.js';
import { checkPrerequisites } from './prerequisites.js';
import { causesFile, classTally, countsLine, failedList, failureGroups, topCauses } from './report.js';
import { collectRecords, scoreSuite, type SuiteResult } from './results.js';
import { decodeSubunit, decodeSubunitPrefix } from './subunit.js';
import { findKubectlSuite, findSuite, suiteNames, type KubectlSuite, type Suite } from './suites.js';
import { tempestConfig } from './tempest-config.js';
import { listSteps, runKubectlSuite, ScenarioSetupError } from './kubectl/harness.js';
import { createWorkspace, lastRunSubunit, listTests, runTests, unfinishedRunSubunit, type Workspace } from './tempest.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const WORK = join(ROOT, 'test', 'conformance', '.work');
// Overridable to run the suite against another build of kos (an older one, a branch's).
const KOS_MAIN = resolve(process.env.KOS_CONFORMANCE_MAIN ?? join(ROOT, 'dist', 'kos.mjs'));
const HOST = '127.0.0.1';

class HarnessError extends Error {
  override name = 'HarnessError';
}

async function main(argv: readonly string[]): Promise<number> {
  const args = parseHarnessArgs(argv);
  const kubectlSuite = findKubectlSuite(args.suite);
  if (kubectlSuite) return kubectlConformance(args, kubectlSuite);
  const suite = findSuite(args.suite);
  if (!suite) throw new UsageError(`unknown suite ${JSON.stringify(args.suite)}; suites: ${suiteNames().join(', ')}`);
  const problems = checkPrerequisites(suite.pluginPackages);
  if (problems.length) throw new HarnessError(problems.join('\n'));
  if (!args.list && !existsSync(KOS_MAIN)) {
    throw new HarnessError(`${relative(ROOT, KOS_MAIN)} is missing: run \`npm run build\` first`);
  }

  // A listing leaves nothing behind; a run keeps its workspace for reading afterwards.
  const runDir = args.list ? await mkdtemp(join(tmpdir(), 'kos-conformance-')) : join(WORK, `${suite.name}-${timestamp()}`);
  try {
    return await conformance(args, suite, runDir);
  } finally {
    if (args.list) await rm(runDir, { recursive: true, force: true });
  }
}

async function conformance(args: HarnessArgs, suite: Suite, runDir: string): Promise<number> {
  const port = await freePort(HOST);
  const adminPassword = randomBytes(12).toString('hex');
  const config = tempestConfig(suite, { identityUri: `http://${HOST}:${port}/v3`, adminPassword, workspace: runDir });
  const ws = await createWorkspace(runDir, config);
  const regexes = args.regex === undefined ? suite.regexes : [args.regex];
  const listed = await listTests(ws, regexes);
  if (args.list) {
    for (const id of listed) console.log(id);
    console.log(`${listed.length} tests in ${suite.name}`);
    return 0;
  }
  if (listed.length === 0) throw new HarnessError(`no tempest test matches ${regexes.join(' ')}`);
  await writeFile(join(runDir, 'tests.txt'), listed.map((id) => `${id}\n`).join(''));
  console.log(`conformance ${suite.name}: ${listed.length} tests, kos on ${HOST}:${port}, workspace ${relative(ROOT, runDir)}`);

  const result = await runAgainstKos(args, ws, regexes, listed, port, adminPassword);
  return finish(args, ws, result);
}

async function runAgainstKos(
  args: HarnessArgs, ws: Workspace, regexes: readonly string[], listed: readonly string[], port: number, adminPassword: string,
): Promise<SuiteResult> {
  const dataDir = join(ws.dir, 'kos-data');
  await mkdir(dataDir, { recursive: true });
  const kos = launchKos({ main: KOS_MAIN, dataDir, host: HOST, port, adminPassword, logFile: join(ws.dir, 'kos.log') });
  // From here on an interrupt must not leave kos or tempest's workers behind.
  let abortTempest: Abort | undefined;
  const interrupted = (signal: NodeJS.Signals): void => {
    console.error(`\n${signal}: stopping tempest and kos`);
    abortTempest?.();
    void kos.stop().finally(() => process.exit(130));
  };
  process.once('SIGINT', interrupted);
  process.once('SIGTERM', interrupted);
  const otherOutput: string[] = [];
  try {
    try {
      await kos.ready;
    } catch (err) {
      if (err instanceof KosStartError) throw new HarnessError(`${err.message}\n--- kos output ---\n${err.output}\n---`);
      throw err;
    }
    console.log(`kos ready; running tempest (concurrency ${args.concurrency})`);
    const run = await runTests(ws, regexes, {
      concurrency: args.concurrency,
      timeoutMs: args.timeoutSeconds * 1000,
      // subunit-trace prints one `{worker} id [time] ... status` line per test: progress.
      onLine: (line) => {
        if (/^\{\d+\} /.test(line)) {
          console.log(line);
        } else if (line.trim() !== '') {
          otherOutput.push(line);
          if (otherOutput.length > 40) otherOutput.shift();
        }
      },
    }, (abort) => {
      abortTempest = abort;
    });
    if (run.timedOut) console.error(`tempest stopped after ${args.timeoutSeconds} s; unfinished tests count as failed`);
    const dead = kos.exitStatus();
    if (dead) console.error(`kos ${dead} during the run; last output:\n${kos.tail()}`);
  } finally {
    process.removeListener('SIGINT', interrupted);
    process.removeListener('SIGTERM', interrupted);
    await kos.stop();
  }
  if (!args.keep) await rm(dataDir, { recursive: true, force: true });

  const stored = await lastRunSubunit(ws);
  // A run stopped by --timeout was never stored: score the tests it finished.
  const unfinished = stored ? undefined : await unfinishedRunSubunit(ws);
  if (unfinished) {
    await writeFile(join(ws.dir, 'results.subunit'), unfinished);
    return scoreSuite(listed, collectRecords(decodeSubunitPrefix(unfinished)));
  }
  const stream = stored;
  if (!stream) {
    console.error(`tempest stored no results; its last output:\n${otherOutput.join('\n')}`);
    return scoreSuite(listed, new Map());
  }
  await writeFile(join(ws.dir, 'results.subunit'), stream);
  return scoreSuite(listed, collectRecords(decodeSubunit(stream)));
}

async function finish(args: HarnessArgs, ws: Workspace, result: SuiteResult): Promise<number> {
  const groups = failureGroups(result);
  await writeFile(join(ws.dir, 'failed.txt'), failedList(result));
  await writeFile(join(ws.dir, 'causes.txt'), causesFile(result, groups));
  console.log('');
  console.log(classTally(result));
  console.log('');
  console.log(topCauses(groups));
  console.log('');
  const where = relative(ROOT, ws.dir);
  console.log(`Details in ${where}/: failed.txt, causes.txt, logs/tempest.log, kos.log`);

  let code = 0;
  const total = result.tests.length;
  const rate = total === 0 ? 0 : result.passed / total;
  if (args.minPassRate !== undefined && rate < args.minPassRate) {
    console.log(`pass rate ${(rate * 100).toFixed(1)}% is below --min-pass-rate ${(args.minPassRate * 100).toFixed(1)}%`);
    code = 1;
  }
  console.log(countsLine(result));
  return code;
}

/** --regex selects steps by `<area>/<id>`; --concurrency and --timeout are tempest's only. */
async function kubectlConformance(args: HarnessArgs, suite: KubectlSuite): Promise<number> {
  let select: RegExp | undefined;
  try {
    select = args.regex === undefined ? undefined : new RegExp(args.regex);
  } catch (err) {
    throw new UsageError(`--regex: ${err instanceof Error ? err.message : String(err)}`);
  }
  if (args.list) {
    const steps = listSteps(suite.areas, select);
    for (const id of steps) console.log(id);
    console.log(`${steps.length} steps in ${suite.name}`);
    return 0;
  }
  if (!existsSync(KOS_MAIN)) throw new HarnessError(`${relative(ROOT, KOS_MAIN)} is missing: run \`npm run build\` first`);
  return runKubectlSuite({
    areas: suite.areas, kubectlMinor: suite.kubectlMinor, root: ROOT, main: KOS_MAIN, host: HOST, runDir: join(WORK, `${suite.name}-${timestamp()}`), keep: args.keep,
    ...(select !== undefined && { select }),
    ...(args.minPassRate !== undefined && { minPassRate: args.minPassRate }),
  });
}

function timestamp(): string {
  return new Date().toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    if (err instanceof UsageError) console.error(`${err.message}\n${USAGE}`);
    else if (err instanceof HarnessError || err instanceof ScenarioSetupError) console.error(`conformance: ${err.message}`);
    else console.error(err);
    process.exitCode = 2;
  },
);
