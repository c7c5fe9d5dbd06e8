import { describe, expect, it } from 'vitest';
import { labelSelectorFromObject } from '../../../../src/kubernetes/apimachinery/index.js';
import type { KubeObject } from '../../../../src/kubernetes/apiserver/object.js';
import { numFeasibleNodesToFind, ScheduleAlgorithm } from '../../../../src/kubernetes/scheduler/algorithm.js';
import type { SchedulerCache } from '../../../../src/kubernetes/scheduler/cache.js';
import { unschedulableMessage, type Diagnosis } from '../../../../src/kubernetes/scheduler/fit-error.js';
import type { PodInfo } from '../../../../src/kubernetes/scheduler/pod-info.js';
import { cacheWith, info, node, pod, requesting } from './fixtures.js';

const workers = (): KubeObject[] => [node('w0', { zone: 'az1' }), node('w1', { zone: 'az2' }), node('w2', { zone: 'az3' })];

/** Schedule pods one after another, assuming each as the scheduler does; node names in order. */
function place(cache: SchedulerCache, pods: KubeObject[], algo = new ScheduleAlgorithm(cache, () => undefined)): string[] {
  return pods.map((p) => {
    const i = info(p);
    const r = algo.schedule(i);
    if (!('node' in r)) throw new Error(unschedulableMessage(r));
    cache.addPod({ ...i, nodeName: r.node.name }, true);
    return r.node.name;
  });
}

const diagnose = (cache: SchedulerCache, p: KubeObject): string => {
  const r = new ScheduleAlgorithm(cache, () => undefined).schedule(info(p));
  if ('node' in r) throw new Error(`expected no fit, got ${r.node.name}`);
  return unschedulableMessage(r as Diagnosis);
};

describe('sampling', () => {
  it('finds all nodes below 100, then 50% less 1% per 125 nodes, at least 5% and 100', () => {
    expect(numFeasibleNodesToFind(50)).toBe(50);
    expect(numFeasibleNodesToFind(100)).toBe(100);
    expect(numFeasibleNodesToFind(150)).toBe(100);
    expect(numFeasibleNodesToFind(1000)).toBe(420);
    expect(numFeasibleNodesToFind(5000)).toBe(500);
    expect(numFeasibleNodesToFind(10_000)).toBe(500);
  });

  it('evaluates only the sample in a large cluster and rotates where it starts', () => {
    const nodes = Array.from({ length: 1000 }, (_, i) => node(`n${i}`, { zone: `az${(i % 3) + 1}` }));
    const cache = cacheWith(nodes);
    const algo = new ScheduleAlgorithm(cache, () => undefined);
    const first = algo.schedule(info(pod('a')));
    const second = algo.schedule(info(pod('b')));
    expect('evaluated' in first && first.evaluated).toBe(420);
    expect('evaluated' in second && second.evaluated).toBe(420);
  });

  it('lists nodes zones interleaved so any window covers every zone', () => {
    const cache = cacheWith([node('a1', { zone: 'az1' }), node('a2', { zone: 'az1' }), node('b1', { zone: 'az2' }), node('c1', { zone: 'az3' }), node('b2', { zone: 'az2' })]);
    expect(cache.nodeOrder().map((n) => n.name)).toEqual(['a1', 'b1', 'c1', 'a2', 'b2']);
  });
});

