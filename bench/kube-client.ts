/**
 * An HTTPS client for a kos Kubernetes cluster in benchmarks: the admin client pair from
 * the kubeconfig, Node's https with keep-alive, and bounded-concurrency timed calls.
 */
import { request, type Agent } from 'node:https';
import { readFileSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import { parse } from 'yaml';

export interface Credentials {
  ca: string;
  cert: string;
  key: string;
}

/** The CA and admin client pair of the kubeconfig's first cluster and user. */
export function credentialsOf(kubeconfigPath: string): Credentials {
  const doc = parse(readFileSync(kubeconfigPath, 'utf8')) as {
    clusters?: { cluster?: Record<string, string> }[];
    users?: { user?: Record<string, string> }[];
  };
  const cluster = doc.clusters?.[0]?.cluster ?? {};
  const user = doc.users?.[0]?.user ?? {};
  const decode = (b64: string | undefined, what: string): string => {
    if (!b64) throw new Error(`kubeconfig has no ${what}`);
    return Buffer.from(b64, 'base64').toString('utf8');
  };
  return {
    ca: decode(cluster['certificate-authority-data'], 'certificate-authority-data'),
    cert: decode(user['client-certificate-data'], 'client-certificate-data'),
    key: decode(user['client-key-data'], 'client-key-data'),
  };
}

interface Reply {
  status: number;
  body: string;
}

export class Client {
  constructor(
    private readonly base: URL,
    private readonly agent: Agent,
  ) {}

  send(method: string, path: string, body?: unknown, accept = 'application/json'): Promise<Reply> {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    return new Promise((resolve, reject) => {
      const req = request(
        new URL(path, this.base),
        {
          method,
          agent: this.agent,
          headers: { accept, ...(payload ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) } : {}) },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      req.end(payload);
    });
  }

  async json(method: string, path: string, body?: unknown, accept?: string): Promise<Record<string, unknown>> {
    const r = await this.send(method, path, body, accept);
    if (r.status >= 300) throw new Error(`${method} ${path}: ${r.status} ${r.body.slice(0, 300)}`);
    return JSON.parse(r.body) as Record<string, unknown>;
  }

  /** A streaming GET: the response once its headers arrived. */
  stream(path: string): Promise<IncomingMessage> {
    return new Promise((resolve, reject) => {
      const req = request(new URL(path, this.base), { agent: this.agent, headers: { accept: 'application/json' } }, resolve);
      req.on('error', reject);
      req.end();
    });
  }
}

/** Run `count` calls with at most `width` in flight; returns each call's latency in ms. */
export async function timedCalls(count: number, width: number, call: (i: number) => Promise<unknown>): Promise<number[]> {
  const latencies: number[] = new Array<number>(count);
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < count) {
      const i = next++;
      const t0 = performance.now();
      await call(i);
      latencies[i] = performance.now() - t0;
    }
  };
  await Promise.all(Array.from({ length: width }, lane));
  return latencies;
}

