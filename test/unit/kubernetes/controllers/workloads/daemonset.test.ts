/** The DaemonSet controller: one pod per eligible node, pinned by affinity, tolerations, rolling update, status. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { clone, type KubeObject } from '../../../../../src/kubernetes/apiserver/object.js';
import { controllerrevisions } from '../../../../../src/kubernetes/apiserver/resources/controllerrevisions.js';
import { daemonsets } from '../../../../../src/kubernetes/apiserver/resources/daemonsets.js';
import { nodes } from '../../../../../src/kubernetes/apiserver/resources/nodes.js';
import { pods } from '../../../../../src/kubernetes/apiserver/resources/pods.js';
import { targetNode } from '../../../../../src/kubernetes/controllers/workloads/daemonset/eligibility.js';
import { workloadWorld, type WorkloadWorld } from './harness.js';

let w: WorkloadWorld;
beforeEach(async () => {
  w = await workloadWorld();
});
afterEach(async () => {
  await w.close();
});

const node = (name: string, labels: Record<string, string> = {}, taints: unknown[] = []): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Node',
  metadata: { name, labels: { 'kubernetes.io/hostname': name, ...labels } },
  spec: { taints },
});
const ds = (name: string, extra: Record<string, unknown> = {}): KubeObject => ({
  apiVersion: 'apps/v1',
  kind: 'DaemonSet',
  metadata: { name },
  spec: { selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'c', image: 'i:1' }], ...extra } } },
});
const status = (o: KubeObject): Record<string, unknown> => (o.status ?? {}) as Record<string, unknown>;
const targets = async (): Promise<string[]> => (await w.list(pods)).filter((p) => !p.metadata.deletionTimestamp).map((p) => targetNode(p) ?? '?').sort();

describe('daemonset controller', () => {
  it('places one pod per node that matches and tolerates, pinned by matchFields', async () => {
    await w.registry.create(nodes, undefined, node('a', { disk: 'ssd' }));
    await w.registry.create(nodes, undefined, node('b', { disk: 'ssd' }, [{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }]));
    await w.registry.create(nodes, undefined, node('c', { disk: 'hdd' }));
    await w.registry.create(nodes, undefined, node('d', { disk: 'ssd' }, [{ key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' }]));
    await w.registry.create(daemonsets, 'default', ds('agent', { nodeSelector: { disk: 'ssd' } }));
    await w.eventually(async () => (await targets()).length === 2, 'two pods');
    await w.clock.advance(500);
    // b's control-plane taint is not tolerated; c does not match; d's unschedulable taint is tolerated automatically.
    expect(await targets()).toEqual(['a', 'd']);
    const [p] = await w.list(pods);
    const spec = p!.spec as { affinity: unknown; tolerations: { key: string; effect: string }[]; nodeName?: string };
    expect(spec.nodeName).toBeUndefined();
    expect(spec.affinity).toEqual({ nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: [targetNode(p!)] }] }] } } });
    expect(spec.tolerations.map((t) => `${t.key}:${t.effect}`)).toEqual([
      'node.kubernetes.io/not-ready:NoExecute',
      'node.kubernetes.io/unreachable:NoExecute',
      'node.kubernetes.io/disk-pressure:NoSchedule',
      'node.kubernetes.io/memory-pressure:NoSchedule',
      'node.kubernetes.io/pid-pressure:NoSchedule',
      'node.kubernetes.io/unschedulable:NoSchedule',
    ]);
    const [rev] = await w.list(controllerrevisions);
    expect(p!.metadata.labels?.['controller-revision-hash']).toBe(rev!.metadata.labels?.['controller-revision-hash']);
    expect(rev!.metadata.name).toBe(`agent-${rev!.metadata.labels?.['controller-revision-hash'] ?? ''}`);
    await w.readyAll();
    await w.eventually(async () => status(await w.get(daemonsets, 'default', 'agent')).numberReady === 2, 'ready');
    expect(status(await w.get(daemonsets, 'default', 'agent'))).toMatchObject({ desiredNumberScheduled: 2, currentNumberScheduled: 2, numberReady: 2, numberAvailable: 2, updatedNumberScheduled: 2, numberMisscheduled: 0, observedGeneration: 1 });
    // A node that appears later gets its pod; one relabelled away loses it.
    await w.registry.create(nodes, undefined, node('e', { disk: 'ssd' }));
    await w.registry.updateWith(nodes, undefined, 'a', (cur) => ({ ...cur, metadata: { ...cur.metadata, labels: { disk: 'hdd' } } }));
    await w.eventually(async () => (await targets()).join() === 'd,e', 'moved to d,e');
  });

  it('rolls a new template one node at a time (maxUnavailable 1)', async () => {
    for (const n of ['a', 'b', 'c']) await w.registry.create(nodes, undefined, node(n));
    await w.registry.create(daemonsets, 'default', ds('roll'));
    await w.eventually(async () => (await targets()).length === 3, 'three pods');
    await w.readyAll();
    await w.eventually(async () => status(await w.get(daemonsets, 'default', 'roll')).numberAvailable === 3, 'available');
    await w.registry.updateWith(daemonsets, 'default', 'roll', (cur) => {
      const next = clone(cur);
      (next.spec as { template: { spec: { containers: { image: string }[] } } }).template.spec.containers[0]!.image = 'i:2';
      return next;
    });
    let maxOld = 0;
    await w.eventually(async () => {
      const ps = (await w.list(pods)).filter((p) => !p.metadata.deletionTimestamp);
      const fresh = ps.filter((p) => (p.spec as { containers: { image: string }[] }).containers[0]?.image === 'i:2');
      maxOld = Math.max(maxOld, 3 - ps.length);
      await w.readyAll();
      return fresh.length === 3 && ps.length === 3;
    }, 'all updated');
    expect(maxOld).toBeLessThanOrEqual(1);
    await w.eventually(async () => status(await w.get(daemonsets, 'default', 'roll')).updatedNumberScheduled === 3, 'status');
    expect((await w.list(controllerrevisions)).map((r) => r.revision).sort()).toEqual([1, 2]);
  });
});
