/**
 * The shared setup of the identity HTTP tests: one kos for the file, admin and demo
 * project tokens, a JSON client for the identity API and the openstack CLI as admin.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll } from 'vitest';
import { issueToken, startTestKos } from './kos.js';

const run = promisify(execFile);

export type Kos = Awaited<ReturnType<typeof startTestKos>>;
export type Json = Record<string, unknown>;

export const o = (v: unknown): Json => v as Json;
export const list = (v: unknown): Json[] => v as Json[];

export interface IdentityWorld {
  /** Set in beforeAll, like the tokens. */
  kos: Kos;
  admin: string;
  demo: string;
  /** A request below the identity URL (`/regions`); the admin token unless another is given. */
  call(method: string, path: string, body?: unknown, token?: string): Promise<{ status: number; body: Json }>;
  /** `openstack <args> -f json` as admin. */
  openstack(...args: string[]): Promise<Json>;
}

/** Registers the file's beforeAll/afterAll; the fields are filled in when beforeAll runs. */
export function useIdentityKos(): IdentityWorld {
  const world: Partial<IdentityWorld> = {};
  const self = world as IdentityWorld;
  world.call = async (method, path, body, token = self.admin) => {
    const res = await fetch(`${self.kos.authUrl}${path}`, {
      method,
      headers: { 'x-auth-token': token, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    const text = await res.text();
    return { status: res.status, body: text ? (JSON.parse(text) as Json) : {} };
  };
  world.openstack = async (...args) => {
    const env = {
      PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/tmp',
      OS_AUTH_URL: self.kos.authUrl, OS_USERNAME: 'admin', OS_PASSWORD: 'admin-secret', OS_PROJECT_NAME: 'admin',
      OS_USER_DOMAIN_ID: 'default', OS_PROJECT_DOMAIN_ID: 'default', OS_IDENTITY_API_VERSION: '3',
    };
    return JSON.parse((await run('openstack', [...args, '-f', 'json'], { env })).stdout) as Json;
  };
  beforeAll(async () => {
    world.kos = await startTestKos();
    world.admin = await issueToken(self.kos.authUrl, 'admin', 'admin-secret', 'admin');
    world.demo = await issueToken(self.kos.authUrl, 'demo', self.kos.demoPassword, 'demo');
  });
  afterAll(async () => {
    await world.kos?.cleanup();
  });
  return self;
}
