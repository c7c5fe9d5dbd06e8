/**
 * Cold start of `kos up` as a user runs it: spawn to the `kos ready` line, first start on
 * an empty data dir and restarts on an existing one, and the resident memory once ready.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { figure, fmt, freePort, isMain, summarize } from './support.js';

const main = process.env.KOS_MAIN ?? join(import.meta.dirname, '../dist/kos.mjs');

interface Start {
  wallMs: number;
  reportedMs: number;
  rssMiB: number;
}

async function startOnce(dataDir: string): Promise<Start> {
  const port = await freePort();
  const t0 = performance.now();
  const child = spawn(process.execPath, [main, 'up', '--data-dir', dataDir, '--port', String(port)], {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, KOS_ADMIN_PASSWORD: 'bench-secret', KOS_LOG_LEVEL: 'warn' },
  });
  let out = '';
  const reported = await new Promise<number>((resolve, reject) => {
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /^kos ready in (\d+) ms$/m.exec(out);
      if (m) resolve(Number(m[1]));
    });
    child.on('exit', () => reject(new Error(`kos exited before ready:\n${out}`)));
  });
  const wallMs = performance.now() - t0;
  const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
  const rssKiB = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? NaN);
  child.kill('SIGTERM');
  await new Promise((r) => child.on('exit', r));
  return { wallMs, reportedMs: reported, rssMiB: rssKiB / 1024 };
}

export async function benchStartup(runs = 5): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'kos-bench-start-'));
  try {
    const first = await startOnce(join(dir, 'data'));
    const restarts: Start[] = [];
    for (let i = 0; i < runs; i++) restarts.push(await startOnce(join(dir, 'data')));
    figure('startup: first start, spawn → kos ready', `${fmt(first.wallMs)} ms (in-process ${first.reportedMs} ms)`);
    const wall = summarize(restarts.map((r) => r.wallMs));
    const inproc = summarize(restarts.map((r) => r.reportedMs));
    figure(`startup: restart ×${runs}, spawn → kos ready`, `p50 ${fmt(wall.p50)} ms, max ${fmt(wall.max)} ms (target ≤ 300)`);
    figure('startup: restart, in-process to ready', `p50 ${fmt(inproc.p50)} ms`);
    figure('startup: RSS once ready', `${fmt(summarize(restarts.map((r) => r.rssMiB)).p50)} MiB (target ≤ 120)`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (isMain(import.meta.url)) await benchStartup();
