import { afterEach, describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../../../src/kubernetes/apiserver/object.js';
import { events } from '../../../../../src/kubernetes/apiserver/resources/events.js';
import { leases } from '../../../../../src/kubernetes/apiserver/resources/leases.js';
import { nodes } from '../../../../../src/kubernetes/apiserver/resources/nodes.js';
import { pods } from '../../../../../src/kubernetes/apiserver/resources/pods.js';
import { listObjects } from '../../../../../src/kubernetes/apiserver/list.js';
import { rfc3339 } from '../../../../../src/kubernetes/apiserver/time.js';
import { nodesWorld, podBody, type NodesWorld } from './harness.js';

let w: NodesWorld | undefined;
afterEach(async () => {
  await w?.close();
  w = undefined;
});

type Cond = { type: string; status: string; reason?: string; message?: string };
const conds = (o: KubeObject | undefined): Cond[] => ((o?.status as { conditions?: Cond[] } | undefined)?.conditions ?? []);
const taints = (o: KubeObject | undefined): string[] => ((o?.spec as { taints?: { key: string; effect: string }[] } | undefined)?.taints ?? []).map((t) => `${t.key}:${t.effect}`);

/** Evicted pods on a node go Terminating: their kubelet (none here) would finish them. */
async function terminating(cw: NodesWorld, name: string): Promise<boolean> {
  return (await cw.read(pods, 'default', name))?.metadata.deletionTimestamp !== undefined;
}

async function readyNode(cw: NodesWorld, name: string): Promise<void> {
  const now = rfc3339(cw.clock.now());
  await cw.registry.create(nodes, undefined, { metadata: { name } });
  await cw.registry.updateWith(nodes, undefined, name, (n) => ({ ...n, status: { conditions: [{ type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'kubelet is posting ready status', lastHeartbeatTime: now, lastTransitionTime: now }] } }), { subresource: 'status' });
  await cw.registry.create(leases, 'kube-node-lease', { metadata: { name }, spec: { holderIdentity: name, leaseDurationSeconds: 40, renewTime: new Date(cw.clock.now()).toISOString() } });
}

async function runningPod(cw: NodesWorld, body: Record<string, unknown>): Promise<void> {
  const created = await cw.registry.create(pods, 'default', body);
  await cw.registry.updateWith(pods, 'default', created.metadata.name ?? '', (p) => ({ ...p, status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }] } }), { subresource: 'status' });
}

