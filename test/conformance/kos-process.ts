// kos as the system under test: `kos up` in a child process, ready when it prints a line
// starting with "kos ready", stopped with SIGTERM (SIGKILL if it lingers).
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { createInterface } from 'node:readline';

export interface KosOptions {
  /** dist/kos.mjs */
  readonly main: string;
  readonly dataDir: string;
  readonly host: string;
  readonly port: number;
  readonly adminPassword: string;
  /** Everything kos prints goes here. */
  readonly logFile: string;
  readonly readyTimeoutMs?: number;
  readonly stopTimeoutMs?: number;
}

export interface Kos {
  /**
   * Resolves on the "kos ready" line; rejects with a KosStartError (kos stopped) if kos
   * exits first or stays silent past the timeout.
   */
  readonly ready: Promise<void>;
  /** The last lines kos printed, for error messages. */
  tail(): string;
  /** How kos ended if it has (a crash mid-run explains a wall of connection errors). */
  exitStatus(): string | undefined;
  /** Ends kos; resolves once it has exited. Safe to call at any time, and twice. */
  stop(): Promise<void>;
}

const TAIL_LINES = 200;
// Coloured output would hide the marker from a plain startsWith.
const ANSI = new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, 'g');

export class KosStartError extends Error {
  constructor(message: string, readonly output: string) {
    super(message);
    this.name = 'KosStartError';
  }
}

/** Spawns kos at once; the handle exists before kos is ready, so it can be stopped any time. */
export function launchKos(options: KosOptions): Kos {
  const child = spawn(process.execPath, [
    options.main, 'up', '--data-dir', options.dataDir, '--host', options.host, '--port', String(options.port),
  ], {
    // The Kubernetes API on a free port unless the caller chose one (the kubectl suite
    // does), so runs side by side never collide on 6443.
    env: { ...process.env, KOS_ADMIN_PASSWORD: options.adminPassword, KOS_KUBERNETES_PORT: process.env.KOS_KUBERNETES_PORT ?? '0' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const log = createWriteStream(options.logFile, { flags: 'a' });
  const lines: string[] = [];
  const tail = (): string => lines.join('\n');

  let exitStatus: string | undefined;
  const exited = new Promise<void>((resolve) => {
    // 'close' rather than 'exit': by then every line kos printed has been read.
    child.once('close', (code, signal) => {
      exitStatus = signal ? `killed by ${signal}` : `exited with code ${code}`;
      resolve();
    });
    // A child that never spawned may emit no 'close'.
    child.once('error', (err) => {
      exitStatus = `failed to start: ${err.message}`;
      resolve();
    });
  });
  // One stop for all callers; it resolves once kos has exited and its log is on disk.
  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => (stopping ??= stopChild(child, exited, options.stopTimeoutMs ?? 5_000)
    .then(() => new Promise<void>((resolve) => log.end(resolve))));

  const ready = new Promise<void>((resolve, reject) => {
    let settled = false;
    const fail = (message: string): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      void stop().then(() => reject(new KosStartError(message, tail())));
    };
    const timeoutMs = options.readyTimeoutMs ?? 30_000;
    const timer = setTimeout(() => fail(`kos did not print "kos ready" within ${timeoutMs / 1000} s`), timeoutMs);

    for (const stream of [child.stdout, child.stderr]) {
      stream.on('data', (chunk: Buffer) => log.write(chunk));
      createInterface({ input: stream, crlfDelay: Infinity }).on('line', (raw) => {
        const line = raw.replace(ANSI, '');
        lines.push(line);
        if (lines.length > TAIL_LINES) lines.shift();
        if (!settled && line.trimStart().startsWith('kos ready')) {
          settled = true;
          clearTimeout(timer);
          resolve();
        }
      });
    }
    void exited.then(() => fail(`kos ${exitStatus ?? 'exited'} before it was ready`));
  });

  return { ready, tail, exitStatus: () => exitStatus, stop };
}

async function stopChild(child: ChildProcess, exited: Promise<void>, timeoutMs: number): Promise<void> {
  const running = child.exitCode === null && child.signalCode === null && child.pid !== undefined;
  if (running) {
    child.kill('SIGTERM');
    let timer: NodeJS.Timeout | undefined;
    const lingering = new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(true), timeoutMs);
    });
    const stubborn = await Promise.race([exited.then(() => false), lingering]);
    clearTimeout(timer);
    if (stubborn) child.kill('SIGKILL');
  }
  await exited;
}
