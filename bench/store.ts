/**
 * Store benchmark: sequential write and read throughput of the SQLite backend and the
 * latency from a write's call to its event reaching a watcher. Figures are printed,
 * never asserted. Run: `npx tsx bench/store.ts`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { SystemClock } from '../src/core/clock.js';
import { openSqliteStore } from '../src/core/store/sqlite.js';
import type { Durability } from '../src/core/store/sqlite-schema.js';
import type { Store } from '../src/core/store/types.js';

export interface StoreBenchResult {
  durability: Durability;
  createsPerSec: number;
  updatesPerSec: number;
  readsPerSec: number;
  /** Keys per second listing the whole prefix in pages of 100 with continue tokens. */
  listKeysPerSec: number;
  watchLatencyMs: { p50: number; p99: number; max: number };
}

const value = new TextEncoder().encode(JSON.stringify({ kind: 'Pod', spec: { containers: [{ image: 'busybox', name: 'c' }] }, pad: 'x'.repeat(400) }));

async function timed(n: number, op: (i: number) => Promise<unknown>): Promise<number> {
  const start = process.hrtime.bigint();
  for (let i = 0; i < n; i++) await op(i);
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  return Math.round(n / seconds);
}

/** List the prefix `rounds` times, page by page; keys listed per second. */
async function listRate(store: Store, prefix: string, pageSize: number, rounds: number): Promise<number> {
  let keys = 0;
  const start = process.hrtime.bigint();
  for (let i = 0; i < rounds; i++) {
    let token: string | undefined;
    do {
      const page = await store.range(prefix, { limit: pageSize, continue: token });
      keys += page.kvs.length;
      token = page.continue;
    } while (token);
  }
  return Math.round(keys / (Number(process.hrtime.bigint() - start) / 1e9));
}

const percentile = (sorted: number[], p: number): number => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? 0;

async function watchLatency(store: Store, n: number): Promise<StoreBenchResult['watchLatencyMs']> {
  const issued = new Map<number, bigint>();
  const latencies: number[] = [];
  const watch = store.watch('/lat/', { afterRevision: await store.currentRevision() });
  const consumer = (async () => {
    for await (const batch of watch) {
      const now = process.hrtime.bigint();
      for (const e of batch) {
        const t = issued.get(e.kv.modRevision);
        if (t !== undefined) latencies.push(Number(now - t) / 1e6);
      }
      if (latencies.length >= n) break;
    }
  })();
  for (let i = 0; i < n; i++) {
    const t = process.hrtime.bigint();
    const rev = (await store.currentRevision()) + 1;
    issued.set(rev, t);
    await store.create(`/lat/${i}`, value);
    // Give the watcher its turn, as a server handling requests would.
    if (i % 10 === 0) await new Promise<void>((r) => setImmediate(r));
  }
  await consumer;
  latencies.sort((a, b) => a - b);
  const round = (x: number): number => Math.round(x * 1000) / 1000;
  return { p50: round(percentile(latencies, 0.5)), p99: round(percentile(latencies, 0.99)), max: round(latencies[latencies.length - 1] ?? 0) };
}

export async function runStoreBench(opts: { n?: number; durability?: Durability } = {}): Promise<StoreBenchResult> {
  const n = opts.n ?? 10_000;
  const durability = opts.durability ?? 'normal';
  const dir = mkdtempSync(join(tmpdir(), 'kos-bench-store-'));
  const store = openSqliteStore({ path: join(dir, 'kos.db'), clock: new SystemClock(), durability });
  try {
    const key = (i: number): string => `/bench/pods/default/pod-${String(i).padStart(6, '0')}`;
    const revs: number[] = [];
    const createsPerSec = await timed(n, async (i) => revs.push((await store.create(key(i), value)).modRevision));
    const updatesPerSec = await timed(n, async (i) => {
      revs[i] = (await store.update(key(i), value, revs[i] ?? 0)).modRevision;
    });
    const readsPerSec = await timed(n, (i) => store.get(key(i)));
    const listKeysPerSec = await listRate(store, '/bench/pods/', 100, 3);
    const watchLatencyMs = await watchLatency(store, Math.min(n, 5_000));
    return { durability, createsPerSec, updatesPerSec, readsPerSec, listKeysPerSec, watchLatencyMs };
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

function print(r: StoreBenchResult): void {
  console.log(`store (sqlite, durability=${r.durability})`);
  console.log(`  create   ${r.createsPerSec.toLocaleString('en')} writes/s (sequential awaits)`);
  console.log(`  update   ${r.updatesPerSec.toLocaleString('en')} writes/s (sequential awaits, CAS)`);
  console.log(`  get      ${r.readsPerSec.toLocaleString('en')} reads/s`);
  console.log(`  list     ${r.listKeysPerSec.toLocaleString('en')} keys/s (pages of 100 with continue)`);
  console.log(`  watch    write call -> event delivered: p50 ${r.watchLatencyMs.p50} ms, p99 ${r.watchLatencyMs.p99} ms, max ${r.watchLatencyMs.max} ms`);
}

export async function main(): Promise<void> {
  print(await runStoreBench({ n: 10_000, durability: 'normal' }));
  // An fsync per commit: what a power-safe configuration costs on this disk.
  print(await runStoreBench({ n: 1_000, durability: 'full' }));
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await main();
}
