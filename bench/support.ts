/** Small pieces the benchmarks share: percentiles, free ports, figures printed alike. */
import { createServer } from 'node:net';
import { readdirSync, readFileSync } from 'node:fs';

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i]!;
}

export function summarize(samples: number[]): { p50: number; p90: number; p99: number; min: number; max: number } {
  const s = [...samples].sort((a, b) => a - b);
  return { p50: percentile(s, 50), p90: percentile(s, 90), p99: percentile(s, 99), min: s[0] ?? NaN, max: s[s.length - 1] ?? NaN };
}

export const fmt = (n: number, digits = 1): string => n.toFixed(digits);

export function figure(name: string, value: string): void {
  process.stdout.write(`${name.padEnd(48)} ${value}\n`);
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

/** True when this module is the script node was started with. */
export const isMain = (url: string): boolean => process.argv[1] !== undefined && url.endsWith(process.argv[1].replace(/^.*\//, '/'));

/**
 * CPU seconds of each thread of this process by thread id, in the order the threads
 * were started (Linux /proc; empty elsewhere). Node names every thread "node", so the id
 * and the order are what tell them apart: the first is the main thread.
 */
export function threadCpu(): Map<number, number> {
  const out = new Map<number, number>();
  let tids: number[];
  try {
    tids = readdirSync('/proc/self/task').map(Number).sort((a, b) => a - b);
  } catch {
    return out;
  }
  const tick = 100; // USER_HZ on every Linux this runs on
  for (const tid of tids) {
    try {
      const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      out.set(tid, (Number(fields[11]) + Number(fields[12])) / tick);
    } catch {
      // The thread ended between the listing and the read.
    }
  }
  return out;
}

/** Where the CPU went between two threadCpu() readings: the busiest threads, main first. */
export function threadCpuDelta(before: Map<number, number>, after: Map<number, number>, top = 4): string {
  const main = process.pid;
  const deltas = [...after].map(([tid, s]) => [tid, s - (before.get(tid) ?? 0)] as const).filter(([, s]) => s >= 0.05);
  deltas.sort((a, b) => (a[0] === main ? -1 : b[0] === main ? 1 : b[1] - a[1]));
  const shown = deltas.slice(0, top).map(([tid, s]) => `${tid === main ? 'main' : `#${tid - main}`} ${fmt(s, 1)}`);
  const rest = deltas.slice(top).reduce((sum, [, s]) => sum + s, 0);
  return `${shown.join(', ')}${rest > 0 ? `, others ${fmt(rest, 1)}` : ''} s`;
}