describe('spreading', () => {
  it('spreads a ReplicaSet 2 per zone by the system default constraints', () => {
    const cache = cacheWith([...workers(), node('cp', { zone: 'az1', taints: [{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }] })]);
    const selector = labelSelectorFromObject({ matchLabels: { app: 'web' } });
    const algo = new ScheduleAlgorithm(cache, (p: PodInfo) => (p.controller ? selector : undefined));
    const owner = { ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web', uid: 'u', controller: true }], labels: { app: 'web' } };
    const placed = place(cache, Array.from({ length: 6 }, (_, i) => pod(`web-${i}`, {}, owner)), algo);
    expect(placed.filter((n) => n === 'w0')).toHaveLength(2);
    expect(placed.filter((n) => n === 'w1')).toHaveLength(2);
    expect(placed.filter((n) => n === 'w2')).toHaveLength(2);
  });

  it('enforces maxSkew of a DoNotSchedule zone constraint, counting bound pods', () => {
    const cache = cacheWith(workers(), [
      [pod('x0', {}, { labels: { app: 'x' } }), 'w0'],
      [pod('x1', {}, { labels: { app: 'x' } }), 'w0'],
    ]);
    const spread = { topologySpreadConstraints: [{ maxSkew: 1, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'DoNotSchedule', labelSelector: { matchLabels: { app: 'x' } } }] };
    // az1 has 2, az2 and az3 have 0: only az2/az3 keep the skew within 1.
    const placed = place(cache, [pod('x2', spread, { labels: { app: 'x' } }), pod('x3', spread, { labels: { app: 'x' } })]);
    expect(new Set(placed)).toEqual(new Set(['w1', 'w2']));
    // Now 2/1/1 → a fourth may only go to az2 or az3 again (az1 would make skew 2).
    const next = place(cache, [pod('x4', spread, { labels: { app: 'x' } })]);
    expect(['w1', 'w2']).toContain(next[0]);
  });

  it('rejects nodes without the topology key of a stated constraint', () => {
    const cache = cacheWith([node('nozone')]);
    const spread = { topologySpreadConstraints: [{ maxSkew: 1, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'DoNotSchedule', labelSelector: { matchLabels: { app: 'x' } } }] };
    expect(diagnose(cache, pod('p', spread, { labels: { app: 'x' } }))).toBe(
      "0/1 nodes are available: 1 node(s) didn't match pod topology spread constraints (missing required label). preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling..",
    );
  });

  it('treats the global minimum as 0 while fewer domains than minDomains exist', () => {
    const cache = cacheWith(workers(), [[pod('y0', {}, { labels: { app: 'y' } }), 'w0'], [pod('y1', {}, { labels: { app: 'y' } }), 'w1'], [pod('y2', {}, { labels: { app: 'y' } }), 'w2']]);
    const spread = { topologySpreadConstraints: [{ maxSkew: 1, minDomains: 4, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'DoNotSchedule', labelSelector: { matchLabels: { app: 'y' } } }] };
    expect(diagnose(cache, pod('y3', spread, { labels: { app: 'y' } }))).toContain("3 node(s) didn't match pod topology spread constraints.");
  });
});

describe('inter-pod affinity', () => {
  const term = (app: string, key = 'topology.kubernetes.io/zone') => ({ topologyKey: key, labelSelector: { matchLabels: { app } } });

  it('places a pod with required affinity in the zone of its peer', () => {
    const cache = cacheWith(workers(), [[pod('cache-0', {}, { labels: { app: 'cache' } }), 'w1']]);
    const p = pod('web', { affinity: { podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [term('cache')] } } });
    expect(place(cache, [p])).toEqual(['w1']);
  });

  it('lets the first pod of a self-affine group go anywhere, and keeps the rest with it', () => {
    const cache = cacheWith(workers());
    const affine = (n: string) => pod(n, { affinity: { podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [term('grp')] } } }, { labels: { app: 'grp' } });
    const [first, second] = place(cache, [affine('g0'), affine('g1')]);
    expect(second).toBe(first);
  });

  it('rejects nodes whose domain has a pod the anti-affinity names', () => {
    const cache = cacheWith(workers(), [[pod('db-0', {}, { labels: { app: 'db' } }), 'w0'], [pod('db-1', {}, { labels: { app: 'db' } }), 'w1']]);
    const p = pod('db-2', { affinity: { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [term('db', 'kubernetes.io/hostname')] } } }, { labels: { app: 'db' } });
    expect(place(cache, [p])).toEqual(['w2']);
  });

  it("respects bound pods' anti-affinity against the incoming pod", () => {
    const loner = pod('loner', { affinity: { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [term('noisy')] } } });
    const cache = cacheWith([node('w0', { zone: 'az1' }), node('w1', { zone: 'az1' })], [[loner, 'w0']]);
    expect(diagnose(cache, pod('n', {}, { labels: { app: 'noisy' } }))).toBe(
      "0/2 nodes are available: 2 node(s) didn't satisfy existing pods anti-affinity rules. preemption: 0/2 nodes are available: 2 No preemption victims found for incoming pod..",
    );
  });

  it('prefers the domain of preferred affinity and avoids that of preferred anti-affinity', () => {
    const cache = cacheWith(workers(), [[pod('a', {}, { labels: { app: 'a' } }), 'w2'], [pod('b', {}, { labels: { app: 'b' } }), 'w0']]);
    const p = pod('p', {
      affinity: {
        podAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 100, podAffinityTerm: term('a') }] },
      },
    });
    expect(place(cache, [p])).toEqual(['w2']);
    const q = pod('q', { affinity: { podAntiAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 100, podAffinityTerm: term('a') }] } } });
    expect(place(cache, [q])).not.toContain('w2');
  });
});

describe('decisions', () => {
  it('prefers the emptier node (LeastAllocated) and the untainted one (PreferNoSchedule)', () => {
    const cache = cacheWith([node('full', { zone: 'az1' }), node('empty', { zone: 'az2' })], [[pod('big', requesting('3', '6Gi')), 'full']]);
    expect(place(cache, [pod('p', requesting('100m'))])).toEqual(['empty']);
    const tainted = cacheWith([node('soft', { zone: 'az1', taints: [{ key: 'x', effect: 'PreferNoSchedule' }] }), node('clean', { zone: 'az2' })]);
    expect(place(tainted, [pod('p')])).toEqual(['clean']);
  });

  it('follows preferred node affinity', () => {
    const cache = cacheWith(workers());
    const p = pod('p', { affinity: { nodeAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 10, preference: { matchExpressions: [{ key: 'topology.kubernetes.io/zone', operator: 'In', values: ['az3'] }] } }] } } });
    expect(place(cache, [p])).toEqual(['w2']);
  });

  it('reports the reasons of every node when none fits, as the real scheduler words them', () => {
    const cache = cacheWith([node('cp', { zone: 'az1', taints: [{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }] }), ...workers()]);
    expect(diagnose(cache, pod('huge', requesting('8')))).toBe(
      '0/4 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 3 Insufficient cpu. preemption: 0/4 nodes are available: 1 Preemption is not helpful for scheduling, 3 No preemption victims found for incoming pod..',
    );
  });

  it('breaks ties reproducibly from its seed and uses every tied node', () => {
    const nodes = Array.from({ length: 5 }, (_, i) => node(`n${i}`, { zone: 'az1' }));
    const pick = (seed: number) => {
      const algo = new ScheduleAlgorithm(cacheWith(nodes), () => undefined, seed);
      return Array.from({ length: 40 }, (_, i) => {
        const r = algo.schedule(info(pod(`p${i}`)));
        return 'node' in r ? r.node.name : '';
      });
    };
    expect(pick(7)).toEqual(pick(7));
    expect(new Set(pick(7)).size).toBe(5);
  });
});
