/** The arithmetic behind the workload controllers: fence posts, delete ranking, hashing, revisions, proportions. */
import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../../../../src/core/clock.js';
import type { KubeObject } from '../../../../../src/kubernetes/apiserver/object.js';
import { rfc3339 } from '../../../../../src/kubernetes/apiserver/time.js';
import { maxScaledDown, newReplicaSetReplicas, oldScaleDownPlan, proportionalPlan } from '../../../../../src/kubernetes/controllers/workloads/deployment/replicas.js';
import { newReplicaSetAnnotations } from '../../../../../src/kubernetes/controllers/workloads/deployment/revision.js';
import { podsToDelete } from '../../../../../src/kubernetes/controllers/workloads/shared/delete-ranking.js';
import { Expectations } from '../../../../../src/kubernetes/controllers/workloads/shared/expectations.js';
import { computeHash, fnv32a, safeEncode } from '../../../../../src/kubernetes/controllers/workloads/shared/hash.js';
import { resolveFenceposts, scaledValue } from '../../../../../src/kubernetes/controllers/workloads/shared/int-or-percent.js';
import { slowStartBatch } from '../../../../../src/kubernetes/controllers/workloads/shared/slow-start.js';

const now = Date.UTC(2026, 0, 1, 12);

describe('int-or-percent', () => {
  it('rounds percentages up for surge and down for unavailable', () => {
    expect(scaledValue('25%', 10, true)).toBe(3);
    expect(scaledValue('25%', 10, false)).toBe(2);
    expect(scaledValue(2, 10, true)).toBe(2);
    expect(resolveFenceposts('25%', '25%', 10)).toEqual({ surge: 3, unavailable: 2 });
    expect(resolveFenceposts('25%', '25%', 1)).toEqual({ surge: 1, unavailable: 0 });
    // Both zero would never progress: unavailable becomes 1.
    expect(resolveFenceposts(0, '10%', 5)).toEqual({ surge: 0, unavailable: 1 });
  });
});

function pod(name: string, o: { node?: string; phase?: string; ready?: boolean; readyAgoMs?: number; createdAgoMs?: number; restarts?: number; cost?: number } = {}): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      uid: `uid-${name}`,
      creationTimestamp: rfc3339(now - (o.createdAgoMs ?? 3_600_000)),
      ...(o.cost !== undefined ? { annotations: { 'controller.kubernetes.io/pod-deletion-cost': String(o.cost) } } : {}),
    },
    spec: o.node ? { nodeName: o.node } : {},
    status: {
      phase: o.phase ?? 'Running',
      conditions: [{ type: 'Ready', status: o.ready === false ? 'False' : 'True', lastTransitionTime: rfc3339(now - (o.readyAgoMs ?? 1_800_000)) }],
      containerStatuses: [{ restartCount: o.restarts ?? 0 }],
    },
  };
}

describe('delete ranking', () => {
  const names = (ps: KubeObject[]): (string | undefined)[] => ps.map((p) => p.metadata.name);
  it('prefers unscheduled, then pending, then not ready', () => {
    const ps = [pod('running', { node: 'n1' }), pod('unready', { node: 'n2', ready: false }), pod('pending', { node: 'n3', phase: 'Pending', ready: false }), pod('unscheduled', { phase: 'Pending', ready: false })];
    expect(names(podsToDelete(ps, 4, now))).toEqual(['unscheduled', 'pending', 'unready', 'running']);
  });
  it('prefers lower deletion cost, then doubled-up nodes', () => {
    expect(names(podsToDelete([pod('a', { node: 'n1', cost: 10 }), pod('b', { node: 'n2', cost: -5 })], 1, now))).toEqual(['b']);
    const ps = [pod('alone', { node: 'n1' }), pod('twin1', { node: 'n2' }), pod('twin2', { node: 'n2' })];
    expect(podsToDelete(ps, 1, now)[0]?.metadata.name).toMatch(/^twin/);
  });
  it('prefers more recently ready (log buckets), then more restarts, then newer', () => {
    expect(names(podsToDelete([pod('old', { node: 'a', readyAgoMs: 3_600_000 }), pod('fresh', { node: 'b', readyAgoMs: 10_000 })], 1, now))).toEqual(['fresh']);
    const same = { readyAgoMs: 1000 };
    expect(names(podsToDelete([pod('calm', { node: 'a', ...same }), pod('crashy', { node: 'b', ...same, restarts: 4 })], 1, now))).toEqual(['crashy']);
  });
});

describe('hashing', () => {
  it('FNV-32a of known input, rendered in the safe alphabet', () => {
    expect(fnv32a(new TextEncoder().encode('a'))).toBe(0xe40c292c);
    // '0' is byte 48, 48 % 27 = 21: the alphabet's '4'.
    expect(safeEncode('0123')).toBe('4567');
  });
  it('is stable across key order and changes with the template or collision count', () => {
    const a = computeHash({ metadata: { labels: { app: 'x' } }, spec: { containers: [{ name: 'c', image: 'i' }] } });
    const b = computeHash({ spec: { containers: [{ image: 'i', name: 'c' }] }, metadata: { labels: { app: 'x' } } });
    expect(a).toBe(b);
    // null is absent, as kubectl's `creationTimestamp: null` must not make a template new.
    expect(computeHash({ metadata: { labels: { app: 'x' }, creationTimestamp: null }, spec: { containers: [{ name: 'c', image: 'i' }] } })).toBe(a);
    expect(a).toMatch(/^[bcdfghjklmnpqrstvwxz2456789]{1,10}$/);
    expect(computeHash({ spec: { containers: [{ name: 'c', image: 'j' }] } })).not.toBe(a);
    expect(computeHash({ metadata: { labels: { app: 'x' } }, spec: { containers: [{ name: 'c', image: 'i' }] } }, 1)).not.toBe(a);
  });
});

