/**
 * Prometheus metrics of the reconcile runtime. They live on a registry the caller passes
 * in (never prom-client's global one), so two clouds in one test process do not collide.
 * Several managers may share a registry — one per process in production, two in the
 * leader-election tests — so the metric set is created once per registry and shared.
 */
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

export type ReconcileOutcome = 'success' | 'requeue_after' | 'error';

export class ReconcileMetrics {
  private readonly total: Counter<'controller' | 'result'>;
  private readonly errors: Counter<'controller'>;
  private readonly duration: Histogram<'controller'>;
  /** Depth sources per controller, read at scrape time rather than pushed on every add. */
  private readonly depthSources = new Map<string, Set<() => number>>();

  constructor(registry: Registry) {
    const sources = this.depthSources;
    new Gauge({
      name: 'kos_reconcile_queue_depth',
      help: 'Keys waiting in a controller work queue for a worker.',
      labelNames: ['controller'],
      registers: [registry],
      collect() {
        this.reset();
        for (const [controller, fns] of sources) {
          let depth = 0;
          for (const fn of fns) depth += fn();
          this.set({ controller }, depth);
        }
      },
    });
    this.total = new Counter({
      name: 'kos_reconcile_total',
      help: 'Reconcile calls by controller and result (success, requeue_after, error).',
      labelNames: ['controller', 'result'],
      registers: [registry],
    });
    this.errors = new Counter({
      name: 'kos_reconcile_errors_total',
      help: 'Reconcile calls that threw and were requeued with back-off.',
      labelNames: ['controller'],
      registers: [registry],
    });
    this.duration = new Histogram({
      name: 'kos_reconcile_duration_seconds',
      help: 'Time spent in one reconcile call, by the injected clock.',
      labelNames: ['controller'],
      buckets: [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 10, 60],
      registers: [registry],
    });
  }

  /** Report a queue's depth under a controller's name until the returned function is called. */
  trackQueue(controller: string, depth: () => number): () => void {
    let fns = this.depthSources.get(controller);
    if (!fns) {
      fns = new Set();
      this.depthSources.set(controller, fns);
    }
    fns.add(depth);
    return () => {
      fns.delete(depth);
      if (fns.size === 0) this.depthSources.delete(controller);
    };
  }

  observe(controller: string, outcome: ReconcileOutcome, seconds: number): void {
    this.total.inc({ controller, result: outcome });
    if (outcome === 'error') this.errors.inc({ controller });
    this.duration.observe({ controller }, seconds);
  }
}

const byRegistry = new WeakMap<Registry, ReconcileMetrics>();

/** The reconcile metrics on this registry, registering them on first use. */
export function reconcileMetrics(registry: Registry): ReconcileMetrics {
  let m = byRegistry.get(registry);
  if (!m) {
    m = new ReconcileMetrics(registry);
    byRegistry.set(registry, m);
  }
  return m;
}
