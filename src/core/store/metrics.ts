/**
 * Prometheus instrumentation of any Store: a count of operations by result and their
 * latency. The result label is 'ok' or the KosError kind ('Conflict', 'NotFound', …), a
 * small fixed set, so a storm of conflicts shows up without exploding label cardinality.
 */
import { Counter, Histogram, type Registry } from 'prom-client';
import { isKosError } from '../errors.js';
import type { Store } from './types.js';

type Labels = 'operation' | 'result';

const operationsName = 'kos_store_operations_total';
const durationName = 'kos_store_operation_duration_seconds';
// Embedded SQLite answers in microseconds; an fsync or a busy lock takes milliseconds.
const buckets = [0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1];

export function instrumentStore(store: Store, registry: Registry): Store {
  const operations = counterIn(registry);
  const duration = histogramIn(registry);
  const resultOf = (e: unknown): string => (isKosError(e) ? e.kind : 'error');

  const timed = async <R>(operation: string, run: () => Promise<R>): Promise<R> => {
    const stop = duration.startTimer({ operation });
    try {
      const value = await run();
      operations.inc({ operation, result: 'ok' });
      return value;
    } catch (e) {
      operations.inc({ operation, result: resultOf(e) });
      throw e;
    } finally {
      stop();
    }
  };

  return {
    get: (key, opts) => timed('get', () => store.get(key, opts)),
    range: (prefix, opts) => timed('range', () => store.range(prefix, opts)),
    create: (key, value, opts) => timed('create', () => store.create(key, value, opts)),
    update: (key, value, rev, opts) => timed('update', () => store.update(key, value, rev, opts)),
    delete: (key, opts) => timed('delete', () => store.delete(key, opts)),
    // Opening a watch is synchronous; how it later ends is the consumer's business.
    watch: (prefix, opts) => {
      const stop = duration.startTimer({ operation: 'watch' });
      try {
        const w = store.watch(prefix, opts);
        operations.inc({ operation: 'watch', result: 'ok' });
        return w;
      } catch (e) {
        operations.inc({ operation: 'watch', result: resultOf(e) });
        throw e;
      } finally {
        stop();
      }
    },
    grantLease: (ttl) => timed('grantLease', () => store.grantLease(ttl)),
    keepAlive: (id) => timed('keepAlive', () => store.keepAlive(id)),
    revokeLease: (id) => timed('revokeLease', () => store.revokeLease(id)),
    compact: (rev) => timed('compact', () => store.compact(rev)),
    currentRevision: () => timed('currentRevision', () => store.currentRevision()),
    compactedRevision: () => timed('compactedRevision', () => store.compactedRevision()),
    close: () => timed('close', () => store.close()),
  };
}

// Instrumenting two stores against one registry shares the metrics instead of failing
// on a duplicate registration.

function counterIn(registry: Registry): Counter<Labels> {
  const existing = registry.getSingleMetric(operationsName);
  if (existing instanceof Counter) return existing as Counter<Labels>;
  return new Counter<Labels>({
    name: operationsName,
    help: 'Store operations by operation and result (ok or the error kind).',
    labelNames: ['operation', 'result'],
    registers: [registry],
  });
}

function histogramIn(registry: Registry): Histogram<'operation'> {
  const existing = registry.getSingleMetric(durationName);
  if (existing instanceof Histogram) return existing as Histogram<'operation'>;
  return new Histogram<'operation'>({
    name: durationName,
    help: 'Latency of store operations in seconds.',
    labelNames: ['operation'],
    buckets,
    registers: [registry],
  });
}