function deploy(replicas: number, surge: unknown, unavailable: unknown): KubeObject {
  return { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd', annotations: { team: 'x' } }, spec: { replicas, strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: surge, maxUnavailable: unavailable } } } };
}
function rs(name: string, replicas: number, available: number, created: number, annotations: Record<string, string> = {}): KubeObject {
  return { apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name, creationTimestamp: rfc3339(created), annotations }, spec: { replicas }, status: { availableReplicas: available } };
}

describe('rolling update arithmetic', () => {
  it('grows the new ReplicaSet only up to replicas + maxSurge', () => {
    const d = deploy(10, '25%', '25%');
    const old = rs('old', 10, 10, 1);
    const fresh = rs('new', 0, 0, 2);
    expect(newReplicaSetReplicas(d, [old, fresh], fresh)).toBe(3);
    expect(newReplicaSetReplicas(d, [rs('old', 13, 10, 1), fresh], fresh)).toBe(0);
  });
  it('shrinks old ReplicaSets only as far as maxUnavailable allows, oldest first', () => {
    const d = deploy(10, '25%', '25%');
    const a = rs('a', 5, 5, 1);
    const b = rs('b', 5, 5, 2);
    const fresh = rs('new', 3, 0, 3);
    // 13 pods, minAvailable 8, 3 new not yet available: 2 may go.
    expect(maxScaledDown(d, [a, b, fresh], fresh)).toBe(2);
    const plan = oldScaleDownPlan(d, [a, b, fresh], [a, b]);
    expect([...plan.entries()].map(([r, n]) => [r.metadata.name, n])).toEqual([['a', 3]]);
  });
  it('shares a resize out in proportion, leftovers to the largest', () => {
    const d = deploy(20, 3, 2);
    const big = rs('big', 8, 8, 1, { 'deployment.kubernetes.io/max-replicas': '13' });
    const small = rs('small', 5, 5, 2, { 'deployment.kubernetes.io/max-replicas': '13' });
    const plan = proportionalPlan(d, [big, small], 13);
    // allowed 23 = 8*23/13 ≈ 14 and 5*23/13 ≈ 9.
    expect([plan.get(big), plan.get(small)]).toEqual([14, 9]);
  });
});

describe('revision annotations', () => {
  it('moves an old ReplicaSet to the new revision and records its old one', () => {
    const d = deploy(3, 1, 0);
    const old = rs('old', 0, 0, 1, { 'deployment.kubernetes.io/revision': '1' });
    const a = newReplicaSetAnnotations(d, old, 3, 1);
    expect(a).toMatchObject({ team: 'x', 'deployment.kubernetes.io/revision': '3', 'deployment.kubernetes.io/revision-history': '1', 'deployment.kubernetes.io/desired-replicas': '3', 'deployment.kubernetes.io/max-replicas': '4' });
    const again = newReplicaSetAnnotations(d, rs('x', 0, 0, 1, a), 5, 1);
    expect(again['deployment.kubernetes.io/revision-history']).toBe('1,3');
    // A ReplicaSet already at or past the revision keeps its number.
    expect(newReplicaSetAnnotations(d, rs('y', 0, 0, 1, { 'deployment.kubernetes.io/revision': '4' }), 3, 1)['deployment.kubernetes.io/revision']).toBe('4');
  });
});

describe('slow start and expectations', () => {
  it('batches 1, 2, 4, … and stops after a failing batch', async () => {
    const sizes: number[] = [];
    let inBatch = 0;
    let calls = 0;
    const r = await slowStartBatch(10, 1, async () => {
      calls++;
      inBatch++;
      await Promise.resolve();
      if (inBatch > 0) {
        sizes.push(inBatch);
        inBatch = 0;
      }
    });
    expect(r).toEqual({ successes: 10, attempted: 10 });
    expect(calls).toBe(10);
    let n = 0;
    const failing = await slowStartBatch(10, 1, () => (++n >= 3 ? Promise.reject(new Error('quota')) : Promise.resolve()));
    // Batches 1 and 2 ran; the second batch held the first failure.
    expect(failing.successes).toBe(2);
    expect(failing.attempted).toBe(3);
  });
  it('waits for every expected creation and deletion, or five minutes', async () => {
    const clock = new VirtualClock(now);
    const e = new Expectations(clock);
    e.expectCreations('rs', 2);
    e.expectDeletions('rs', ['p1']);
    e.creationObserved('rs');
    e.creationObserved('rs');
    expect(e.satisfied('rs')).toBe(false);
    e.deletionObserved('rs', 'p1');
    e.deletionObserved('rs', 'p1');
    expect(e.satisfied('rs')).toBe(true);
    e.expectCreations('rs', 1);
    expect(e.satisfied('rs')).toBe(false);
    await clock.advance(5 * 60 * 1000 + 1);
    expect(e.satisfied('rs')).toBe(true);
  });
});
