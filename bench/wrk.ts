/**
 * Load from wrk (Debian's `wrk`), a second process on loopback: a C client costs the
 * server's two cores far less than a Node client, so the server's own ceiling shows.
 * Benchmarks use it when it is installed and fall back to the worker-thread client.
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LoadSpec } from './http-load.js';

export interface WrkResult {
  perSec: number;
  p50: number;
  p99: number;
  /** Responses other than the expected status. */
  failures: number;
}

export function wrkAvailable(): boolean {
  try {
    execFileSync('wrk', ['--version'], { stdio: 'ignore' });
    return true;
  } catch (e) {
    // wrk prints its version and exits 1; only a missing binary is ENOENT.
    return (e as NodeJS.ErrnoException).code !== 'ENOENT';
  }
}

const luaString = (s: string): string => JSON.stringify(s);

/** Milliseconds from wrk's latency notation (`812.00us`, `1.20ms`, `2.01s`). */
function ms(text: string): number {
  const m = /^([\d.]+)(us|ms|s)$/.exec(text.trim());
  if (!m) return NaN;
  const v = Number(m[1]);
  return m[2] === 'us' ? v / 1000 : m[2] === 's' ? v * 1000 : v;
}

/** Asynchronous on purpose: the server under test may live in this very process. */
export async function runWrk(spec: Omit<LoadSpec, 'total'> & { seconds: number }): Promise<WrkResult> {
  const dir = mkdtempSync(join(tmpdir(), 'kos-wrk-'));
  try {
    const script = join(dir, 'request.lua');
    const headers = Object.entries(spec.headers)
      .map(([k, v]) => `wrk.headers[${luaString(k)}] = ${luaString(v)}`)
      .join('\n');
    writeFileSync(
      script,
      [
        `wrk.method = ${luaString(spec.method)}`,
        spec.body !== undefined ? `wrk.body = ${luaString(spec.body)}` : '',
        headers,
        'local bad = 0',
        `response = function(status) if status ~= ${spec.expectStatus} then bad = bad + 1 end end`,
        'done = function() io.write("unexpected " .. bad .. "\\n") end',
      ].join('\n'),
    );
    // One wrk thread: on two cores a second one takes CPU from the server it measures.
    const threads = 1;
    const child = spawn(
      'wrk',
      ['-t', String(threads), '-c', String(spec.concurrency), '-d', `${spec.seconds}s`, '--latency', '-s', script, spec.url],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    await new Promise<void>((resolve, reject) => {
      child.once('error', reject);
      child.once('exit', () => resolve());
    });
    const perSec = Number(/Requests\/sec:\s+([\d.]+)/.exec(out)?.[1] ?? NaN);
    const p50 = ms(/\s50%\s+(\S+)/.exec(out)?.[1] ?? '');
    const p99 = ms(/\s99%\s+(\S+)/.exec(out)?.[1] ?? '');
    // wrk's threads each run `done`; with one Lua state per thread only the last count prints.
    const failures = [...out.matchAll(/unexpected (\d+)/g)].reduce((n, m) => n + Number(m[1]), 0);
    const socketErrors = /Socket errors: (.*)/.exec(out)?.[1];
    if (socketErrors) process.stderr.write(`wrk socket errors: ${socketErrors}\n`);
    return { perSec, p50, p99, failures };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
