import { Registry, collectDefaultMetrics } from 'prom-client';

/** One registry per kos process (never prom-client's global one, so tests can run many). */
export function createMetricsRegistry(opts: { defaults?: boolean } = {}): Registry {
  const registry = new Registry();
  if (opts.defaults ?? true) collectDefaultMetrics({ register: registry, prefix: 'kos_process_' });
  return registry;
}
