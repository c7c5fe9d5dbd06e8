import { afterEach, describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../../../src/kubernetes/apiserver/object.js';
import { evictPod } from '../../../../../src/kubernetes/apiserver/resources/pod-subresources.js';
import { limitranges } from '../../../../../src/kubernetes/apiserver/resources/limitranges.js';
import { poddisruptionbudgets } from '../../../../../src/kubernetes/apiserver/resources/poddisruptionbudgets.js';
import { pods } from '../../../../../src/kubernetes/apiserver/resources/pods.js';
import { replicasets } from '../../../../../src/kubernetes/apiserver/resources/replicasets.js';
import { resourcequotas } from '../../../../../src/kubernetes/apiserver/resources/resourcequotas.js';
import { services } from '../../../../../src/kubernetes/apiserver/resources/services.js';
import { statusOf } from '../../apiserver/world.js';
import { container, nodesWorld, podBody, type NodesWorld } from './harness.js';

let w: NodesWorld | undefined;
afterEach(async () => {
  await w?.close();
  w = undefined;
});

const statusField = (o: KubeObject | undefined): Record<string, unknown> => (o?.status as Record<string, unknown> | undefined) ?? {};

describe('PodDisruptionBudget status and eviction', () => {
  it('follows the pods of a ReplicaSet and lets eviction spend exactly the allowed disruptions', async () => {
    w = await nodesWorld();
    const cw = w;
    const rs = await cw.registry.create(replicasets, 'default', {
      metadata: { name: 'web' },
      spec: { replicas: 3, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [container('app')] } } },
    });
    const owner = { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web', uid: rs.metadata.uid, controller: true };
    for (const name of ['web-a', 'web-b', 'web-c']) {
      await cw.registry.create(pods, 'default', podBody(name, { labels: { app: 'web' }, owner }));
      await cw.registry.updateWith(pods, 'default', name, (p) => ({ ...p, status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }] } }), { subresource: 'status' });
    }
    await cw.registry.create(poddisruptionbudgets, 'default', { metadata: { name: 'web' }, spec: { maxUnavailable: 1, selector: { matchLabels: { app: 'web' } } } });
    await cw.eventually(async () => statusField(await cw.read(poddisruptionbudgets, 'default', 'web')).disruptionsAllowed === 1);
    const status = statusField(await cw.read(poddisruptionbudgets, 'default', 'web'));
    expect(status).toMatchObject({ observedGeneration: 1, currentHealthy: 3, desiredHealthy: 2, expectedPods: 3, disruptionsAllowed: 1 });
    expect((status.conditions as unknown[])[0]).toMatchObject({ type: 'DisruptionAllowed', status: 'True', reason: 'SufficientPods' });

    await evictPod(cw.registry, 'default', 'web-a', undefined, false);
    const refused = await statusOf(evictPod(cw.registry, 'default', 'web-b', undefined, false));
    expect(refused.code).toBe(429);
    await cw.eventually(async () => {
      const s = statusField(await cw.read(poddisruptionbudgets, 'default', 'web'));
      return s.currentHealthy === 2 && s.disruptedPods === undefined;
    });
    const after = statusField(await cw.read(poddisruptionbudgets, 'default', 'web'));
    expect(after).toMatchObject({ currentHealthy: 2, desiredHealthy: 2, disruptionsAllowed: 0 });
    expect((after.conditions as unknown[])[0]).toMatchObject({ status: 'False', reason: 'InsufficientPods' });
    const again = await statusOf(evictPod(cw.registry, 'default', 'web-b', undefined, false));
    expect(again.details?.causes?.[0]?.message).toBe('The disruption budget web needs 2 healthy pods and has 2 currently');

    // Scaling the ReplicaSet down to 2 makes one disruption allowed again.
    await cw.registry.updateWith(replicasets, 'default', 'web', (cur) => ({ ...cur, spec: { ...(cur.spec as object), replicas: 2 } }));
    await cw.eventually(async () => statusField(await cw.read(poddisruptionbudgets, 'default', 'web')).disruptionsAllowed === 1);
  });
});