describe('node lifecycle and taint-based eviction', () => {
  it('marks a silent node Unknown, taints it, marks its pods not ready and evicts them after their tolerationSeconds', async () => {
    w = await nodesWorld();
    const cw = w;
    await readyNode(cw, 'n1');
    await runningPod(cw, podBody('defaults', { nodeName: 'n1' }));
    await runningPod(cw, podBody('short', { nodeName: 'n1', tolerations: [{ key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 60 }] }));
    const defaults = await cw.read(pods, 'default', 'defaults');
    expect((defaults?.spec as { tolerations: unknown[] }).tolerations).toEqual([
      { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
      { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
    ]);

    await cw.clock.advance(30_000);
    expect(taints(await cw.read(nodes, undefined, 'n1'))).toEqual([]);
    await cw.eventually(async () => taints(await cw.read(nodes, undefined, 'n1')).length === 2, 40, 1000);
    const silentAt = cw.clock.now();
    expect(silentAt - Date.UTC(2026, 0, 1)).toBeGreaterThan(40_000);
    const node = await cw.read(nodes, undefined, 'n1');
    expect(taints(node)).toEqual(['node.kubernetes.io/unreachable:NoSchedule', 'node.kubernetes.io/unreachable:NoExecute']);
    expect(conds(node).find((c) => c.type === 'Ready')).toMatchObject({ status: 'Unknown', reason: 'NodeStatusUnknown', message: 'Kubelet stopped posting node status.' });
    await cw.eventually(async () => conds(await cw.read(pods, 'default', 'defaults')).find((c) => c.type === 'Ready')?.status === 'False');

    // 60 s after the taint, the short-tolerating pod goes; the other stays until 300 s.
    await cw.eventually(() => terminating(cw, 'short'), 70, 1000);
    expect(cw.clock.now() - silentAt).toBeGreaterThanOrEqual(59_000);
    expect(conds(await cw.read(pods, 'default', 'short')).find((c) => c.type === 'DisruptionTarget')).toMatchObject({
      status: 'True',
      reason: 'DeletionByTaintManager',
      message: 'Taint manager: deleting due to NoExecute taint',
    });
    expect(await terminating(cw, 'defaults')).toBe(false);
    await cw.eventually(() => terminating(cw, 'defaults'), 260, 1000);
    expect(cw.clock.now() - silentAt).toBeGreaterThanOrEqual(299_000);

    const reasons = (await listObjects(cw.registry, events, 'default', {})).items.map((e) => `${String(e.reason)}: ${String(e.message)}`);
    expect(reasons).toContain('TaintManagerEviction: Marking for deletion Pod default/short');
    expect(reasons).toContain('NodeNotReady: Node n1 status is now: NodeNotReady');
    expect(reasons).toContain('NodeNotReady: Node is not ready');
  });

  it('evicts a pod at once for a NoExecute taint it does not tolerate, and lifts its taints when the kubelet is back', async () => {
    w = await nodesWorld();
    const cw = w;
    await readyNode(cw, 'n2');
    await runningPod(cw, podBody('victim', { nodeName: 'n2' }));
    await cw.registry.updateWith(nodes, undefined, 'n2', (n) => ({ ...n, spec: { taints: [{ key: 'maintenance', effect: 'NoExecute' }] } }));
    await cw.eventually(() => terminating(cw, 'victim'));

    await cw.clock.advance(45_000);
    await cw.eventually(async () => taints(await cw.read(nodes, undefined, 'n2')).includes('node.kubernetes.io/unreachable:NoExecute'), 20, 500);
    const now = rfc3339(cw.clock.now());
    await cw.registry.updateWith(leases, 'kube-node-lease', 'n2', (l) => ({ ...l, spec: { ...(l.spec as object), renewTime: new Date(cw.clock.now()).toISOString() } }));
    await cw.registry.updateWith(nodes, undefined, 'n2', (n) => ({ ...n, status: { conditions: [{ type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'ok', lastHeartbeatTime: now, lastTransitionTime: now }] } }), { subresource: 'status' });
    await cw.eventually(async () => taints(await cw.read(nodes, undefined, 'n2')).join() === 'maintenance:NoExecute');
  });

  it('force-deletes pods bound to a node that does not exist', async () => {
    w = await nodesWorld();
    const cw = w;
    await readyNode(cw, 'n3');
    // Pod GC may take the orphan before any status is written: create it only.
    await cw.registry.create(pods, 'default', podBody('orphan', { nodeName: 'ghost' }));
    await runningPod(cw, podBody('kept', { nodeName: 'n3' }));
    await cw.eventually(async () => (await cw.read(pods, 'default', 'orphan')) === undefined);
    expect(await cw.read(pods, 'default', 'kept')).toBeDefined();
    await cw.registry.delete(nodes, undefined, 'n3');
    await cw.eventually(async () => (await cw.read(pods, 'default', 'kept')) === undefined);
  });

  it('force-deletes pods terminating on a not-ready node declared out of service, and only then', async () => {
    w = await nodesWorld();
    const cw = w;
    await readyNode(cw, 'n5');
    await runningPod(cw, podBody('stuck', { nodeName: 'n5' }));
    await cw.clock.advance(45_000);
    await cw.eventually(async () => taints(await cw.read(nodes, undefined, 'n5')).includes('node.kubernetes.io/unreachable:NoExecute'), 20, 500);
    await cw.registry.delete(pods, 'default', 'stuck');
    await cw.clock.advance(60_000);
    expect(await terminating(cw, 'stuck')).toBe(true);
    await cw.registry.updateWith(nodes, undefined, 'n5', (n) => {
      const spec = n.spec as { taints: unknown[] };
      return { ...n, spec: { ...spec, taints: [...spec.taints, { key: 'node.kubernetes.io/out-of-service', value: 'nodeshutdown', effect: 'NoExecute' }] } };
    });
    await cw.eventually(async () => (await cw.read(pods, 'default', 'stuck')) === undefined);
  });

  it('deletes the oldest finished pods beyond the threshold', async () => {
    w = await nodesWorld({ terminatedPodThreshold: 2 });
    const cw = w;
    await readyNode(cw, 'n4');
    for (const name of ['f1', 'f2', 'f3']) {
      await cw.registry.create(pods, 'default', podBody(name, { nodeName: 'n4' }));
      await cw.registry.updateWith(pods, 'default', name, (p) => ({ ...p, status: { phase: 'Succeeded' } }), { subresource: 'status' });
      await cw.clock.advance(1000);
    }
    // Checked at most every 20 s, like upstream's gcCheckPeriod.
    await cw.eventually(async () => (await cw.read(pods, 'default', 'f1')) === undefined, 30, 1000);
    expect(await cw.read(pods, 'default', 'f2')).toBeDefined();
    expect(await cw.read(pods, 'default', 'f3')).toBeDefined();
  });
});
