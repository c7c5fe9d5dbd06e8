import { afterEach, describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../../src/kubernetes/apiserver/object.js';
import { parseDeleteOptions, withPropagationFinalizers } from '../../../../src/kubernetes/apiserver/registry.js';
import { configmaps } from '../../../../src/kubernetes/apiserver/resources/configmaps.js';
import { controllerWorld, type ControllerWorld } from './harness.js';

let w: ControllerWorld | undefined;
afterEach(async () => {
  await w?.close();
  w = undefined;
});

const ownedBy = (owner: KubeObject, extra: Record<string, unknown> = {}) => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  name: owner.metadata.name,
  uid: owner.metadata.uid,
  ...extra,
});

async function ownerAndDependent(cw: ControllerWorld, depMeta: Record<string, unknown> = {}, refExtra: Record<string, unknown> = {}) {
  const owner = await cw.registry.create(configmaps, 'default', { metadata: { name: 'owner' } });
  const dep = await cw.registry.create(configmaps, 'default', { metadata: { name: 'dep', ownerReferences: [ownedBy(owner, refExtra)], ...depMeta } });
  return { owner, dep };
}

describe('garbage collector', () => {
  it('deletes the dependents of an owner deleted in the background', async () => {
    w = await controllerWorld();
    const cw = w;
    await ownerAndDependent(cw);
    const result = await cw.registry.delete(configmaps, 'default', 'owner');
    expect(result.deleted).toBe(true);
    await cw.eventually(async () => (await cw.read(configmaps, 'default', 'dep')) === undefined);
  });

  it('orphans: strips the ownerReference, then lets the owner go', async () => {
    w = await controllerWorld();
    const cw = w;
    await ownerAndDependent(cw);
    const marked = await cw.registry.delete(configmaps, 'default', 'owner', parseDeleteOptions({ orphanDependents: true }));
    expect(marked.deleted).toBe(false);
    expect(marked.object.metadata.finalizers).toEqual(['orphan']);
    expect(marked.object.metadata.deletionTimestamp).toBe('2026-01-01T00:00:00Z');
    await cw.eventually(async () => (await cw.read(configmaps, 'default', 'owner')) === undefined);
    const dep = await cw.read(configmaps, 'default', 'dep');
    expect(dep?.metadata.name).toBe('dep');
    expect(dep?.metadata.ownerReferences).toBeUndefined();
  });

  it('in the foreground, deletes blocking dependents first and keeps the owner until they are gone', async () => {
    w = await controllerWorld();
    const cw = w;
    await ownerAndDependent(cw, { finalizers: ['example.com/hold'] }, { blockOwnerDeletion: true });
    const marked = await cw.registry.delete(configmaps, 'default', 'owner', { propagationPolicy: 'Foreground' });
    expect(marked.object.metadata.finalizers).toEqual(['foregroundDeletion']);
    await cw.eventually(async () => (await cw.read(configmaps, 'default', 'dep'))?.metadata.deletionTimestamp !== undefined);
    await cw.clock.advance(200);
    const owner = await cw.read(configmaps, 'default', 'owner');
    expect(owner?.metadata.finalizers).toEqual(['foregroundDeletion']);

    await cw.registry.updateWith(configmaps, 'default', 'dep', (cur) => ({ ...cur, metadata: { ...cur.metadata, finalizers: [] } }));
    await cw.eventually(async () => (await cw.read(configmaps, 'default', 'owner')) === undefined);
    expect(await cw.read(configmaps, 'default', 'dep')).toBeUndefined();
  });

  it('deletes a chain in the foreground from the leaves up', async () => {
    w = await controllerWorld();
    const cw = w;
    const a = await cw.registry.create(configmaps, 'default', { metadata: { name: 'a' } });
    const b = await cw.registry.create(configmaps, 'default', { metadata: { name: 'b', ownerReferences: [ownedBy(a, { blockOwnerDeletion: true })] } });
    await cw.registry.create(configmaps, 'default', {
      metadata: { name: 'c', finalizers: ['example.com/hold'], ownerReferences: [ownedBy(b, { blockOwnerDeletion: true })] },
    });
    await cw.registry.delete(configmaps, 'default', 'a', { propagationPolicy: 'Foreground' });
    await cw.eventually(async () => (await cw.read(configmaps, 'default', 'c'))?.metadata.deletionTimestamp !== undefined);
    // b waits on c in the foreground too, and a waits on b.
    expect((await cw.read(configmaps, 'default', 'b'))?.metadata.finalizers).toEqual(['foregroundDeletion']);
    expect((await cw.read(configmaps, 'default', 'a'))?.metadata.finalizers).toEqual(['foregroundDeletion']);
    await cw.registry.updateWith(configmaps, 'default', 'c', (cur) => ({ ...cur, metadata: { ...cur.metadata, finalizers: [] } }));
    await cw.eventually(async () => (await cw.read(configmaps, 'default', 'a')) === undefined);
    expect(await cw.read(configmaps, 'default', 'b')).toBeUndefined();
  });

  it('collects dependents orphaned while no collector ran, and keeps those with an owner left', async () => {
    w = await controllerWorld({ start: false });
    const cw = w;
    const { owner } = await ownerAndDependent(cw);
    const other = await cw.registry.create(configmaps, 'default', { metadata: { name: 'other' } });
    await cw.registry.create(configmaps, 'default', { metadata: { name: 'shared', ownerReferences: [ownedBy(owner), ownedBy(other)] } });
    await cw.registry.delete(configmaps, 'default', 'owner');
    expect((await cw.read(configmaps, 'default', 'dep'))?.metadata.name).toBe('dep');

    await cw.manager.start();
    await cw.eventually(async () => (await cw.read(configmaps, 'default', 'dep')) === undefined);
    await cw.eventually(async () => (await cw.read(configmaps, 'default', 'shared'))?.metadata.ownerReferences?.length === 1);
    const shared = await cw.read(configmaps, 'default', 'shared');
    expect(shared?.metadata.ownerReferences?.map((r) => r.name)).toEqual(['other']);
  });

  it('treats an owner replaced by a new object of the same name as gone', async () => {
    w = await controllerWorld();
    const cw = w;
    await ownerAndDependent(cw);
    await cw.manager.stop();
    await cw.registry.delete(configmaps, 'default', 'owner');
    await cw.registry.create(configmaps, 'default', { metadata: { name: 'owner' } });
    // A new manager over the same store: listing everything, it converges without having seen the delete.
    const again = cw.newManager();
    await again.start();
    try {
      await cw.eventually(async () => (await cw.read(configmaps, 'default', 'dep')) === undefined);
      expect((await cw.read(configmaps, 'default', 'owner'))?.metadata.name).toBe('owner');
    } finally {
      await again.stop();
    }
  });
});

describe('DeleteOptions', () => {
  it('reads the legacy orphanDependents field and refuses it beside propagationPolicy', () => {
    expect(parseDeleteOptions({ orphanDependents: true })).toEqual({ propagationPolicy: 'Orphan' });
    expect(parseDeleteOptions({ orphanDependents: false })).toEqual({ propagationPolicy: 'Background' });
    expect(() => parseDeleteOptions({ orphanDependents: true, propagationPolicy: 'Foreground' })).toThrow(/cannot be both set/);
  });
});

describe('withPropagationFinalizers', () => {
  it('sets, switches and keeps the garbage collector finalizer as the policy says', () => {
    expect(withPropagationFinalizers(['a'], 'Orphan')).toEqual(['a', 'orphan']);
    expect(withPropagationFinalizers(['orphan', 'a'], 'Foreground')).toEqual(['a', 'foregroundDeletion']);
    expect(withPropagationFinalizers(['foregroundDeletion', 'a'], undefined)).toEqual(['foregroundDeletion', 'a']);
    expect(withPropagationFinalizers(['foregroundDeletion', 'a'], 'Background')).toEqual(['a']);
    expect(withPropagationFinalizers([], undefined)).toEqual([]);
  });
});
