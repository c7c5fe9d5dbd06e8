/** Small pieces the benchmarks share: percentiles, free ports, figures printed alike. */
import { createServer } from 'node:net';

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
