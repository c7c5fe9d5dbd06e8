/**
 * The API server's end of its controllers' thread (controller-thread.ts): starts the
 * thread, serves it the store, and starts it again should it die, as a supervisor would
 * restart kube-controller-manager. Controllers are level-triggered: a new thread lists,
 * and converges from whatever the last one left.
 */
import { Worker } from 'node:worker_threads';
import type { Logger } from '../../../core/log.js';
import { serveStore } from '../../../core/store/store-host.js';
import type { Store } from '../../../core/store/types.js';
import { workerEntry } from '../../../core/worker-entry.js';
import { isControllersMessage, type ControllerThreadData, type FromControllers, type ToControllers } from './messages.js';

export interface ControllerThreadOptions {
  store: Store;
  cluster: string;
  caPem?: string;
  log: Logger;
  /** Wait this long before starting a thread that died (default 1 s). */
  restartDelayMs?: number;
}

export interface ControllerThread {
  /** Resolves once the first thread's informers have synced; rejects if it could not start. */
  readonly ready: Promise<void>;
  setApiServerPort(port: number): void;
  /**
   * End the thread at once, as a crash would (failure rehearsal); it is started again
   * after the restart delay. Resolves once it has exited.
   */
  kill(): Promise<void>;
  /** How many times the thread has been started. */
  starts(): number;
  stop(): Promise<void>;
}

/** How long a stopping thread may take to finish its work before it is terminated. */
const stopGraceMs = 10_000;

export function startControllerThread(opts: ControllerThreadOptions): ControllerThread {
  const log = opts.log.child({ component: 'kube-controller-manager' });
  const data: ControllerThreadData = { cluster: opts.cluster, logLevel: opts.log.level, ...(opts.caPem ? { caPem: opts.caPem } : {}) };
  let apiServerPort: number | undefined;
  let stopping = false;
  let current: { worker: Worker; exited: Promise<void> } | undefined;
  let restartTimer: NodeJS.Timeout | undefined;
  let starts = 0;
  let settle: { resolve: () => void; reject: (e: Error) => void } | undefined;
  const ready = new Promise<void>((resolve, reject) => (settle = { resolve, reject }));

  const tell = (worker: Worker, msg: ToControllers): void => worker.postMessage(msg);

  const launch = (): void => {
    starts++;
    const entry = workerEntry(new URL('./controller-thread.ts', import.meta.url), 'kube-controllers-thread');
    const worker = new Worker(entry.file, { workerData: { ...entry.workerData, ...data } });
    const host = serveStore(opts.store, worker);
    if (apiServerPort !== undefined) tell(worker, { type: 'controllers.apiServerPort', port: apiServerPort });
    worker.on('message', (msg: unknown) => {
      if (!isControllersMessage(msg)) return;
      const m = msg as FromControllers;
      if (m.type === 'controllers.ready') {
        settle?.resolve();
        settle = undefined;
      } else if (m.type === 'controllers.failed') {
        log.error({ reason: m.message }, 'controllers could not start');
        settle?.reject(new Error(`controllers could not start: ${m.message}`));
        settle = undefined;
        void worker.terminate();
      } else if (m.type === 'controllers.stopped') {
        // Its work is done; whatever handles it still holds (a log stream) need not end it.
        void worker.terminate();
      }
    });
    worker.on('error', (e) => log.error({ err: e }, 'controllers thread failed'));
    const exited = new Promise<void>((resolve) =>
      worker.once('exit', (code) => {
        host.close();
        resolve();
        if (stopping) return;
        log.error({ code }, 'controllers thread exited; starting it again');
        settle?.reject(new Error(`controllers thread exited (code ${code})`));
        settle = undefined;
        restartTimer = setTimeout(launch, opts.restartDelayMs ?? 1000);
      }),
    );
    current = { worker, exited };
  };

  launch();
  // Nothing waits on a thread that was stopped before it was ready.
  ready.catch(() => undefined);
  return {
    ready,
    setApiServerPort(port) {
      apiServerPort = port;
      if (current) tell(current.worker, { type: 'controllers.apiServerPort', port });
    },
    async kill() {
      if (!current || stopping) return;
      const { worker, exited } = current;
      await worker.terminate();
      await exited;
    },
    starts: () => starts,
    async stop() {
      if (stopping) return;
      stopping = true;
      clearTimeout(restartTimer);
      if (!current) return;
      const { worker, exited } = current;
      tell(worker, { type: 'controllers.stop' });
      const grace = setTimeout(() => void worker.terminate(), stopGraceMs);
      await exited;
      clearTimeout(grace);
    },
  };
}
