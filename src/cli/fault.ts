/**
 * `kos fault list|down|up`: rehearse failures against a running kos. Authenticates as the
 * admin of `<data-dir>/clouds.yaml` (cloud `kos`) and calls `/kos/v1/faults`.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { defaultDataDir } from '../core/config.js';

interface AdminCloud {
  authUrl: string;
  username: string;
  password: string;
  project: string;
}

function adminCloud(dataDir: string): AdminCloud {
  const file = join(dataDir, 'clouds.yaml');
  let doc: unknown;
  try {
    doc = parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new Error(`cannot read ${file} (is kos up with this data dir?): ${(e as Error).message}`, { cause: e });
  }
  const auth = (doc as { clouds?: { kos?: { auth?: Record<string, unknown> } } }).clouds?.kos?.auth;
  const str = (k: string): string => {
    const v = auth?.[k];
    if (typeof v !== 'string') throw new Error(`${file}: cloud kos has no auth.${k}`);
    return v;
  };
  return { authUrl: str('auth_url'), username: str('username'), password: str('password'), project: str('project_name') };
}

async function adminToken(cloud: AdminCloud): Promise<string> {
  const res = await fetch(`${cloud.authUrl}/auth/tokens`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      auth: {
        identity: { methods: ['password'], password: { user: { name: cloud.username, domain: { id: 'default' }, password: cloud.password } } },
        scope: { project: { name: cloud.project, domain: { id: 'default' } } },
      },
    }),
  });
  const token = res.headers.get('x-subject-token');
  if (!res.ok || !token) throw new Error(`authentication failed: ${res.status} ${await res.text()}`);
  return token;
}

/** The listener's base URL: the auth URL without `/v3`. */
const baseOf = (authUrl: string): string => authUrl.replace(/\/v3\/?$/, '');

async function call(dataDir: string | undefined, method: 'GET' | 'POST', body?: unknown): Promise<unknown> {
  const cloud = adminCloud(dataDir ?? defaultDataDir());
  const token = await adminToken(cloud);
  const res = await fetch(`${baseOf(cloud.authUrl)}/kos/v1/faults`, {
    method,
    headers: { 'x-auth-token': token, ...(body ? { 'content-type': 'application/json' } : {}) },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${res.status}: ${text}`);
  return JSON.parse(text) as unknown;
}

interface FaultListing {
  faults: { kind: string; description: string; targets: { name: string; state: string }[] }[];
}

export async function listFaults(opts: { dataDir?: string }): Promise<void> {
  const { faults } = (await call(opts.dataDir, 'GET')) as FaultListing;
  for (const f of faults) {
    process.stdout.write(`${f.kind}: ${f.description}\n`);
    for (const t of f.targets) process.stdout.write(`  ${t.name.padEnd(32)} ${t.state}\n`);
  }
}

export function setFault(state: 'down' | 'up') {
  return async (kind: string, name: string, opts: { dataDir?: string }): Promise<void> => {
    await call(opts.dataDir, 'POST', { kind, name, state });
    process.stdout.write(`${kind} ${name} ${state}\n`);
  };
}
