import { describe, expect, it } from 'vitest';
import { labelSelectorFromObject } from '../../../../src/kubernetes/apimachinery/index.js';
import { TopologyDomains } from '../../../../src/kubernetes/scheduler/topology.js';
import { cacheWith, info, node, pod, requesting } from './fixtures.js';

describe('SchedulerCache', () => {
  it('keeps node sums current as pods are bound, assumed, confirmed and removed', () => {
    const cache = cacheWith([node('n1')]);
    const p = info(pod('a', requesting('500m', '1Gi')));
    cache.addPod({ ...p, nodeName: 'n1' }, true);
    expect(cache.node('n1')).toMatchObject({ reqCpu: 500, reqMemory: 2 ** 30 });
    expect(cache.pod('default/a')?.assumed).toBe(true);
    // The informer reports the binding: confirmed, not counted twice.
    cache.addPod({ ...p, nodeName: 'n1' }, false);
    expect(cache.pod('default/a')?.assumed).toBe(false);
    expect(cache.node('n1')).toMatchObject({ reqCpu: 500, reqMemory: 2 ** 30 });
    expect(cache.node('n1')!.pods.size).toBe(1);
    cache.removePod('default/a');
    expect(cache.node('n1')).toMatchObject({ reqCpu: 0, reqMemory: 0 });
    expect(cache.node('n1')!.pods.size).toBe(0);
  });

  it('reports only node changes a filter reads', () => {
    const cache = cacheWith([node('n1', { zone: 'az1' })]);
    expect(cache.upsertNode(node('n1', { zone: 'az1' }))).toBe(false);
    expect(cache.upsertNode(node('n1', { zone: 'az1', cpu: '8' }))).toBe(true);
    expect(cache.upsertNode(node('n1', { zone: 'az1', cpu: '8', taints: [{ key: 'k', effect: 'NoSchedule' }] }))).toBe(true);
  });

  it('keeps match counters current per node and per zone without rescanning', () => {
    const cache = cacheWith([node('n1', { zone: 'az1' }), node('n2', { zone: 'az2' })], [[pod('w0', {}, { labels: { app: 'web' } }), 'n1']]);
    const topo = new TopologyDomains(cache);
    const counter = cache.counters.counter('default|app=web', new Set(['default']), labelSelectorFromObject({ matchLabels: { app: 'web' } }));
    const zones = topo.count('topology.kubernetes.io/zone', counter);
    const az = (v: string) => zones.counts[zones.domains.values.indexOf(v)];
    expect([az('az1'), az('az2')]).toEqual([1, 0]);
    cache.addPod({ ...info(pod('w1', {}, { labels: { app: 'web' } })), nodeName: 'n2' }, true);
    cache.addPod({ ...info(pod('other', {}, { labels: { app: 'db' } })), nodeName: 'n2' }, true);
    cache.addPod({ ...info(pod('elsewhere', {}, { labels: { app: 'web' }, namespace: 'team' })), nodeName: 'n2' }, true);
    expect([az('az1'), az('az2')]).toEqual([1, 1]);
    expect(counter.countAt(cache.node('n2')!.slot)).toBe(1);
    cache.removePod('default/w0');
    expect([az('az1'), az('az2')]).toEqual([0, 1]);
  });

  it('rebuilds topology domains when node labels change', () => {
    const cache = cacheWith([node('n1', { zone: 'az1' })], [[pod('w0', {}, { labels: { app: 'web' } }), 'n1']]);
    const topo = new TopologyDomains(cache);
    const counter = cache.counters.counter('default|app=web', new Set(['default']), labelSelectorFromObject({ matchLabels: { app: 'web' } }));
    expect(topo.count('topology.kubernetes.io/zone', counter).domains.values).toEqual(['az1']);
    cache.upsertNode(node('n1', { zone: 'az9' }));
    const after = topo.count('topology.kubernetes.io/zone', counter);
    expect(after.domains.values).toEqual(['az9']);
    expect([...after.counts]).toEqual([1]);
  });
});
