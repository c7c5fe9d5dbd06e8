/**
 * Token benchmark over HTTP against an in-process kos: validation (GET /v3/auth/tokens)
 * at concurrency 1 and 16, issuing by the token method (rescoping) and issuing by
 * password at the configured hash cost (never lowered here: that cost is the point).
 * Also the in-process cost of one validation. The HTTP client runs in a worker thread
 * (bench/http-load.ts) so it does not share the server's core. Figures are printed, never
 * asserted.
 * Run: `npx tsx bench/identity-tokens.ts`.
 */
import { request, Agent } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startKos } from '../src/cli/start.js';
import { runLoad, type LoadSpec } from './http-load.js';
import { figure, fmt, freePort, isMain, summarize } from './support.js';
import { runWrk, wrkAvailable } from './wrk.js';

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

function send(agent: Agent, url: string, method: string, headers: Record<string, string>, body?: string): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method, headers, agent }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (text += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
    });
    req.on('error', reject);
    if (body) req.write(body);
    req.end();
  });
}

/** Run `total` requests with `concurrency` in flight; latencies in ms. */
async function load(total: number, concurrency: number, one: () => Promise<void>): Promise<{ perSec: number; lat: number[] }> {
  const lat: number[] = [];
  let next = 0;
  const t0 = performance.now();
  const worker = async () => {
    while (next < total) {
      next++;
      const s = performance.now();
      await one();
      lat.push(performance.now() - s);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return { perSec: (total / (performance.now() - t0)) * 1000, lat };
}

function report(name: string, r: { perSec: number; lat: number[] }): void {
  const s = summarize(r.lat);
  figure(name, `${fmt(r.perSec, 0)} req/s  p50 ${fmt(s.p50, 2)} ms  p99 ${fmt(s.p99, 2)} ms`);
}

export async function benchIdentityTokens(opts: { validations?: number; rescopes?: number; passwordIssues?: number } = {}): Promise<void> {
  const validations = opts.validations ?? 20_000;
  const rescopes = opts.rescopes ?? 2_000;
  const passwordIssues = opts.passwordIssues ?? 10;
  const dir = mkdtempSync(join(tmpdir(), 'kos-bench-tokens-'));
  const kos = await startKos({ dataDir: dir, host: '127.0.0.1', port: await freePort(), logLevel: 'silent', adminPassword: 'bench-secret' });
  const agent = new Agent({ keepAlive: true, maxSockets: 32 });
  const tokensUrl = `${kos.authUrl}/auth/tokens`;
  const json = { 'content-type': 'application/json' };
  try {
    const passwordBody = JSON.stringify({
      auth: {
        identity: { methods: ['password'], password: { user: { name: 'admin', domain: { id: 'default' }, password: 'bench-secret' } } },
        scope: { project: { name: 'admin', domain: { id: 'default' } } },
      },
    });
    const first = await send(agent, tokensUrl, 'POST', json, passwordBody);
    if (first.status !== 201) throw new Error(`could not issue a token: ${first.status} ${first.body}`);
    const token = first.headers['x-subject-token'] as string;
    const validateHeaders = { 'x-auth-token': token, 'x-subject-token': token };

    // In-process: the provider alone, warm cache (the part every API request pays).
    const provider = kos.identity.tokens;
    for (let i = 0; i < 1000; i++) await provider.validate(token);
    const n = 200_000;
    const t0 = performance.now();
    for (let i = 0; i < n; i++) await provider.validate(token);
    figure('tokens: in-process validate (cached)', `${fmt(((performance.now() - t0) * 1000) / n, 2)} µs/op`);

    const useWrk = wrkAvailable();
    figure('tokens: load client', useWrk ? 'wrk (a second process)' : 'Node worker thread (install wrk for the server\'s ceiling)');
    const loadOf = async (name: string, spec: Omit<LoadSpec, 'expectStatus'>, expectStatus = 200) => {
      if (useWrk) {
        const w = await runWrk({ ...spec, expectStatus, seconds: 5 });
        if (w.failures > 0) throw new Error(`${name}: ${w.failures} requests failed`);
        figure(name, `${fmt(w.perSec, 0)} req/s  p50 ${fmt(w.p50, 2)} ms  p99 ${fmt(w.p99, 2)} ms`);
        return;
      }
      const r = await runLoad({ ...spec, expectStatus });
      if (r.failures > 0) throw new Error(`${name}: ${r.failures} requests failed`);
      report(name, { perSec: r.perSec, lat: r.latencies });
    };
    const get = { url: tokensUrl, method: 'GET', headers: validateHeaders };
    await runLoad({ ...get, total: 2000, concurrency: 4, expectStatus: 200 }); // warm-up
    await loadOf('tokens: GET /v3/auth/tokens, concurrency 1', { ...get, total: Math.floor(validations / 4), concurrency: 1 });
    await loadOf('tokens: GET /v3/auth/tokens, concurrency 16', { ...get, total: validations, concurrency: 16 });
    await loadOf('tokens: GET ?nocatalog, concurrency 16', { ...get, url: `${tokensUrl}?nocatalog`, total: validations, concurrency: 16 });
    // wrk waits for a body after HEAD's Content-Length; HEAD is measured with the Node client only.
    if (!useWrk) await loadOf('tokens: HEAD /v3/auth/tokens, concurrency 16', { ...get, method: 'HEAD', total: validations, concurrency: 16 });

    const rescopeBody = JSON.stringify({
      auth: { identity: { methods: ['token'], token: { id: token } }, scope: { project: { name: 'admin', domain: { id: 'default' } } } },
    });
    await loadOf(
      'tokens: POST by token method, concurrency 16',
      { url: tokensUrl, method: 'POST', headers: json, body: rescopeBody, total: rescopes, concurrency: 16 },
      201,
    );

    const byPassword = async () => {
      const r = await send(agent, tokensUrl, 'POST', json, passwordBody);
      if (r.status !== 201) throw new Error(`password issue failed: ${r.status}`);
    };
    const seq = await load(passwordIssues, 1, byPassword);
    const s = summarize(seq.lat);
    figure(`tokens: POST by password (scrypt cost ${kos.config.identity.passwordHashCost})`, `${fmt(s.p50, 1)} ms/issue p50, ${fmt(s.max, 1)} ms max`);
    report('tokens: POST by password, concurrency 4', await load(passwordIssues, 4, byPassword));
  } finally {
    agent.destroy();
    await kos.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (isMain(import.meta.url)) await benchIdentityTokens();
