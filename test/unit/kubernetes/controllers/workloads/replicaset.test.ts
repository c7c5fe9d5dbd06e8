/** The ReplicaSet controller: create to match, no over-creation, adopt and release, delete order, status. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../../../src/kubernetes/apiserver/object.js';
import { events } from '../../../../../src/kubernetes/apiserver/resources/events.js';
import { pods } from '../../../../../src/kubernetes/apiserver/resources/pods.js';
import { replicasets } from '../../../../../src/kubernetes/apiserver/resources/replicasets.js';
import { forbidden } from '../../../../../src/kubernetes/apiserver/status.js';
import { workloadWorld, type WorkloadWorld } from './harness.js';

let w: WorkloadWorld;
beforeEach(async () => {
  w = await workloadWorld();
});
afterEach(async () => {
  await w.close();
});

const replicaSet = (name: string, replicas: number, extra: Record<string, unknown> = {}): KubeObject => ({
  apiVersion: 'apps/v1',
  kind: 'ReplicaSet',
  metadata: { name },
  spec: { replicas, selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name, tier: 'x' } }, spec: { containers: [{ name: 'c', image: 'i' }] } }, ...extra },
});
const status = (o: KubeObject): Record<string, unknown> => (o.status ?? {}) as Record<string, unknown>;
const scale = (name: string, replicas: number): Promise<KubeObject> =>
  w.registry.updateWith(replicasets, 'default', name, (cur) => ({ ...cur, spec: { ...(cur.spec as object), replicas } }));

describe('replicaset controller', () => {
  it('creates exactly the replicas asked for, owned and labelled, with events', async () => {
    await w.registry.create(replicasets, 'default', replicaSet('rs', 20));
    await w.eventually(async () => (await w.list(pods)).length >= 20, '20 pods');
    // Let every reconcile the burst caused run: expectations must stop a second round.
    await w.clock.advance(1000);
    const ps = await w.list(pods);
    expect(ps).toHaveLength(20);
    for (const p of ps) {
      expect(p.metadata.name).toMatch(/^rs-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
      expect(p.metadata.labels).toEqual({ app: 'rs', tier: 'x' });
      expect(p.metadata.ownerReferences).toEqual([expect.objectContaining({ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'rs', controller: true, blockOwnerDeletion: true })]);
    }
    const evs = (await w.list(events)).filter((e) => e.reason === 'SuccessfulCreate');
    expect(evs.length).toBeGreaterThan(0);
    // From the 10th on, upstream's correlator folds them into one combined event.
    for (const e of evs) expect(String(e.message)).toMatch(/^(\(combined from similar events\): )?Created pod: rs-/);
    expect(evs.filter((e) => String(e.message).startsWith('Created pod: rs-'))).toHaveLength(9);
    await w.eventually(async () => status(await w.get(replicasets, 'default', 'rs')).replicas === 20, 'status replicas');
    expect(status(await w.get(replicasets, 'default', 'rs'))).toMatchObject({ replicas: 20, fullyLabeledReplicas: 20, observedGeneration: 1 });
  });

  it('counts ready and, after minReadySeconds on the clock, available pods', async () => {
    await w.registry.create(replicasets, 'default', replicaSet('m', 2, { minReadySeconds: 10 }));
    await w.eventually(async () => (await w.list(pods)).length === 2, 'two pods');
    await w.readyAll();
    await w.eventually(async () => status(await w.get(replicasets, 'default', 'm')).readyReplicas === 2, 'ready');
    expect(status(await w.get(replicasets, 'default', 'm')).availableReplicas).toBeUndefined();
    await w.clock.advance(10_000);
    await w.eventually(async () => status(await w.get(replicasets, 'default', 'm')).availableReplicas === 2, 'available');
  });

  it('deletes not-ready pods before ready ones when scaled down', async () => {
    await w.registry.create(replicasets, 'default', replicaSet('d', 3));
    await w.eventually(async () => (await w.list(pods)).length === 3, 'three pods');
    const [a, b, c] = await w.list(pods);
    await w.setReady(a!);
    await w.setReady(b!);
    await w.setReady(c!, false);
    await w.eventually(async () => status(await w.get(replicasets, 'default', 'd')).readyReplicas === 2, 'two ready');
    await scale('d', 2);
    await w.eventually(async () => (await w.list(pods)).length === 2, 'two pods');
    expect((await w.list(pods)).map((p) => p.metadata.name).sort()).toEqual([a!.metadata.name, b!.metadata.name].sort());
    const del = (await w.list(events)).find((e) => e.reason === 'SuccessfulDelete');
    expect(del?.message).toBe(`Deleted pod: ${c!.metadata.name ?? ''}`);
  });

  it('adopts a matching orphan instead of creating, and releases a pod relabelled away', async () => {
    await w.registry.create(pods, 'default', { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'orphan', labels: { app: 'o' } }, spec: { containers: [{ name: 'c', image: 'i' }] } });
    const rs = await w.registry.create(replicasets, 'default', replicaSet('o', 2));
    await w.eventually(async () => (await w.list(pods)).length === 2, 'two pods');
    const orphan = await w.get(pods, 'default', 'orphan');
    expect(orphan.metadata.ownerReferences?.[0]).toMatchObject({ uid: rs.metadata.uid, controller: true });
    await w.registry.updateWith(pods, 'default', 'orphan', (cur) => ({ ...cur, metadata: { ...cur.metadata, labels: { app: 'elsewhere' } } }));
    await w.eventually(async () => (await w.get(pods, 'default', 'orphan')).metadata.ownerReferences === undefined || (await w.get(pods, 'default', 'orphan')).metadata.ownerReferences?.length === 0, 'released');
    await w.eventually(async () => (await w.list(pods)).length === 3, 'a replacement');
  });

  it('replaces a deleted pod', async () => {
    await w.registry.create(replicasets, 'default', replicaSet('r', 1));
    await w.eventually(async () => (await w.list(pods)).length === 1, 'a pod');
    const [p] = await w.list(pods);
    await w.registry.delete(pods, 'default', p!.metadata.name ?? '');
    await w.eventually(async () => {
      const now = await w.list(pods);
      return now.length === 1 && now[0]!.metadata.name !== p!.metadata.name;
    }, 'a replacement');
  });

  it('creates in slow-start batches and reports ReplicaFailure while creates are refused', async () => {
    let attempts = 0;
    const remove = w.registry.admission.add({
      name: 'deny-pods',
      validate(attrs) {
        if (attrs.operation !== 'CREATE' || attrs.def !== pods) return;
        attempts++;
        if (attempts > 3) throw forbidden({ group: '', resource: 'pods' }, '', 'exceeded quota: q');
      },
    });
    await w.registry.create(replicasets, 'default', replicaSet('f', 10));
    await w.eventually(async () => {
      const c = ((status(await w.get(replicasets, 'default', 'f')).conditions ?? []) as { type: string; reason: string; message: string }[])[0];
      return c?.type === 'ReplicaFailure' && c.reason === 'FailedCreate';
    }, 'ReplicaFailure');
    // Batches of 1 and 2 succeeded; the batch of 4 failed at its first create and the rest of the burst was never tried.
    expect((await w.list(pods)).length).toBe(3);
    remove();
    await w.eventually(async () => (await w.list(pods)).length === 10, 'ten pods once allowed');
    await w.eventually(async () => status(await w.get(replicasets, 'default', 'f')).conditions === undefined, 'condition cleared');
  });
});
