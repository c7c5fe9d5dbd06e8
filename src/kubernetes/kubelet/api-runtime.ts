/**
 * The API server's ContainerRuntime (pods/log, exec, attach, portforward) answered from
 * the kubelet's pod records and the runtime driver: the container named in a request is
 * found through the pod's record, its current (or previous) runtime container used.
 */
import { PassThrough, type Duplex } from 'node:stream';
import type { Clock } from '../../core/clock.js';
import { RuntimeError, type LogEntry, type RuntimeDriver } from '../../drivers/runtime/types.js';
import type { KubeObject } from '../apiserver/object.js';
import { badRequest } from '../apiserver/status.js';
import type { ContainerRuntime, ContainerSession, LogOptions, SessionExit, StreamOptions } from '../runtime/types.js';
import type { PodRecord } from './pod-sync.js';

export interface RuntimeLookup {
  record(pod: KubeObject): PodRecord | undefined;
}

const timestamp = (ms: number): string => new Date(ms).toISOString().replace(/Z$/, '000000Z');

export function apiRuntime(driver: RuntimeDriver, lookup: RuntimeLookup, clock: Clock): ContainerRuntime {
  const containerId = (pod: KubeObject, container: string, previous = false): string => {
    const record = lookup.record(pod);
    const view = record?.containers.get(container)?.view;
    const id = previous ? view?.lastId : view?.id;
    if (!record || !view || !id) {
      if (previous) throw badRequest(`previous terminated container "${container}" in pod "${pod.metadata.name ?? ''}" not found`);
      throw badRequest(`container "${container}" in pod "${pod.metadata.name ?? ''}" is waiting to start: ${view?.waiting?.reason ?? 'ContainerCreating'}`);
    }
    return id;
  };
  const running = (pod: KubeObject, container: string): string => {
    const id = containerId(pod, container);
    if (driver.containerStatus(id)?.state.state !== 'running') {
      throw badRequest(`cannot exec into a container in a completed pod; current phase is ${String((pod.status as { phase?: string } | undefined)?.phase ?? 'Unknown')}`);
    }
    return id;
  };

  return {
    async *logs(pod, container, opts: LogOptions, signal) {
      const log = driver.containerLog(containerId(pod, container, opts.previous));
      if (!log) return;
      const since = opts.sinceSeconds !== undefined ? clock.now() - opts.sinceSeconds * 1000 : -Infinity;
      const render = (e: LogEntry): Buffer => (opts.timestamps ? Buffer.concat([Buffer.from(`${timestamp(e.at)} `), e.data]) : e.data);
      let entries = log.entries().filter((e) => e.at >= since);
      if (opts.tailLines !== undefined) entries = entries.slice(Math.max(0, entries.length - opts.tailLines));
      // Subscribe before replaying so nothing written meanwhile is lost.
      const queue: Buffer[] = [];
      let closed = !opts.follow;
      let wake: (() => void) | undefined;
      const unsubscribe = opts.follow
        ? log.subscribe(
            (e) => {
              queue.push(render(e));
              wake?.();
            },
            () => {
              closed = true;
              wake?.();
            },
          )
        : () => undefined;
      const onAbort = (): void => wake?.();
      signal.addEventListener('abort', onAbort);
      try {
        for (const e of entries) yield render(e);
        while (!signal.aborted) {
          const next = queue.shift();
          if (next) {
            yield next;
            continue;
          }
          if (closed) return;
          await new Promise<void>((r) => (wake = r));
          wake = undefined;
        }
      } finally {
        unsubscribe();
        signal.removeEventListener('abort', onAbort);
      }
    },

    async exec(pod, container, command, opts: StreamOptions): Promise<ContainerSession> {
      const id = running(pod, container);
      return session(opts, (io, signal) => driver.exec(id, command, io, signal));
    },

    async attach(pod, container, opts: StreamOptions): Promise<ContainerSession> {
      const id = running(pod, container);
      const log = driver.containerLog(id);
      return session(opts, (io, signal) =>
        new Promise<number>((resolve) => {
          const unsubscribe = log?.subscribe(
            (e) => (e.stream === 'stderr' && !opts.tty ? io.stderr : io.stdout).write(e.data),
            () => resolve(driver.containerStatus(id)?.state.state === 'exited' ? exitCodeOf(driver, id) : 0),
          );
          signal.addEventListener('abort', () => {
            unsubscribe?.();
            resolve(0);
          });
        }),
      );
    },

    async portForward(pod, port): Promise<Duplex> {
      const record = lookup.record(pod);
      if (!record?.sandboxId) throw badRequest(`pod "${pod.metadata.name ?? ''}" is not running`);
      return driver.portForward(record.sandboxId, port);
    },
  };
}

function exitCodeOf(driver: RuntimeDriver, id: string): number {
  const s = driver.containerStatus(id)?.state;
  return s?.state === 'exited' ? s.exitCode : 0;
}

/** Streams for the client, a process over them, and the exit once its output is flushed. */
function session(opts: StreamOptions, run: (io: Parameters<RuntimeDriver['exec']>[2], signal: AbortSignal) => Promise<number>): ContainerSession {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const stdin = opts.stdin ? new PassThrough() : undefined;
  const abort = new AbortController();
  const exit = (async (): Promise<SessionExit> => {
    try {
      const code = await run({ stdout, stderr, tty: opts.tty, ...(stdin ? { stdin } : {}) }, abort.signal);
      return { exitCode: code };
    } catch (e) {
      if (e instanceof RuntimeError) return { error: e.message };
      throw e;
    } finally {
      stdout.end();
      stderr.end();
    }
  })();
  return {
    ...(stdin ? { stdin } : {}),
    ...(opts.stdout ? { stdout } : {}),
    ...(opts.stderr && !opts.tty ? { stderr } : {}),
    resize: () => undefined,
    exit,
    close: () => {
      abort.abort();
      stdin?.end();
    },
  };
}
