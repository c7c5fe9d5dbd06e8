/** The Deployment controller on a virtual clock: create, roll out, scale, roll back, pause, Recreate, deadline. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { clone, type KubeObject } from '../../../../../src/kubernetes/apiserver/object.js';
import { deployments } from '../../../../../src/kubernetes/apiserver/resources/deployments.js';
import { events } from '../../../../../src/kubernetes/apiserver/resources/events.js';
import { pods } from '../../../../../src/kubernetes/apiserver/resources/pods.js';
import { replicasets } from '../../../../../src/kubernetes/apiserver/resources/replicasets.js';
import { workloadWorld, type WorkloadWorld } from './harness.js';

let w: WorkloadWorld;
beforeEach(async () => {
  w = await workloadWorld();
});
afterEach(async () => {
  await w.close();
});

function deployment(name: string, replicas: number, image: string, extra: Record<string, unknown> = {}): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name },
    spec: {
      replicas,
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'c', image }] } },
      ...extra,
    },
  };
}

type Status = Record<string, unknown> & { conditions?: { type: string; status: string; reason: string; message: string }[] };
const statusOf = (o: KubeObject): Status => (o.status ?? {}) as Status;
const spec = (o: KubeObject): Record<string, unknown> => o.spec as Record<string, unknown>;
const rev = (o: KubeObject): string | undefined => o.metadata.annotations?.['deployment.kubernetes.io/revision'];
const imageOf = (o: KubeObject): string => ((spec(o).template as { spec: { containers: { image: string }[] } }).spec.containers[0]?.image ?? '');

async function setImage(name: string, image: string): Promise<void> {
  await w.registry.updateWith(deployments, 'default', name, (cur) => {
    const next = clone(cur);
    (spec(next).template as { spec: { containers: { image: string }[] } }).spec.containers[0]!.image = image;
    return next;
  });
}

/** Play kubelets until the rollout completes, recording every (new RS, old RS) size pair seen. */
async function rollOut(name: string): Promise<string[]> {
  const seen: string[] = [];
  await w.eventually(async () => {
    await w.readyAll();
    const rss = await w.list(replicasets);
    seen.push(rss.map((rs) => `${imageOf(rs)}=${String(spec(rs).replicas)}`).sort().join(','));
    const d = await w.get(deployments, 'default', name);
    const s = statusOf(d);
    const want = spec(d).replicas;
    return s.observedGeneration === d.metadata.generation && s.updatedReplicas === want && s.replicas === want && s.availableReplicas === want;
  }, `rollout of ${name}`);
  return [...new Set(seen)];
}

