// Runs one external command (tempest, stestr) to completion: output to a log file and,
// line by line, to a callback; stdout kept when asked; a deadline after which the whole
// process group is killed (stestr forks one worker per concurrency slot).
import { spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { createInterface } from 'node:readline';

export interface ExecOptions {
  readonly cwd: string;
  readonly env?: NodeJS.ProcessEnv;
  /** Appends stdout and stderr here. */
  readonly logFile?: string;
  /** Called with every line of stdout and stderr. */
  readonly onLine?: (line: string) => void;
  /** Keep stdout in the result (binary safe). */
  readonly captureStdout?: boolean;
  readonly timeoutMs?: number;
}

export interface ExecResult {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly timedOut: boolean;
  readonly stdout: Buffer;
}

/** Kills the running command's process group; the harness calls it when it is interrupted. */
export type Abort = () => void;

export function exec(command: string, args: readonly string[], options: ExecOptions, onStart?: (abort: Abort) => void): Promise<ExecResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: options.env ?? process.env,
      stdio: ['ignore', 'pipe', 'pipe'],
      // Its own process group, so a timeout can end the workers it forks too.
      detached: true,
    });
    const log = options.logFile ? createWriteStream(options.logFile, { flags: 'a' }) : undefined;
    const chunks: Buffer[] = [];
    let timedOut = false;

    const killGroup = (signal: NodeJS.Signals): void => {
      if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
      try {
        process.kill(-child.pid, signal);
      } catch {
        // Already gone.
      }
    };
    const abort = (): void => {
      killGroup('SIGTERM');
      setTimeout(() => killGroup('SIGKILL'), 5_000).unref();
    };
    const timer = options.timeoutMs === undefined ? undefined : setTimeout(() => {
      timedOut = true;
      abort();
    }, options.timeoutMs);

    for (const stream of [child.stdout, child.stderr]) {
      stream.on('data', (chunk: Buffer) => log?.write(chunk));
      if (options.onLine) createInterface({ input: stream, crlfDelay: Infinity }).on('line', options.onLine);
    }
    if (options.captureStdout) child.stdout.on('data', (chunk: Buffer) => chunks.push(chunk));

    child.once('error', (err: NodeJS.ErrnoException) => {
      if (timer) clearTimeout(timer);
      log?.end();
      reject(err.code === 'ENOENT' ? new Error(`${command}: command not found`) : err);
    });
    child.once('close', (code, signal) => {
      if (timer) clearTimeout(timer);
      const done = (): void => resolve({ code, signal, timedOut, stdout: Buffer.concat(chunks) });
      if (log) log.end(done);
      else done();
    });
    onStart?.(abort);
  });
}
