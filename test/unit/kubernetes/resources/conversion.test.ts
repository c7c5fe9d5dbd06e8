/** One stored object served at two versions: HPAs at autoscaling/v1 and v2, Events at core/v1 and events.k8s.io/v1. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { listObjects } from '../../../../src/kubernetes/apiserver/list.js';
import { events } from '../../../../src/kubernetes/apiserver/resources/events.js';
import { eventsV1 } from '../../../../src/kubernetes/apiserver/resources/events-v1.js';
import { horizontalpodautoscalersV1 as v1 } from '../../../../src/kubernetes/apiserver/resources/hpa-v1.js';
import { horizontalpodautoscalersV2 as v2 } from '../../../../src/kubernetes/apiserver/resources/hpa-v2.js';
import { runWatch, type WatchEvent } from '../../../../src/kubernetes/apiserver/watch.js';
import { world, type World } from '../apiserver/world.js';

let w: World;
beforeEach(async () => {
  w = await world();
});
afterEach(async () => {
  await w.close();
});

const ref = { apiVersion: 'apps/v1', kind: 'Deployment', name: 'd' };

describe('horizontalpodautoscalers at v1 and v2', () => {
  it('a v1 create is stored as v2 and read back at both versions', async () => {
    const created = await w.registry.create(v1, 'default', { metadata: { name: 'h' }, spec: { scaleTargetRef: ref, maxReplicas: 5, targetCPUUtilizationPercentage: 50 } });
    expect(created).toMatchObject({ apiVersion: 'autoscaling/v1', spec: { minReplicas: 1, maxReplicas: 5, targetCPUUtilizationPercentage: 50 } });
    const stored = await w.registry.get(v2, 'default', 'h');
    expect(stored).toMatchObject({
      apiVersion: 'autoscaling/v2',
      spec: { minReplicas: 1, metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 50 } } }] },
    });
    expect(stored.metadata.resourceVersion).toBe(created.metadata.resourceVersion);
    expect(stored.metadata.uid).toBe(created.metadata.uid);
  });

  it('a v1 create without a target reads back the default 80% at v1', async () => {
    const created = await w.registry.create(v1, 'default', { metadata: { name: 'h' }, spec: { scaleTargetRef: ref, maxReplicas: 5 } });
    expect((created.spec as Record<string, unknown>).targetCPUUtilizationPercentage).toBe(80);
  });

  it('a v1 update keeps the metrics and behavior v1 cannot express', async () => {
    const memory = { type: 'Resource', resource: { name: 'memory', target: { type: 'AverageValue', averageValue: '100Mi' } } };
    await w.registry.create(v2, 'default', {
      metadata: { name: 'h' },
      spec: { scaleTargetRef: ref, maxReplicas: 5, metrics: [memory, { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 60 } } }], behavior: { scaleUp: { selectPolicy: 'Min' } } },
    });
    const viaV1 = await w.registry.get(v1, 'default', 'h');
    expect(viaV1.spec).toEqual({ scaleTargetRef: ref, minReplicas: 1, maxReplicas: 5, targetCPUUtilizationPercentage: 60 });
    await w.registry.update(v1, 'default', 'h', { ...viaV1, spec: { ...(viaV1.spec as object), targetCPUUtilizationPercentage: 70, maxReplicas: 7 } });
    const after = await w.registry.get(v2, 'default', 'h');
    expect(after.spec).toMatchObject({
      maxReplicas: 7,
      metrics: [memory, { type: 'Resource', resource: { name: 'cpu', target: { averageUtilization: 70 } } }],
      behavior: { scaleUp: { selectPolicy: 'Min', stabilizationWindowSeconds: 0 } },
    });
    expect(after.metadata.generation).toBe(2);
  });

  it('status written at v2 shows as currentCPUUtilizationPercentage at v1', async () => {
    await w.registry.create(v2, 'default', { metadata: { name: 'h' }, spec: { scaleTargetRef: ref, maxReplicas: 5 } });
    await w.registry.updateWith(v2, 'default', 'h', (c) => ({ ...c, status: { currentReplicas: 2, desiredReplicas: 3, currentMetrics: [{ type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: 42, averageValue: '10m' } } }] } }), { subresource: 'status' });
    expect((await w.registry.get(v1, 'default', 'h')).status).toEqual({ currentReplicas: 2, desiredReplicas: 3, currentCPUUtilizationPercentage: 42 });
  });

  it('lists, watches and deletes through v1 see the v2 objects converted', async () => {
    await w.registry.create(v2, 'default', { metadata: { name: 'h' }, spec: { scaleTargetRef: ref, maxReplicas: 5 } });
    const list = await listObjects(w.registry, v1, 'default', {});
    expect(list).toMatchObject({ kind: 'HorizontalPodAutoscalerList', apiVersion: 'autoscaling/v1', items: [{ spec: { targetCPUUtilizationPercentage: 80 } }] });
    const seen: WatchEvent[] = [];
    const stop = new AbortController();
    await runWatch(w.registry, v1, 'default', {}, (e) => {
      seen.push(e);
      stop.abort();
    }, stop.signal);
    expect(seen[0]).toMatchObject({ type: 'ADDED', object: { apiVersion: 'autoscaling/v1', spec: { targetCPUUtilizationPercentage: 80 } } });
    const deleted = await w.registry.delete(v1, 'default', 'h');
    expect(deleted.object.apiVersion).toBe('autoscaling/v1');
    expect((await listObjects(w.registry, v2, 'default', {})).items).toEqual([]);
  });
});

describe('events at core/v1 and events.k8s.io/v1', () => {
  it('one stored Event, field names converted', async () => {
    const created = await w.registry.create(eventsV1, 'default', {
      metadata: { name: 'e1' },
      eventTime: '2026-01-01T00:00:00.000000Z',
      reportingController: 'kos/test',
      reportingInstance: 'kos-1',
      action: 'Scheduling',
      reason: 'Scheduled',
      type: 'Normal',
      note: 'assigned to node-1',
      regarding: { kind: 'Pod', name: 'p', namespace: 'default' },
    });
    expect(created).toMatchObject({ apiVersion: 'events.k8s.io/v1', note: 'assigned to node-1', regarding: { name: 'p' } });
    const core = await w.registry.get(events, 'default', 'e1');
    expect(core).toMatchObject({ apiVersion: 'v1', message: 'assigned to node-1', involvedObject: { kind: 'Pod', name: 'p' }, reportingComponent: 'kos/test', reason: 'Scheduled' });
    expect(core.note).toBeUndefined();
  });

  it('a core event reads at events.k8s.io/v1 with its deprecated fields', async () => {
    await w.registry.create(events, 'default', { metadata: { name: 'e2' }, involvedObject: { kind: 'Pod', name: 'p' }, message: 'm', count: 3, firstTimestamp: '2026-01-01T00:00:00Z', source: { component: 'kubelet' } });
    expect(await w.registry.get(eventsV1, 'default', 'e2')).toMatchObject({ note: 'm', deprecatedCount: 3, deprecatedFirstTimestamp: '2026-01-01T00:00:00Z', deprecatedSource: { component: 'kubelet' }, regarding: { name: 'p' } });
  });
});