describe('deployment controller', () => {
  it('creates a ReplicaSet named by the template hash, with revision 1, and reports availability', async () => {
    await w.registry.create(deployments, 'default', deployment('web', 3, 'nginx:1'));
    await w.eventually(async () => (await w.list(pods)).length === 3, 'three pods');
    const [rs] = await w.list(replicasets);
    const hash = rs!.metadata.labels?.['pod-template-hash'] ?? '';
    expect(hash).toMatch(/^[bcdfghjklmnpqrstvwxz2456789]{1,10}$/);
    expect(rs!.metadata.name).toBe(`web-${hash}`);
    expect(rev(rs!)).toBe('1');
    expect(rs!.metadata.annotations?.['deployment.kubernetes.io/desired-replicas']).toBe('3');
    expect(rs!.metadata.annotations?.['deployment.kubernetes.io/max-replicas']).toBe('4');
    expect((spec(rs!).selector as { matchLabels: Record<string, string> }).matchLabels).toEqual({ app: 'web', 'pod-template-hash': hash });
    expect(rs!.metadata.ownerReferences?.[0]).toMatchObject({ kind: 'Deployment', name: 'web', controller: true, blockOwnerDeletion: true });
    for (const p of await w.list(pods)) {
      expect(p.metadata.name).toMatch(new RegExp(`^web-${hash}-[bcdfghjklmnpqrstvwxz2456789]{5}$`));
      expect(p.metadata.labels).toEqual({ app: 'web', 'pod-template-hash': hash });
    }
    let d = await w.get(deployments, 'default', 'web');
    expect(statusOf(d).conditions?.find((c) => c.type === 'Available')).toMatchObject({ status: 'False', reason: 'MinimumReplicasUnavailable' });
    await rollOut('web');
    d = await w.get(deployments, 'default', 'web');
    expect(rev(d)).toBe('1');
    expect(statusOf(d)).toMatchObject({ replicas: 3, updatedReplicas: 3, readyReplicas: 3, availableReplicas: 3, unavailableReplicas: 0 });
    expect(statusOf(d).conditions?.find((c) => c.type === 'Available')).toMatchObject({ status: 'True', reason: 'MinimumReplicasAvailable' });
    expect(statusOf(d).conditions?.find((c) => c.type === 'Progressing')).toMatchObject({ status: 'True', reason: 'NewReplicaSetAvailable', message: `ReplicaSet "${rs!.metadata.name ?? ''}" has successfully progressed.` });
    const evs = (await w.list(events)).filter((e) => e.reason === 'ScalingReplicaSet');
    expect(evs.map((e) => e.message)).toContain(`Scaled up replica set ${rs!.metadata.name ?? ''} from 0 to 3`);
  });

  it('rolls a new image within maxSurge/maxUnavailable, then rolls back by reusing the old ReplicaSet under a new revision', async () => {
    await w.registry.create(deployments, 'default', deployment('web', 4, 'nginx:1', { strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } } }));
    await rollOut('web');
    await setImage('web', 'nginx:2');
    const steps = await rollOut('web');
    // maxSurge 1, maxUnavailable 0: never more than 5 pods, never fewer than 4 available.
    for (const s of steps) {
      const total = s.split(',').reduce((n, part) => n + Number(part.split('=')[1]), 0);
      expect(total).toBeLessThanOrEqual(5);
    }
    expect(steps).toContain('nginx:1=4,nginx:2=1');
    expect(steps.at(-1)).toBe('nginx:1=0,nginx:2=4');
    const rss = await w.list(replicasets);
    const old = rss.find((r) => imageOf(r) === 'nginx:1')!;
    const cur = rss.find((r) => imageOf(r) === 'nginx:2')!;
    expect([rev(old), rev(cur)]).toEqual(['1', '2']);
    expect(rev(await w.get(deployments, 'default', 'web'))).toBe('2');
    // kubectl rollout undo copies the old template back.
    await setImage('web', 'nginx:1');
    await rollOut('web');
    const after = await w.list(replicasets);
    expect(after).toHaveLength(2);
    const reused = after.find((r) => r.metadata.uid === old.metadata.uid)!;
    expect(rev(reused)).toBe('3');
    expect(reused.metadata.annotations?.['deployment.kubernetes.io/revision-history']).toBe('1');
    expect(spec(reused).replicas).toBe(4);
    expect(rev(await w.get(deployments, 'default', 'web'))).toBe('3');
  });

  it('scales the only active ReplicaSet and deletes pods when scaled down', async () => {
    await w.registry.create(deployments, 'default', deployment('api', 2, 'a:1'));
    await rollOut('api');
    await w.registry.updateWith(deployments, 'default', 'api', (cur) => ({ ...cur, spec: { ...spec(cur), replicas: 5 } }));
    await rollOut('api');
    expect(await w.list(pods)).toHaveLength(5);
    await w.registry.updateWith(deployments, 'default', 'api', (cur) => ({ ...cur, spec: { ...spec(cur), replicas: 1 } }));
    await w.eventually(async () => (await w.list(pods)).length === 1, 'one pod');
    const [rs] = await w.list(replicasets);
    expect(rs!.metadata.annotations?.['deployment.kubernetes.io/desired-replicas']).toBe('1');
  });

  it('does not roll out while paused, and does on resume', async () => {
    await w.registry.create(deployments, 'default', deployment('p', 2, 'a:1'));
    await rollOut('p');
    await w.registry.updateWith(deployments, 'default', 'p', (cur) => ({ ...cur, spec: { ...spec(cur), paused: true } }));
    await setImage('p', 'a:2');
    await w.eventually(async () => statusOf(await w.get(deployments, 'default', 'p')).conditions?.some((c) => c.reason === 'DeploymentPaused') ?? false, 'paused condition');
    await w.clock.advance(500);
    expect(await w.list(replicasets)).toHaveLength(1);
    await w.registry.updateWith(deployments, 'default', 'p', (cur) => ({ ...cur, spec: { ...spec(cur), paused: false } }));
    await rollOut('p');
    expect((await w.list(replicasets)).map(imageOf).sort()).toEqual(['a:1', 'a:2']);
  });

  it('Recreate scales the old ReplicaSet to zero and waits for its pods before creating the new one', async () => {
    await w.registry.create(deployments, 'default', deployment('r', 2, 'a:1', { strategy: { type: 'Recreate' } }));
    await rollOut('r');
    await setImage('r', 'a:2');
    // Never an old and a new pod at the same time.
    let mixed = false;
    await w.eventually(async () => {
      const images = new Set((await w.list(pods)).map((p) => (p.spec as { containers: { image: string }[] }).containers[0]?.image));
      if (images.size > 1) mixed = true;
      await w.readyAll();
      return images.size === 1 && images.has('a:2') && (await w.list(pods)).length === 2;
    }, 'new pods only');
    expect(mixed).toBe(false);
    await rollOut('r');
    expect((await w.list(pods)).length).toBe(2);
  });

  it('reports ProgressDeadlineExceeded when pods never become ready', async () => {
    await w.registry.create(deployments, 'default', deployment('slow', 1, 'a:1', { progressDeadlineSeconds: 5 }));
    await w.eventually(async () => (await w.list(pods)).length === 1, 'a pod');
    await w.clock.advance(7000);
    await w.eventually(
      async () => statusOf(await w.get(deployments, 'default', 'slow')).conditions?.some((c) => c.type === 'Progressing' && c.reason === 'ProgressDeadlineExceeded' && c.status === 'False') ?? false,
      'deadline exceeded',
    );
  });

  it('keeps only revisionHistoryLimit old ReplicaSets', async () => {
    await w.registry.create(deployments, 'default', deployment('h', 1, 'a:1', { revisionHistoryLimit: 1 }));
    await rollOut('h');
    for (const image of ['a:2', 'a:3', 'a:4']) {
      await setImage('h', image);
      await rollOut('h');
    }
    await w.eventually(async () => (await w.list(replicasets)).length === 2, 'two ReplicaSets');
    expect((await w.list(replicasets)).map(imageOf).sort()).toEqual(['a:3', 'a:4']);
  });
});
