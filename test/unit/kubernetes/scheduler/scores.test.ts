import { describe, expect, it } from 'vitest';
import {
  balancedAllocationScore,
  intolerableTaintsScore,
  leastAllocatedScore,
  normalize,
  preferredNodeAffinityScore,
} from '../../../../src/kubernetes/scheduler/scores.js';
import { normalizeSpread } from '../../../../src/kubernetes/scheduler/spread.js';
import { cacheWith, info, node, pod, requesting } from './fixtures.js';

describe('resource scores', () => {
  it('LeastAllocated averages the free share of cpu and memory after placing the pod', () => {
    const cache = cacheWith([node('n1', { cpu: '4', memory: '8Gi' })], [[pod('old', requesting('1', '2Gi')), 'n1']]);
    // cpu: (4000 - 2000) * 100 / 4000 = 50; memory: (8Gi - 4Gi) * 100 / 8Gi = 50.
    expect(leastAllocatedScore(info(pod('p', requesting('1', '2Gi'))), cache.node('n1')!)).toBe(50);
    // Unset requests count as 100m / 200Mi: cpu (4000-1100)*100/4000 = 72, memory floor((8192-2248)*100/8192) = 72.
    expect(leastAllocatedScore(info(pod('q')), cache.node('n1')!)).toBe(72);
  });

  it('BalancedAllocation is 100 minus half the gap between the cpu and memory fractions', () => {
    const n = cacheWith([node('n1', { cpu: '4', memory: '8Gi' })]).node('n1')!;
    expect(balancedAllocationScore(info(pod('even', requesting('2', '4Gi'))), n)).toBe(100);
    // cpu 1.0, memory 0.25 → std 0.375 → 62.
    expect(balancedAllocationScore(info(pod('skewed', requesting('4', '2Gi'))), n)).toBe(62);
  });
});

describe('preferences', () => {
  it('sums the weights of matching preferred node-affinity terms', () => {
    const n = cacheWith([node('n1', { zone: 'az1', labels: { disk: 'ssd' } })]).node('n1')!;
    const p = pod('p', {
      affinity: {
        nodeAffinity: {
          preferredDuringSchedulingIgnoredDuringExecution: [
            { weight: 30, preference: { matchExpressions: [{ key: 'disk', operator: 'In', values: ['ssd'] }] } },
            { weight: 20, preference: { matchExpressions: [{ key: 'topology.kubernetes.io/zone', operator: 'In', values: ['az1'] }] } },
            { weight: 50, preference: { matchExpressions: [{ key: 'gpu', operator: 'Exists' }] } },
          ],
        },
      },
    });
    expect(preferredNodeAffinityScore(info(p), n)).toBe(50);
  });

  it('counts untolerated PreferNoSchedule taints only', () => {
    const n = cacheWith([node('n1', { taints: [{ key: 'a', effect: 'PreferNoSchedule' }, { key: 'b', effect: 'PreferNoSchedule' }, { key: 'c', effect: 'NoSchedule' }] })]).node('n1')!;
    expect(intolerableTaintsScore(info(pod('p')), n)).toBe(2);
    expect(intolerableTaintsScore(info(pod('q', { tolerations: [{ key: 'a', operator: 'Exists', effect: 'PreferNoSchedule' }] })), n)).toBe(1);
    expect(intolerableTaintsScore(info(pod('r', { tolerations: [{ key: 'b', operator: 'Exists', effect: 'NoSchedule' }] })), n)).toBe(2);
  });
});

describe('normalization', () => {
  it('scales by the maximum, reversed for "fewer is better"', () => {
    const s = new Float64Array([0, 1, 2]);
    normalize(s, 3, true);
    expect([...s]).toEqual([100, 50, 0]);
    const w = new Float64Array([10, 40, 0]);
    normalize(w, 3, false);
    expect([...w]).toEqual([25, 100, 0]);
    const zero = new Float64Array([0, 0]);
    normalize(zero, 2, true);
    expect([...zero]).toEqual([100, 100]);
  });

  it('spread scores: (max + min - s) * 100 / max, ignored nodes 0', () => {
    const s = new Float64Array([2, 4, -1, 6]);
    normalizeSpread(s, 4);
    expect([...s]).toEqual([100, 66, 0, 33]);
  });
});
