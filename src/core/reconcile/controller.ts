/**
 * A controller binds one reconciler to a work queue fed by informers, and runs N workers
 * over the queue. The reconciler is told only a key — never the event that woke it — and
 * re-reads the world; whatever it returns or throws decides when the key runs again.
 */
import type { Clock } from '../clock.js';
import { silentLogger, type Logger } from '../log.js';
import { unlessAborted } from './cancel.js';
import type { Informer } from './informer.js';
import type { ReconcileMetrics, ReconcileOutcome } from './metrics.js';
import { WorkQueue, type WorkQueueOptions } from './workqueue.js';

export interface ReconcileResult {
  /** Run this key again after so many ms even if nothing changes (polling an outside world). */
  requeueAfterMs?: number;
}

/**
 * One narrow transition of the world. reconcile() must be idempotent: it may run again
 * for the same key at any time, including after a crash halfway through. Throwing
 * requeues the key with per-key exponential back-off.
 */
export interface Reconciler {
  readonly name: string;
  reconcile(key: string): Promise<ReconcileResult>;
}

/** Something a controller's workers may run once it has synced: in practice an informer. */
export interface SyncSource {
  start(): void;
  stop(): Promise<void>;
  waitForSync(): Promise<void>;
}

/** Where a controller's keys come from: an informer and how its objects map to keys. */
export interface Source {
  readonly informer: SyncSource;
  /** Call enqueue for every key that should be reconciled; returns an unsubscribe. */
  subscribe(enqueue: (key: string) => void): () => void;
}

/**
 * Keys from an informer. By default an object's own key; toKeys maps an object to the
 * keys of the objects that own or depend on it (a pod to its node, say). On an update,
 * the keys of the old and the new object are both enqueued, so a pod moving between
 * nodes wakes both nodes.
 */
export function fromInformer<T>(informer: Informer<T>, toKeys?: (key: string, object: T) => string[]): Source {
  const map = toKeys ?? ((key: string): string[] => [key]);
  return {
    informer,
    subscribe(enqueue) {
      const push = (key: string, object: T): void => {
        for (const k of map(key, object)) enqueue(k);
      };
      return informer.addHandler({
        onAdd: push,
        onUpdate: (key, oldObject, newObject) => {
          push(key, oldObject);
          push(key, newObject);
        },
        onDelete: push,
      });
    },
  };
}

export interface ControllerOptions {
  reconciler: Reconciler;
  clock: Clock;
  sources?: Source[];
  /** Keys reconciled concurrently; one key is never reconciled twice at once (default 1). */
  workers?: number;
  /**
   * Run only in the process that holds the manager's leader lease (default true: one
   * process runs a given controller). Per-node work such as a kubelet sets false.
   */
  leaderElected?: boolean;
  logger?: Logger;
  metrics?: ReconcileMetrics;
  queue?: Omit<WorkQueueOptions, 'clock'>;
}

interface Run {
  abort: AbortController;
  queue: WorkQueue;
  unsubscribes: (() => void)[];
  workers: Promise<void>[];
  starting: Promise<void>;
  untrack: () => void;
}

export class Controller {
  readonly name: string;
  readonly leaderElected: boolean;
  readonly sources: readonly Source[];
  private readonly reconciler: Reconciler;
  private readonly clock: Clock;
  private readonly workerCount: number;
  private readonly log: Logger;
  private readonly metrics: ReconcileMetrics | undefined;
  private readonly queueOptions: Omit<WorkQueueOptions, 'clock'>;
  private current: Run | undefined;

  constructor(opts: ControllerOptions) {
    this.reconciler = opts.reconciler;
    this.name = opts.reconciler.name;
    this.clock = opts.clock;
    this.sources = opts.sources ?? [];
    this.workerCount = Math.max(1, opts.workers ?? 1);
    this.leaderElected = opts.leaderElected ?? true;
    this.log = (opts.logger ?? silentLogger()).child({ component: 'controller', controller: this.name });
    this.metrics = opts.metrics;
    this.queueOptions = opts.queue ?? {};
  }

  isRunning(): boolean {
    return this.current !== undefined;
  }

  /**
   * Subscribe to the sources and, once every one has synced, start the workers. Keys
   * arriving before that wait in the queue: reconciling against a half-filled cache
   * would mistake "not listed yet" for "does not exist". A fresh queue per start means
   * a controller stopped on losing leadership can start again on regaining it.
   */
  start(): Promise<void> {
    if (this.current) return this.current.starting;
    const abort = new AbortController();
    const queue = new WorkQueue({ clock: this.clock, ...this.queueOptions });
    const run: Run = {
      abort,
      queue,
      unsubscribes: this.sources.map((s) => s.subscribe((key) => queue.add(key))),
      workers: [],
      starting: Promise.resolve(),
      untrack: this.metrics?.trackQueue(this.name, () => queue.depth()) ?? (() => undefined),
    };
    this.current = run;
    run.starting = (async () => {
      const synced = await unlessAborted(Promise.all(this.sources.map((s) => s.informer.waitForSync())), abort.signal);
      if (!synced) return;
      for (let i = 0; i < this.workerCount; i++) run.workers.push(this.worker(queue));
      this.log.debug({ workers: this.workerCount }, 'controller started');
    })();
    return run.starting;
  }

  /** Stop taking keys and wait for reconciles in flight to finish. */
  async stop(): Promise<void> {
    const run = this.current;
    if (!run) return;
    run.abort.abort();
    for (const unsubscribe of run.unsubscribes) unsubscribe();
    run.queue.shutdown();
    await run.starting.catch(() => undefined);
    await Promise.all(run.workers);
    run.untrack();
    if (this.current === run) this.current = undefined;
    this.log.debug('controller stopped');
  }

  /** Queue a key by hand (a periodic resync, a test). Ignored while stopped. */
  enqueue(key: string): void {
    this.current?.queue.add(key);
  }

  /** Keys waiting for a worker right now. */
  queueDepth(): number {
    return this.current?.queue.depth() ?? 0;
  }

  /** Nothing queued, delayed or in flight: the controller has converged for now. */
  isIdle(): boolean {
    const q = this.current?.queue;
    return !q || (q.depth() === 0 && q.delayedCount() === 0 && q.inFlight() === 0);
  }

  private async worker(queue: WorkQueue): Promise<void> {
    for (;;) {
      const key = await queue.get();
      if (key === undefined) return;
      await this.process(queue, key);
    }
  }

  private async process(queue: WorkQueue, key: string): Promise<void> {
    const started = this.clock.now();
    let outcome: ReconcileOutcome;
    try {
      const result = await this.reconciler.reconcile(key);
      queue.forget(key);
      if (result.requeueAfterMs !== undefined) {
        queue.addAfter(key, result.requeueAfterMs);
        outcome = 'requeue_after';
      } else {
        outcome = 'success';
      }
    } catch (err) {
      queue.addRateLimited(key);
      outcome = 'error';
      // A lost compare-and-swap is routine where controllers act on caches: the retry reads anew.
      const level = lostRace(err) ? 'debug' : 'warn';
      this.log[level]({ err, key, retries: queue.retries(key) }, 'reconcile failed; requeued with back-off');
    } finally {
      queue.done(key);
    }
    this.metrics?.observe(this.name, outcome, (this.clock.now() - started) / 1000);
  }
}

/** A 409 of either error family (KosError.status, a Kubernetes StatusError's code). */
function lostRace(err: unknown): boolean {
  if (typeof err !== 'object' || err === null) return false;
  const e = err as { status?: unknown; code?: unknown };
  return e.status === 409 || e.code === 409;
}
