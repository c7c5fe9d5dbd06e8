/**
 * GET pods/log: the container's log as text/plain. Errors found before the first byte
 * (no such pod or container, container not running) are ordinary Status responses;
 * once streaming, the body simply ends. With `follow` the response is chunked and stays
 * open until the log ends or the client goes away.
 */
import type { ServerResponse } from 'node:http';
import type { RuntimeResolver } from '../../runtime/types.js';
import type { Registry } from '../registry.js';
import type { ResourceDefinition } from '../resource.js';
import { chooseContainer } from './container-choice.js';
import { parseLogOptions } from './log-options.js';

export interface PodLogRequest {
  registry: Registry;
  pods: ResourceDefinition;
  runtime: RuntimeResolver;
  namespace: string;
  name: string;
  query: Record<string, string | undefined>;
}

export async function servePodLog(req: PodLogRequest, res: ServerResponse): Promise<void> {
  const pod = await req.registry.get(req.pods, req.namespace, req.name);
  const container = chooseContainer(pod, req.query.container);
  const opts = parseLogOptions(req.query);
  const gone = new AbortController();
  res.on('close', () => gone.abort());
  const chunks = req.runtime(pod).logs(pod, container, opts, gone.signal)[Symbol.asyncIterator]();
  // The first read decides between an error Status and a 200 stream.
  let next = await chunks.next();
  res.writeHead(200, { 'content-type': 'text/plain', 'cache-control': 'no-cache, private' });
  if (opts.follow) res.flushHeaders();
  let budget = opts.limitBytes ?? Infinity;
  try {
    while (!next.done && !gone.signal.aborted && budget > 0) {
      const chunk = next.value.length > budget ? next.value.subarray(0, budget) : next.value;
      budget -= chunk.length;
      if (!res.write(chunk)) await drained(res);
      if (budget <= 0) break;
      next = await chunks.next();
    }
  } catch {
    // A runtime failure mid-stream can only end the body; the status line is gone.
  } finally {
    await chunks.return?.();
    if (!res.writableEnded) res.end();
  }
}

function drained(res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
  });
}
