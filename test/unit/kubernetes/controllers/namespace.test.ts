import { afterEach, describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../../src/kubernetes/apiserver/object.js';
import { deleteNamespace, finalizeNamespace } from '../../../../src/kubernetes/apiserver/namespace-deletion.js';
import { configmaps } from '../../../../src/kubernetes/apiserver/resources/configmaps.js';
import { namespaces } from '../../../../src/kubernetes/apiserver/resources/index.js';
import { statusOf } from '../apiserver/world.js';
import { controllerWorld, type ControllerWorld } from './harness.js';

let w: ControllerWorld | undefined;
afterEach(async () => {
  await w?.close();
  w = undefined;
});

type Condition = { type: string; status: string; reason: string; message: string };
const conditions = (o: KubeObject | undefined): Condition[] => ((o?.status as { conditions?: Condition[] } | undefined)?.conditions ?? []);

describe('namespace controller', () => {
  it('marks the namespace Terminating, deletes its content, waits on finalizers, then removes it', async () => {
    w = await controllerWorld();
    const cw = w;
    await cw.registry.create(namespaces, undefined, { metadata: { name: 'team' } });
    await cw.registry.create(configmaps, 'team', { metadata: { name: 'plain' } });
    await cw.registry.create(configmaps, 'team', { metadata: { name: 'held', finalizers: ['example.com/hold'] } });

    const marked = await deleteNamespace(cw.registry, namespaces, 'team', {});
    expect(marked.deleted).toBe(false);
    expect(marked.object.status).toMatchObject({ phase: 'Terminating' });
    expect(marked.object.spec).toEqual({ finalizers: ['kubernetes'] });
    expect(marked.object.metadata.deletionTimestamp).toBe('2026-01-01T00:00:00Z');

    const refused = await statusOf(cw.registry.create(configmaps, 'team', { metadata: { name: 'late' } }));
    expect(refused.code).toBe(403);
    expect(refused.message).toBe('configmaps "late" is forbidden: unable to create new content in namespace team because it is being terminated');
    const again = await statusOf(deleteNamespace(cw.registry, namespaces, 'team', {}));
    expect(again.code).toBe(409);

    await cw.eventually(async () => (await cw.read(configmaps, 'team', 'plain')) === undefined);
    await cw.eventually(async () => conditions(await cw.read(namespaces, undefined, 'team')).some((c) => c.type === 'NamespaceFinalizersRemaining' && c.status === 'True'));
    const waiting = await cw.read(namespaces, undefined, 'team');
    expect(conditions(waiting).find((c) => c.type === 'NamespaceContentRemaining')).toMatchObject({
      status: 'True',
      reason: 'SomeResourcesRemain',
      message: 'Some resources are remaining: configmaps has 1 resource instances',
    });
    expect(conditions(waiting).find((c) => c.type === 'NamespaceFinalizersRemaining')?.message).toBe(
      'Some content in the namespace has finalizers remaining: example.com/hold in 1 resource instances',
    );
    expect((await cw.read(configmaps, 'team', 'held'))?.metadata.deletionTimestamp).toBeDefined();

    await cw.registry.updateWith(configmaps, 'team', 'held', (cur) => ({ ...cur, metadata: { ...cur.metadata, finalizers: [] } }));
    await cw.eventually(async () => (await cw.read(namespaces, undefined, 'team')) === undefined);
  });

  it('finishes namespaces left Terminating while no controller ran', async () => {
    w = await controllerWorld({ start: false });
    const cw = w;
    await cw.registry.create(namespaces, undefined, { metadata: { name: 'left' } });
    await cw.registry.create(configmaps, 'left', { metadata: { name: 'a' } });
    await deleteNamespace(cw.registry, namespaces, 'left', {});
    expect((await cw.read(configmaps, 'left', 'a'))?.metadata.name).toBe('a');
    await cw.manager.start();
    await cw.eventually(async () => (await cw.read(namespaces, undefined, 'left')) === undefined);
    expect(await cw.read(configmaps, 'left', 'a')).toBeUndefined();
  });

  it('finalize removes spec.finalizers; the last one gone deletes a Terminating namespace', async () => {
    w = await controllerWorld({ start: false });
    const cw = w;
    await cw.registry.create(namespaces, undefined, { metadata: { name: 'f' }, spec: { finalizers: ['kubernetes', 'example.com/x'] } });
    const kept = await finalizeNamespace(cw.registry, namespaces, 'f', { spec: { finalizers: ['kubernetes'] } });
    expect(kept.spec).toEqual({ finalizers: ['kubernetes'] });
    await deleteNamespace(cw.registry, namespaces, 'f', {});
    // A status write must not delete a namespace that spec.finalizers still holds.
    await cw.registry.updateWith(namespaces, undefined, 'f', (cur) => ({ ...cur, status: { phase: 'Terminating', conditions: [] } }), { subresource: 'status' });
    expect((await cw.read(namespaces, undefined, 'f'))?.metadata.name).toBe('f');
    await finalizeNamespace(cw.registry, namespaces, 'f', { spec: { finalizers: [] } });
    expect(await cw.read(namespaces, undefined, 'f')).toBeUndefined();
  });

  it('checks DeleteOptions and preconditions before marking', async () => {
    w = await controllerWorld({ start: false });
    const cw = w;
    await cw.registry.create(namespaces, undefined, { metadata: { name: 'p' } });
    expect((await statusOf(deleteNamespace(cw.registry, namespaces, 'p', { propagationPolicy: 'Sideways' }))).code).toBe(422);
    expect((await statusOf(deleteNamespace(cw.registry, namespaces, 'p', { preconditions: { uid: 'not-it' } }))).code).toBe(409);
    expect((await cw.read(namespaces, undefined, 'p'))?.metadata.deletionTimestamp).toBeUndefined();
  });

  it('refuses to delete a system namespace', async () => {
    w = await controllerWorld({ start: false });
    expect((await statusOf(deleteNamespace(w.registry, namespaces, 'kube-system', {}))).code).toBe(403);
  });
});