describe('ResourceQuota', () => {
  it('keeps status.used current and refuses a pod over the quota with upstream\'s message', async () => {
    w = await nodesWorld();
    const cw = w;
    await cw.registry.create(resourcequotas, 'default', { metadata: { name: 'compute' }, spec: { hard: { 'requests.cpu': '2', pods: '10', services: '1' } } });
    await cw.eventually(async () => (statusField(await cw.read(resourcequotas, 'default', 'compute')).used as Record<string, string> | undefined)?.pods === '0');
    await cw.registry.create(pods, 'default', podBody('one', { containers: [container('app', { requests: { cpu: '1' } })] }));
    await cw.eventually(async () => (statusField(await cw.read(resourcequotas, 'default', 'compute')).used as Record<string, string>)['requests.cpu'] === '1');
    expect(statusField(await cw.read(resourcequotas, 'default', 'compute'))).toEqual({
      hard: { 'requests.cpu': '2', pods: '10', services: '1' },
      used: { 'requests.cpu': '1', pods: '1', services: '0' },
    });

    const over = await statusOf(cw.registry.create(pods, 'default', podBody('two', { containers: [container('app', { requests: { cpu: '2' } })] })));
    expect(over.code).toBe(403);
    expect(over.message).toBe('pods "two" is forbidden: exceeded quota: compute, requested: requests.cpu=2, used: requests.cpu=1, limited: requests.cpu=2');
    const unset = await statusOf(cw.registry.create(pods, 'default', podBody('three')));
    expect(unset.message).toBe('pods "three" is forbidden: failed quota: compute: must specify requests.cpu for: app');

    await cw.registry.create(services, 'default', { metadata: { name: 's1' }, spec: { ports: [{ port: 80 }] } });
    const svc = await statusOf(cw.registry.create(services, 'default', { metadata: { name: 's2' }, spec: { ports: [{ port: 80 }] } }));
    expect(svc.message).toBe('services "s2" is forbidden: exceeded quota: compute, requested: services=1, used: services=1, limited: services=1');
  });

  it('does not let concurrent creates overshoot', async () => {
    w = await nodesWorld();
    const cw = w;
    await cw.registry.create(resourcequotas, 'default', { metadata: { name: 'few' }, spec: { hard: { pods: '2' } } });
    await cw.eventually(async () => statusField(await cw.read(resourcequotas, 'default', 'few')).used !== undefined);
    const results = await Promise.allSettled(['a', 'b', 'c', 'd', 'e'].map((n) => cw.registry.create(pods, 'default', podBody(n))));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(2);
    await cw.eventually(async () => (statusField(await cw.read(resourcequotas, 'default', 'few')).used as Record<string, string>).pods === '2');
  });
});

describe('LimitRanger', () => {
  it('fills container defaults on create and refuses pods over the maximum', async () => {
    w = await nodesWorld();
    const cw = w;
    await cw.registry.create(limitranges, 'default', {
      metadata: { name: 'defaults' },
      spec: { limits: [{ type: 'Container', default: { cpu: '500m', memory: '256Mi' }, defaultRequest: { cpu: '100m' }, max: { cpu: '1' } }] },
    });
    await cw.eventually(async () => {
      try {
        const p = await cw.registry.create(pods, 'default', podBody('probe'), { dryRun: true });
        return p.metadata.annotations?.['kubernetes.io/limit-ranger'] !== undefined;
      } catch {
        return false;
      }
    });
    const p = await cw.registry.create(pods, 'default', podBody('web'));
    expect((p.spec as { containers: { resources: unknown }[] }).containers[0]?.resources).toEqual({ requests: { cpu: '100m', memory: '256Mi' }, limits: { cpu: '500m', memory: '256Mi' } });
    expect(p.metadata.annotations?.['kubernetes.io/limit-ranger']).toBe('LimitRanger plugin set: cpu, memory request for container app; cpu, memory limit for container app');
    expect(statusField(p).qosClass).toBe('Burstable');
    const big = await statusOf(cw.registry.create(pods, 'default', podBody('big', { containers: [container('app', { limits: { cpu: '2' } })] })));
    expect(big.code).toBe(403);
    expect(big.message).toBe('pods "big" is forbidden: maximum cpu usage per Container is 1, but limit is 2');
  });
});
