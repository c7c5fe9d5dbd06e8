/**
 * Where the wall time of `openstack server create --wait` goes: the same command against
 * kos beside `openstack --version` (Python and the client starting, nothing else) and
 * `openstack token issue` (start-up plus authentication), run one after another. The
 * difference is what kos and the API round trips cost. Printed, never asserted.
 *
 *   npx tsx bench/cli-wall.ts [--runs 5]
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { promisify } from 'node:util';
import { startKos } from '../src/cli/start.js';
import { figure, fmt, freePort, isMain, summarize } from './support.js';

const run = promisify(execFile);

async function timed(env: NodeJS.ProcessEnv, args: string[]): Promise<number> {
  const t0 = performance.now();
  await run('openstack', args, { env, timeout: 120_000 });
  return performance.now() - t0;
}

export async function benchCliWall(opts: { runs: number }): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'kos-bench-cli-'));
  const kos = await startKos({
    dataDir: dir, host: '127.0.0.1', port: await freePort(), kubernetesPort: 0, logLevel: 'silent', adminPassword: 'bench-secret',
    overrides: { identity: { passwordHashCost: 10 } },
  });
  const env = { ...process.env, OS_CLIENT_CONFIG_FILE: join(dir, 'clouds.yaml'), OS_CLOUD: 'kos' };
  try {
    const version: number[] = [];
    const token: number[] = [];
    const create: number[] = [];
    for (let i = 0; i < opts.runs; i++) {
      version.push(await timed(env, ['--version']));
      token.push(await timed(env, ['token', 'issue', '-f', 'value', '-c', 'id']));
      create.push(await timed(env, ['server', 'create', '--flavor', 'm1.tiny', '--image', 'cirros', '--network', 'private', '--wait', '-f', 'value', '-c', 'id', `wall-${i}`]));
    }
    const line = (xs: number[]) => `p50 ${fmt(summarize(xs).p50, 0)} ms, max ${fmt(summarize(xs).max, 0)} ms`;
    figure(`cli: openstack --version (×${opts.runs})`, line(version));
    figure(`cli: openstack token issue (×${opts.runs})`, line(token));
    figure(`cli: openstack server create --wait (×${opts.runs})`, line(create));
    const share = (summarize(version).p50 / summarize(create).p50) * 100;
    figure('cli: share of create --wait that is client start-up', `${fmt(share, 0)} %`);
  } finally {
    await kos.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (isMain(import.meta.url)) {
  const { values } = parseArgs({ options: { runs: { type: 'string', default: '5' } } });
  await benchCliWall({ runs: Math.max(1, Number(values.runs) || 5) });
}
