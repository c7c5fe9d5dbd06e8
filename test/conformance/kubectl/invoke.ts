// Runs kubectl once for a step: stdin written and closed, stdout and stderr kept apart,
// stopped early when the step says so (watches, port-forward) and killed at its timeout.
import { spawn } from 'node:child_process';
import type { Invocation } from './checks.js';
import type { Step } from './step.js';

export interface KubectlEnv {
  readonly kubectl: string;
  /** KUBECONFIG, HOME (kubectl's discovery cache) and the rest. */
  readonly env: NodeJS.ProcessEnv;
  readonly cwd: string;
}

const DEFAULT_TIMEOUT_MS = 30_000;

export function invoke(step: Step, target: KubectlEnv): Promise<Invocation> {
  return new Promise((resolve) => {
    // Its own process group, so stopping it also stops anything it started (which would
    // otherwise hold stdout open, and 'close' would wait for them).
    const child = spawn(target.kubectl, [...step.args], { cwd: target.cwd, env: target.env, stdio: ['pipe', 'pipe', 'pipe'], detached: true });
    const signalGroup = (signal: NodeJS.Signals): void => {
      if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
      try {
        process.kill(-child.pid, signal);
      } catch {
        // Already gone.
      }
    };
    let stdout = '';
    let stderr = '';
    let stopped = false;
    let timedOut = false;
    const wanted = step.stopAfterMs === undefined ? [] : step.expect.stdout ?? [];
    const stop = (): void => {
      stopped = true;
      signalGroup('SIGTERM');
    };
    const stopTimer = step.stopAfterMs === undefined ? undefined : setTimeout(stop, step.stopAfterMs);
    const killTimer = setTimeout(() => {
      timedOut = true;
      signalGroup('SIGKILL');
    }, step.timeoutMs ?? DEFAULT_TIMEOUT_MS);

    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
      // A long-running command has shown what it had to: no need to wait out stopAfterMs.
      if (wanted.length > 0 && !stopped && wanted.every((regex) => regex.test(stdout))) stop();
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
    });
    // kubectl may exit before reading stdin (a usage error): that is its answer, not ours.
    child.stdin.on('error', () => undefined);
    child.stdin.end(step.stdin ?? '');
    const finish = (code: number | null, extra = ''): void => {
      clearTimeout(killTimer);
      if (stopTimer) clearTimeout(stopTimer);
      resolve({ code, stdout, stderr: stderr + extra, stopped: stopped && !timedOut, timedOut });
    };
    child.once('error', (err) => finish(null, `\n${err.message}`));
    child.once('close', (code) => finish(code));
  });
}
