import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../../../src/kubernetes/apiserver/object.js';
import { assessNode, desiredTaints, lastHeartbeat } from '../../../../../src/kubernetes/controllers/nodes/lifecycle/node-health.js';

const t0 = Date.UTC(2026, 0, 1);
const iso = (ms: number): string => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

function node(ready: string | undefined, heartbeat: number, extra: { taints?: unknown[]; unschedulable?: boolean } = {}): KubeObject {
  const conditions = ready
    ? [
        { type: 'MemoryPressure', status: 'False', lastHeartbeatTime: iso(heartbeat), lastTransitionTime: iso(t0), reason: 'KubeletHasSufficientMemory', message: 'ok' },
        { type: 'Ready', status: ready, lastHeartbeatTime: iso(heartbeat), lastTransitionTime: iso(t0), reason: 'KubeletReady', message: 'kubelet is posting ready status' },
      ]
    : [];
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name: 'n1', creationTimestamp: iso(t0) },
    spec: { ...(extra.taints ? { taints: extra.taints } : {}), ...(extra.unschedulable ? { unschedulable: true } : {}) },
    status: { conditions },
  };
}
const lease = (renew: number): KubeObject => ({ apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name: 'n1' }, spec: { renewTime: new Date(renew).toISOString() } });

describe('node health', () => {
  it('takes the newest of lease renewal, Ready heartbeat and creation', () => {
    expect(lastHeartbeat(node('True', t0 + 5000), lease(t0 + 30_000))).toBe(t0 + 30_000);
    expect(lastHeartbeat(node('True', t0 + 50_000), lease(t0 + 30_000))).toBe(t0 + 50_000);
    expect(lastHeartbeat(node(undefined, 0), undefined)).toBe(t0);
  });

  it('leaves a node alone within the grace period and says when to look again', () => {
    const h = assessNode(node('True', t0), lease(t0 + 30_000), t0 + 60_000, 40_000);
    expect(h.stale).toBe(false);
    expect(h.conditions).toBeUndefined();
    expect(h.taints).toBeUndefined();
    expect(h.recheckInMs).toBe(10_001);
  });

  it('marks every kubelet condition Unknown and taints unreachable once heartbeats stop', () => {
    const now = t0 + 40_001;
    const h = assessNode(node('True', t0), lease(t0), now, 40_000);
    expect(h.stale).toBe(true);
    expect(h.ready).toBe('Unknown');
    const ready = h.conditions?.find((c) => c.type === 'Ready');
    expect(ready).toMatchObject({ status: 'Unknown', reason: 'NodeStatusUnknown', message: 'Kubelet stopped posting node status.', lastHeartbeatTime: iso(t0), lastTransitionTime: iso(now) });
    expect(h.conditions?.find((c) => c.type === 'MemoryPressure')).toMatchObject({ status: 'Unknown', reason: 'NodeStatusUnknown' });
    expect(h.conditions?.find((c) => c.type === 'DiskPressure')).toMatchObject({ status: 'Unknown', reason: 'NodeStatusNeverUpdated', message: 'Kubelet never posted node status.' });
    expect(h.taints).toEqual([
      { key: 'node.kubernetes.io/unreachable', effect: 'NoSchedule', timeAdded: iso(now) },
      { key: 'node.kubernetes.io/unreachable', effect: 'NoExecute', timeAdded: iso(now) },
    ]);
  });

  it('uses not-ready taints for Ready=False, keeps others\' taints, and removes its own when the node is back', () => {
    expect(desiredTaints(node('False', t0), node('False', t0).status ? (node('False', t0).status as { conditions: Record<string, unknown>[] }).conditions : []).map((t) => `${t.key}:${t.effect}`)).toEqual([
      'node.kubernetes.io/not-ready:NoSchedule',
      'node.kubernetes.io/not-ready:NoExecute',
    ]);
    const back = node('True', t0 + 100_000, {
      taints: [
        { key: 'dedicated', value: 'gpu', effect: 'NoSchedule' },
        { key: 'node.kubernetes.io/unreachable', effect: 'NoExecute', timeAdded: iso(t0) },
      ],
    });
    const h = assessNode(back, undefined, t0 + 101_000, 40_000);
    expect(h.taints).toEqual([{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }]);
  });

  it('keeps the timeAdded of a taint already there and taints unschedulable nodes', () => {
    const stamped = iso(t0 + 1000);
    const n = node('Unknown', t0, {
      unschedulable: true,
      taints: [
        { key: 'node.kubernetes.io/unreachable', effect: 'NoSchedule', timeAdded: stamped },
        { key: 'node.kubernetes.io/unreachable', effect: 'NoExecute', timeAdded: stamped },
      ],
    });
    const h = assessNode(n, undefined, t0 + 100_000, 40_000);
    expect(h.conditions?.find((c) => c.type === 'Ready')?.lastTransitionTime).toBe(iso(t0));
    expect(h.taints).toEqual([
      { key: 'node.kubernetes.io/unreachable', effect: 'NoSchedule', timeAdded: stamped },
      { key: 'node.kubernetes.io/unreachable', effect: 'NoExecute', timeAdded: stamped },
      { key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule', timeAdded: iso(t0 + 100_000) },
    ]);
  });
});
