// Debian's tempest 33, driven through its own CLI. The workspace is laid out as `tempest
// init` would (etc/, logs/, tempest_lock/, a stestr repository) but by hand, because
// `tempest init` also registers the workspace in ~/.tempest and may create ~/.tempest/etc.
// `tempest run --config-file` writes .stestr.conf itself when it is missing.
import { mkdir, readdir, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { exec, type Abort, type ExecResult } from './exec.js';

export interface Workspace {
  readonly dir: string;
  readonly configFile: string;
}

export async function createWorkspace(dir: string, config: string): Promise<Workspace> {
  for (const sub of ['etc', 'logs', 'tempest_lock']) await mkdir(join(dir, sub), { recursive: true });
  const configFile = join(dir, 'etc', 'tempest.conf');
  await writeFile(configFile, config, { mode: 0o600 });
  const init = await exec('stestr', ['init'], { cwd: dir, env: tempestEnv(), captureStdout: true });
  if (init.code !== 0) throw new Error(`stestr init failed in ${dir}: ${init.stdout.toString()}`);
  return { dir, configFile };
}

/**
 * The environment tempest runs in. PYTHON is dropped so that stestr starts its workers
 * with tempest's own interpreter (/usr/bin/python3), not whatever `python3` is first on
 * PATH (pyenv, a venv) and may lack tempest. OS_TEST_TIMEOUT bounds one test, so a hung
 * request costs minutes, not the whole run.
 */
export function tempestEnv(base: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const env = { ...base };
  delete env.PYTHON;
  env.OS_TEST_TIMEOUT ??= '300';
  return env;
}

/** `tempest run --regex` splits its value on whitespace into several regexes. */
export function regexArgument(regexes: readonly string[]): string {
  for (const regex of regexes) {
    if (regex === '' || /\s/.test(regex)) throw new Error(`test regex ${JSON.stringify(regex)} is empty or has whitespace`);
  }
  return regexes.join(' ');
}

/** The ids the suite selects, exactly as tempest will report them. */
export async function listTests(ws: Workspace, regexes: readonly string[]): Promise<string[]> {
  const result = await exec('tempest', [
    'run', '--config-file', ws.configFile, '--list-tests', '--regex', regexArgument(regexes),
  ], { cwd: ws.dir, env: tempestEnv(), captureStdout: true, logFile: join(ws.dir, 'tempest-list.log') });
  if (result.code !== 0) throw new Error(`tempest --list-tests failed (code ${result.code}); see ${join(ws.dir, 'tempest-list.log')}`);
  // Sorted: stestr lists in discovery order, which differs between runs and machines.
  return parseTestList(result.stdout.toString('utf8')).sort();
}

/** stestr prints one id per line; anything else (warnings) is not an id. */
export function parseTestList(text: string): string[] {
  return text.split('\n').map((line) => line.trim()).filter((line) => /^[A-Za-z_][\w.]*(\[[^\]\s]*\])?$/.test(line));
}

export interface RunOptions {
  readonly concurrency: number;
  readonly timeoutMs: number;
  readonly onLine: (line: string) => void;
}

export function runTests(ws: Workspace, regexes: readonly string[], options: RunOptions, onStart?: (abort: Abort) => void): Promise<ExecResult> {
  return exec('tempest', [
    'run', '--config-file', ws.configFile, '--regex', regexArgument(regexes), '--concurrency', String(options.concurrency),
  ], {
    cwd: ws.dir, env: tempestEnv(), logFile: join(ws.dir, 'tempest-run.log'), onLine: options.onLine, timeoutMs: options.timeoutMs,
  }, onStart);
}

/**
 * The subunit v2 stream of the last run, or undefined when stestr stored none (it then
 * prints a message instead, which does not start with a packet signature). The exit code
 * is not used: stestr sets it from the run's failures.
 */
export async function lastRunSubunit(ws: Workspace): Promise<Buffer | undefined> {
  const result = await exec('stestr', ['last', '--subunit'], { cwd: ws.dir, env: tempestEnv(), captureStdout: true });
  return result.stdout[0] === 0xb3 ? result.stdout : undefined;
}

/**
 * The stream of a run stopped before stestr stored it: stestr writes it as tests finish,
 * in subunit v1, into a temporary file of its repository, which a stopped run leaves
 * behind (possibly cut mid-line). subunit-1to2 (python3-subunit, a tempest dependency)
 * turns it into v2; decode the result with decodeSubunitPrefix.
 */
export async function unfinishedRunSubunit(ws: Workspace): Promise<Buffer | undefined> {
  const repo = join(ws.dir, '.stestr');
  let newest: { path: string; mtime: number } | undefined;
  for (const name of await readdir(repo).catch(() => [] as string[])) {
    if (!name.startsWith('tmp')) continue;
    const info = await stat(join(repo, name));
    if (!newest || info.mtimeMs > newest.mtime) newest = { path: join(repo, name), mtime: info.mtimeMs };
  }
  if (!newest) return undefined;
  const result = await exec('sh', ['-c', 'subunit-1to2 < "$1"', 'sh', newest.path], { cwd: ws.dir, env: tempestEnv(), captureStdout: true });
  return result.stdout[0] === 0xb3 ? result.stdout : undefined;
}
