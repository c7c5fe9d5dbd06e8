import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../../../src/kubernetes/apiserver/object.js';
import { assessBudget, scaledValue, type ExpectedScale } from '../../../../../src/kubernetes/controllers/nodes/disruption/budget.js';

const now = Date.UTC(2026, 0, 1, 1);
const iso = (ms: number): string => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

const pod = (name: string, ready: boolean, extra: { deleting?: boolean } = {}): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, ...(extra.deleting ? { deletionTimestamp: iso(now) } : {}) },
  status: { phase: 'Running', conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }] },
});
const pdb = (spec: Record<string, unknown>, status: Record<string, unknown> = {}, generation = 3): KubeObject => ({
  apiVersion: 'policy/v1',
  kind: 'PodDisruptionBudget',
  metadata: { name: 'web', generation },
  spec: { selector: { matchLabels: { app: 'web' } }, ...spec },
  status,
});
const scaleOf = (count: number): (() => ExpectedScale) => () => ({ count, unmanaged: [] });
const noScale = (): ExpectedScale => {
  throw new Error('scale must not be needed');
};

describe('int-or-percent scaling', () => {
  it('rounds percentages up or down over the total', () => {
    expect(scaledValue('50%', 5, true)).toBe(3);
    expect(scaledValue('50%', 5, false)).toBe(2);
    expect(scaledValue(2, 5, true)).toBe(2);
    expect(scaledValue('x%', 5, true)).toBeUndefined();
  });
});

describe('PodDisruptionBudget status', () => {
  it('minAvailable as an integer counts the selected pods, ready ones healthy', () => {
    const a = assessBudget(pdb({ minAvailable: 2 }), [pod('a', true), pod('b', true), pod('c', false)], noScale, now);
    expect(a.status).toMatchObject({ observedGeneration: 3, currentHealthy: 2, desiredHealthy: 2, expectedPods: 3, disruptionsAllowed: 0 });
    expect(a.status.conditions).toEqual([{ type: 'DisruptionAllowed', status: 'False', observedGeneration: 3, lastTransitionTime: iso(now), reason: 'InsufficientPods', message: '' }]);
  });

  it('maxUnavailable uses the controllers\' scale', () => {
    const a = assessBudget(pdb({ maxUnavailable: '25%' }), [pod('a', true), pod('b', true), pod('c', true), pod('d', true)], scaleOf(6), now);
    // 25% of 6 rounded up is 2: 4 must stay healthy, 4 are.
    expect(a.status).toMatchObject({ expectedPods: 6, desiredHealthy: 4, currentHealthy: 4, disruptionsAllowed: 0 });
    const b = assessBudget(pdb({ maxUnavailable: 1 }), [pod('a', true), pod('b', true), pod('c', true)], scaleOf(3), now);
    expect(b.status).toMatchObject({ expectedPods: 3, desiredHealthy: 2, currentHealthy: 3, disruptionsAllowed: 1 });
    expect((b.status.conditions as Record<string, unknown>[])[0]).toMatchObject({ status: 'True', reason: 'SufficientPods' });
  });

  it('minAvailable as a percentage rounds up over the scale', () => {
    const a = assessBudget(pdb({ minAvailable: '50%' }), [pod('a', true), pod('b', true), pod('c', true)], scaleOf(3), now);
    expect(a.status).toMatchObject({ expectedPods: 3, desiredHealthy: 2, disruptionsAllowed: 1 });
  });

  it('keeps recently disrupted pods out of currentHealthy and prunes entries of pods gone, deleting or overdue', () => {
    const disruptedPods = { a: iso(now - 30_000), gone: iso(now - 1000), b: iso(now - 3 * 60_000), c: iso(now - 1000) };
    const pods = [pod('a', true), pod('b', true), pod('c', true, { deleting: true }), pod('d', true)];
    const a = assessBudget(pdb({ minAvailable: 1 }, { disruptedPods }), pods, noScale, now);
    expect(a.status.disruptedPods).toEqual({ a: iso(now - 30_000) });
    // a is disrupted, c is being deleted: b and d are healthy.
    expect(a.status).toMatchObject({ currentHealthy: 2, disruptionsAllowed: 1 });
    expect(a.recheckAt).toBe(now - 30_000 + 120_000);
  });

  it('keeps the transition time of an unchanged condition', () => {
    const old = [{ type: 'DisruptionAllowed', status: 'True', observedGeneration: 3, lastTransitionTime: '2025-12-31T00:00:00Z', reason: 'SufficientPods', message: '' }];
    const a = assessBudget(pdb({ minAvailable: 0 }, { conditions: old }), [pod('a', true)], noScale, now);
    expect(a.status.conditions).toEqual(old);
  });

  it('fails safe when the expected count cannot be known, leaving observedGeneration', () => {
    const a = assessBudget(pdb({ maxUnavailable: 1 }, { observedGeneration: 2, disruptionsAllowed: 4 }), [pod('a', true)], () => ({ error: 'found no controllers for pod "a"' }), now);
    expect(a.status).toMatchObject({ observedGeneration: 2, disruptionsAllowed: 0 });
    expect((a.status.conditions as Record<string, unknown>[])[0]).toMatchObject({ status: 'False', reason: 'SyncFailed', message: 'found no controllers for pod "a"' });
    expect(a.events).toEqual([{ type: 'Warning', reason: 'CalculateExpectedPodCountFailed', message: 'Failed to calculate the number of expected pods: found no controllers for pod "a"' }]);
  });

  it('reports NoPods and allows nothing with no pods', () => {
    const a = assessBudget(pdb({ maxUnavailable: 1 }), [], scaleOf(0), now);
    expect(a.status).toMatchObject({ expectedPods: 0, currentHealthy: 0, disruptionsAllowed: 0 });
    expect(a.events.map((e) => e.reason)).toEqual(['NoPods']);
  });
});
