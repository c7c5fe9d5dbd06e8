import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { instrumentStore } from '../../../src/core/store/metrics.js';
import { b, rejection, withStore } from './helpers.js';

describe('store metrics', () => {
  it('counts operations by result and times them', async () => {
    await withStore(async ({ store }) => {
      const registry = new Registry();
      const s = instrumentStore(store, registry);
      const kv = await s.create('/m/a', b('1'));
      await rejection(s.create('/m/a', b('1')));
      await s.update('/m/a', b('2'), kv.modRevision);
      await rejection(s.update('/m/a', b('3'), kv.modRevision));
      await s.get('/m/a');
      s.watch('/m/', { afterRevision: 0 }).close();
      // A second instrumented store on the same registry shares the metrics.
      const again = instrumentStore(store, registry);
      await again.get('/m/a');

      const text = await registry.metrics();
      expect(text).toContain('kos_store_operations_total{operation="create",result="ok"} 1');
      expect(text).toContain('kos_store_operations_total{operation="create",result="AlreadyExists"} 1');
      expect(text).toContain('kos_store_operations_total{operation="update",result="Conflict"} 1');
      expect(text).toContain('kos_store_operations_total{operation="get",result="ok"} 2');
      expect(text).toContain('kos_store_operations_total{operation="watch",result="ok"} 1');
      expect(text).toContain('kos_store_operation_duration_seconds_count{operation="update"} 2');
    });
  });
});
