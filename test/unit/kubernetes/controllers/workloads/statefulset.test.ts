/** The StatefulSet controller: ordinals in order, PVCs, revisions, rolling update with partition, Parallel. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { clone, type KubeObject } from '../../../../../src/kubernetes/apiserver/object.js';
import { controllerrevisions } from '../../../../../src/kubernetes/apiserver/resources/controllerrevisions.js';
import { persistentvolumeclaims } from '../../../../../src/kubernetes/apiserver/resources/persistentvolumeclaims.js';
import { pods } from '../../../../../src/kubernetes/apiserver/resources/pods.js';
import { statefulsets } from '../../../../../src/kubernetes/apiserver/resources/statefulsets.js';
import { workloadWorld, type WorkloadWorld } from './harness.js';

let w: WorkloadWorld;
beforeEach(async () => {
  w = await workloadWorld();
});
afterEach(async () => {
  await w.close();
});

const sts = (name: string, replicas: number, extra: Record<string, unknown> = {}): KubeObject => ({
  apiVersion: 'apps/v1',
  kind: 'StatefulSet',
  metadata: { name },
  spec: {
    replicas,
    serviceName: name,
    selector: { matchLabels: { app: name } },
    template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'c', image: 'i:1', volumeMounts: [{ name: 'data', mountPath: '/data' }] }] } },
    volumeClaimTemplates: [{ metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } }],
    ...extra,
  },
});
const names = async (): Promise<string[]> => (await w.list(pods)).map((p) => p.metadata.name ?? '').sort();
const status = (o: KubeObject): Record<string, unknown> => (o.status ?? {}) as Record<string, unknown>;
const image = (p: KubeObject): string => (p.spec as { containers: { image: string }[] }).containers[0]?.image ?? '';

describe('statefulset controller', () => {
  it('creates ordinals one at a time, each after the previous is Running and Ready, with claims', async () => {
    await w.registry.create(statefulsets, 'default', sts('web', 3));
    await w.eventually(async () => (await names()).length === 1, 'web-0');
    await w.clock.advance(500);
    expect(await names()).toEqual(['web-0']);
    const p0 = await w.get(pods, 'default', 'web-0');
    expect(p0.metadata.labels).toMatchObject({ app: 'web', 'statefulset.kubernetes.io/pod-name': 'web-0', 'apps.kubernetes.io/pod-index': '0' });
    expect(p0.spec).toMatchObject({ hostname: 'web-0', subdomain: 'web' });
    expect((p0.spec as { volumes: unknown[] }).volumes).toContainEqual({ name: 'data', persistentVolumeClaim: { claimName: 'data-web-0' } });
    const claim = await w.get(persistentvolumeclaims, 'default', 'data-web-0');
    expect(claim.metadata.labels).toEqual({ app: 'web' });
    expect(claim.metadata.ownerReferences).toBeUndefined();
    expect((claim.status as { phase: string }).phase).toBe('Pending');
    for (let i = 1; i < 3; i++) {
      await w.readyAll();
      await w.eventually(async () => (await names()).length === i + 1, `web-${i}`);
    }
    await w.readyAll();
    expect(await names()).toEqual(['web-0', 'web-1', 'web-2']);
    expect((await w.list(persistentvolumeclaims)).map((c) => c.metadata.name).sort()).toEqual(['data-web-0', 'data-web-1', 'data-web-2']);
    await w.eventually(async () => status(await w.get(statefulsets, 'default', 'web')).readyReplicas === 3, 'ready');
    const s = status(await w.get(statefulsets, 'default', 'web'));
    const [rev] = await w.list(controllerrevisions);
    expect(rev!.metadata.name).toMatch(/^web-[bcdfghjklmnpqrstvwxz2456789]+$/);
    expect(rev!.revision).toBe(1);
    expect(p0.metadata.labels?.['controller-revision-hash']).toBe(rev!.metadata.name);
    expect(s).toMatchObject({ replicas: 3, readyReplicas: 3, currentReplicas: 3, updatedReplicas: 3, currentRevision: rev!.metadata.name, updateRevision: rev!.metadata.name, availableReplicas: 3 });
  });

  it('rolls an update from the highest ordinal down to the partition, and scales down in reverse', async () => {
    await w.registry.create(statefulsets, 'default', sts('db', 3, { podManagementPolicy: 'Parallel' }));
    await w.eventually(async () => (await names()).length === 3, 'three pods at once');
    await w.readyAll();
    await w.eventually(async () => status(await w.get(statefulsets, 'default', 'db')).readyReplicas === 3, 'ready');
    await w.registry.updateWith(statefulsets, 'default', 'db', (cur) => {
      const next = clone(cur);
      const spec = next.spec as { template: { spec: { containers: { image: string }[] } }; updateStrategy: { rollingUpdate: { partition: number } } };
      spec.template.spec.containers[0]!.image = 'i:2';
      spec.updateStrategy.rollingUpdate.partition = 1;
      return next;
    });
    await w.eventually(async () => {
      await w.readyAll();
      const ps = await w.list(pods);
      return ps.length === 3 && ps.filter((p) => image(p) === 'i:2').length === 2;
    }, 'ordinals 1 and 2 updated');
    await w.clock.advance(500);
    expect(image(await w.get(pods, 'default', 'db-0'))).toBe('i:1');
    expect((await w.list(controllerrevisions)).map((r) => r.revision).sort()).toEqual([1, 2]);
    await w.eventually(async () => status(await w.get(statefulsets, 'default', 'db')).updatedReplicas === 2, 'status');
    await w.registry.updateWith(statefulsets, 'default', 'db', (cur) => ({ ...cur, spec: { ...(cur.spec as object), replicas: 1 } }));
    await w.eventually(async () => (await names()).join() === 'db-0', 'scaled to one');
    // Claims are retained by default.
    expect(await w.list(persistentvolumeclaims)).toHaveLength(3);
  });

  it('owns claims as persistentVolumeClaimRetentionPolicy says: the set on whenDeleted, the pod on whenScaled', async () => {
    const set = await w.registry.create(statefulsets, 'default', sts('q', 2, { podManagementPolicy: 'Parallel', persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Delete', whenScaled: 'Delete' } }));
    await w.eventually(async () => (await w.list(persistentvolumeclaims)).length === 2, 'two claims');
    const claim = await w.get(persistentvolumeclaims, 'default', 'data-q-1');
    expect(claim.metadata.ownerReferences).toEqual([{ apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'q', uid: set.metadata.uid }]);
    await w.registry.updateWith(statefulsets, 'default', 'q', (cur) => ({ ...cur, spec: { ...(cur.spec as object), replicas: 1 } }));
    await w.eventually(async () => (await names()).join() === 'q-0', 'scaled to one');
    // The condemned ordinal's claim went with its pod; the kept one is still the set's.
    await w.eventually(async () => (await w.list(persistentvolumeclaims)).map((c) => c.metadata.name).join() === 'data-q-0', 'claim of q-1 collected');
    expect((await w.get(persistentvolumeclaims, 'default', 'data-q-0')).metadata.ownerReferences?.map((r) => r.kind)).toEqual(['StatefulSet']);
  });
});
