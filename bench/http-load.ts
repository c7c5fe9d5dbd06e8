/**
 * An HTTP load generator in a worker thread, so on a 2-core machine the client has a core
 * of its own and the server under test (in the main thread) is what gets measured.
 * Keep-alive connections, a fixed number of requests, `concurrency` of them in flight.
 *
 * The worker's code is plain JavaScript evaluated in the worker: a TypeScript worker file
 * would need the tsx loader, which Node 20 does not carry into worker threads.
 */
import { Worker } from 'node:worker_threads';

export interface LoadSpec {
  url: string;
  method: string;
  headers: Record<string, string>;
  body?: string;
  total: number;
  concurrency: number;
  expectStatus: number;
}

export interface LoadResult {
  perSec: number;
  /** Per-request latency, ms. */
  latencies: number[];
  failures: number;
}

const workerSource = `
const { Agent, request } = require('node:http');
const { parentPort, workerData: spec } = require('node:worker_threads');
const agent = new Agent({ keepAlive: true, maxSockets: spec.concurrency });
const once = () => new Promise((resolve, reject) => {
  const req = request(spec.url, { method: spec.method, headers: spec.headers, agent }, (res) => {
    res.resume();
    res.on('end', () => resolve(res.statusCode));
  });
  req.on('error', reject);
  if (spec.body) req.write(spec.body);
  req.end();
});
(async () => {
  const latencies = [];
  let failures = 0;
  let started = 0;
  const t0 = performance.now();
  const loop = async () => {
    while (started < spec.total) {
      started++;
      const s = performance.now();
      const status = await once();
      latencies.push(performance.now() - s);
      if (status !== spec.expectStatus) failures++;
    }
  };
  await Promise.all(Array.from({ length: spec.concurrency }, loop));
  const perSec = (spec.total / (performance.now() - t0)) * 1000;
  agent.destroy();
  parentPort.postMessage({ perSec, latencies, failures });
})();
`;

/** Run the load in a worker thread and wait for its figures. */
export function runLoad(spec: LoadSpec): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const w = new Worker(workerSource, { eval: true, workerData: spec });
    w.once('message', (r: LoadResult) => resolve(r));
    w.once('error', reject);
    w.once('exit', (code) => {
      if (code !== 0) reject(new Error(`load worker exited with ${code}`));
    });
  });
}
