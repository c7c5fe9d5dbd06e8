import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KosStartError, launchKos, type KosOptions } from '../../conformance/kos-process.js';

// Stand-ins for `kos up`: each is a node script taking kos's arguments.
const STUBS = {
  // The handler comes first: a SIGTERM right after "kos ready" must find it in place.
  ready: `process.on('SIGTERM', () => { console.log('kos: SIGTERM, shutting down'); process.exit(0); });
console.log('kos data dir ' + process.argv[process.argv.indexOf('--data-dir') + 1]);
console.log('\\u001b[32mkos ready in 3 ms\\u001b[0m', process.env.KOS_ADMIN_PASSWORD);
setInterval(() => {}, 1000);`,
  crash: `console.error('kos: cannot open store'); process.exit(3);`,
  silent: `setInterval(() => {}, 1000);`,
  stubborn: `process.on('SIGTERM', () => {}); console.log('kos ready'); setInterval(() => {}, 1000);`,
};

let dir: string;
const options = (stub: keyof typeof STUBS, extra: Partial<KosOptions> = {}): KosOptions => ({
  main: join(dir, `${stub}.mjs`), dataDir: join(dir, 'data'), host: '127.0.0.1', port: 1,
  adminPassword: 'pw', logFile: join(dir, `${stub}.log`), ...extra,
});

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kos-process-test-'));
  for (const [name, source] of Object.entries(STUBS)) await writeFile(join(dir, `${name}.mjs`), source);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('launchKos', () => {
  it('is ready on the "kos ready" line, passes the password, stops with SIGTERM', async () => {
    const kos = launchKos(options('ready'));
    await kos.ready;
    expect(kos.exitStatus()).toBeUndefined();
    await kos.stop();
    expect(kos.exitStatus()).toBe('exited with code 0');
    const log = await readFile(join(dir, 'ready.log'), 'utf8');
    expect(log).toContain(`kos data dir ${join(dir, 'data')}`);
    expect(log).toContain('pw');
    expect(log).toContain('SIGTERM, shutting down');
    await kos.stop();
  });

  it('reports a kos that exits before it is ready, with what it printed', async () => {
    const kos = launchKos(options('crash'));
    const error = await kos.ready.then(() => undefined, (err: unknown) => err);
    expect(error).toBeInstanceOf(KosStartError);
    expect((error as KosStartError).message).toBe('kos exited with code 3 before it was ready');
    expect((error as KosStartError).output).toContain('cannot open store');
  });

  it('gives up on a silent kos after the timeout and stops it', async () => {
    const kos = launchKos(options('silent', { readyTimeoutMs: 300 }));
    await expect(kos.ready).rejects.toThrow(/did not print "kos ready" within 0.3 s/);
    expect(kos.exitStatus()).toBe('killed by SIGTERM');
  });

  it('kills a kos that ignores SIGTERM', async () => {
    const kos = launchKos(options('stubborn', { stopTimeoutMs: 300 }));
    await kos.ready;
    await kos.stop();
    expect(kos.exitStatus()).toBe('killed by SIGKILL');
  });
});
