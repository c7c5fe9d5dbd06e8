/** Test helpers: a real kos in-process on a free port with a fresh data dir. */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startKos, type KosInstance, type StartOptions } from '../../src/cli/start.js';

export const tempDir = (name = 'kos-test-'): string => mkdtempSync(join(tmpdir(), name));

/** Start kos with cheap password hashing (tests check behaviour, not hash cost). */
export async function startTestKos(opts: StartOptions = {}): Promise<KosInstance & { cleanup(): Promise<void> }> {
  const dataDir = opts.dataDir ?? tempDir();
  const kos = await startKos({
    host: '127.0.0.1',
    port: 0,
    kubernetesPort: 0,
    logLevel: 'silent',
    adminPassword: 'admin-secret',
    ...opts,
    dataDir,
    overrides: { identity: { passwordHashCost: 10 }, ...(opts.overrides ?? {}) },
  });
  return Object.assign(kos, {
    async cleanup() {
      await kos.stop();
      if (!opts.dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  });
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

/** Password-authenticate and return a project-scoped token. */
export async function issueToken(
  authUrl: string,
  user: string,
  password: string,
  project: string,
): Promise<string> {
  const res = await fetch(`${authUrl}/auth/tokens`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      auth: {
        identity: { methods: ['password'], password: { user: { name: user, domain: { id: 'default' }, password } } },
        scope: { project: { name: project, domain: { id: 'default' } } },
      },
    }),
  });
  if (res.status !== 201) throw new Error(`token issue failed: ${res.status} ${await res.text()}`);
  return res.headers.get('x-subject-token')!;
}
