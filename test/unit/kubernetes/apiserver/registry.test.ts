import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { configmaps } from '../../../../src/kubernetes/apiserver/resources/configmaps.js';
import { deployments } from '../../../../src/kubernetes/apiserver/resources/deployments.js';
import { pods } from '../../../../src/kubernetes/apiserver/resources/pods.js';
import { secrets } from '../../../../src/kubernetes/apiserver/resources/secrets.js';
import { namespaces } from '../../../../src/kubernetes/apiserver/resources/index.js';
import { bindPod } from '../../../../src/kubernetes/apiserver/resources/pod-subresources.js';
import { Registry } from '../../../../src/kubernetes/apiserver/registry.js';
import { statusOf, world, type World } from './world.js';

let w: World;
beforeEach(async () => {
  w = await world();
});
afterEach(async () => {
  await w.close();
});

const cm = (name: string, data: Record<string, string> = {}, extra: Record<string, unknown> = {}) => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, ...extra },
  data,
});

describe('create', () => {
  it('fills the system fields from the store and the clock', async () => {
    const created = await w.registry.create(configmaps, 'default', cm('a', { k: 'v' }));
    expect(created.metadata).toMatchObject({ name: 'a', namespace: 'default', creationTimestamp: '2026-01-01T00:00:00Z' });
    expect(created.metadata.uid).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-/);
    expect(created.metadata.resourceVersion).toBe(String(await w.store.currentRevision()));
    expect(created.metadata.generation).toBeUndefined();
    const stored = await w.store.get('/kubernetes/test/core/configmaps/default/a');
    expect(JSON.parse(new TextDecoder().decode(stored!.value)).metadata.resourceVersion).toBeUndefined();
  });

  it('generates a name from generateName', async () => {
    const created = await w.registry.create(configmaps, 'default', { metadata: { generateName: 'job-' } });
    expect(created.metadata.name).toMatch(/^job-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
  });

  it('answers a duplicate with 409 AlreadyExists', async () => {
    await w.registry.create(configmaps, 'default', cm('a'));
    expect(await statusOf(w.registry.create(configmaps, 'default', cm('a')))).toMatchObject({
      code: 409,
      reason: 'AlreadyExists',
      message: 'configmaps "a" already exists',
      details: { name: 'a', kind: 'configmaps' },
    });
  });

  it('refuses a missing namespace with 404 namespaces "x" not found', async () => {
    expect(await statusOf(w.registry.create(configmaps, 'nowhere', cm('a')))).toMatchObject({
      code: 404,
      reason: 'NotFound',
      message: 'namespaces "nowhere" not found',
    });
  });

  it('answers invalid names and keys with 422 and field paths', async () => {
    const status = await statusOf(w.registry.create(configmaps, 'default', cm('Bad_Name', { 'no spaces': 'x' })));
    expect(status.code).toBe(422);
    expect(status.reason).toBe('Invalid');
    expect(status.message).toMatch(/^ConfigMap "Bad_Name" is invalid: \[metadata\.name: Invalid value: "Bad_Name": a lowercase RFC 1123 subdomain/);
    expect(status.details?.causes?.map((c) => [c.field, c.reason])).toEqual([
      ['metadata.name', 'FieldValueInvalid'],
      ['data[no spaces]', 'FieldValueInvalid'],
    ]);
  });

  it('writes nothing on dryRun', async () => {
    const before = await w.store.currentRevision();
    const obj = await w.registry.create(configmaps, 'default', cm('dry'), { dryRun: true });
    expect(obj.metadata.name).toBe('dry');
    expect(await w.store.currentRevision()).toBe(before);
  });
});

describe('update', () => {
  it('answers a stale resourceVersion with 409 Conflict and keeps the newer write', async () => {
    const v1 = await w.registry.create(configmaps, 'default', cm('a', { n: '1' }));
    await w.registry.update(configmaps, 'default', 'a', { ...v1, data: { n: '2' } });
    const status = await statusOf(w.registry.update(configmaps, 'default', 'a', { ...v1, data: { n: '3' } }));
    expect(status).toMatchObject({
      code: 409,
      reason: 'Conflict',
      message: 'Operation cannot be fulfilled on configmaps "a": the object has been modified; please apply your changes to the latest version and try again',
    });
    expect((await w.registry.get(configmaps, 'default', 'a')).data).toEqual({ n: '2' });
  });

  it('keeps uid and creationTimestamp, and does not write an unchanged object', async () => {
    const v1 = await w.registry.create(configmaps, 'default', cm('a', { n: '1' }));
    const same = await w.registry.update(configmaps, 'default', 'a', { metadata: { name: 'a', uid: 'forged' }, data: { n: '1' } });
    expect(same.metadata.resourceVersion).toBe(v1.metadata.resourceVersion);
    expect(same.metadata.uid).toBe(v1.metadata.uid);
  });

  it('bumps generation on spec changes only', async () => {
    const body = {
      metadata: { name: 'web' },
      spec: { selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } } },
    };
    const d1 = await w.registry.create(deployments, 'default', body);
    expect(d1.metadata.generation).toBe(1);
    expect(d1.spec).toMatchObject({ replicas: 1, revisionHistoryLimit: 10, progressDeadlineSeconds: 600, strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } } });
    const labelled = await w.registry.updateWith(deployments, 'default', 'web', (cur) => ({ ...cur, metadata: { ...cur.metadata, labels: { x: 'y' } } }));
    expect(labelled.metadata.generation).toBe(1);
    const scaled = await w.registry.updateWith(deployments, 'default', 'web', (cur) => ({ ...cur, spec: { ...(cur.spec as object), replicas: 4 } }));
    expect(scaled.metadata.generation).toBe(2);
  });

  it('ignores status written through the main resource', async () => {
    await w.registry.create(pods, 'default', { metadata: { name: 'p' }, spec: { containers: [{ name: 'c', image: 'busybox' }] } });
    const updated = await w.registry.updateWith(pods, 'default', 'p', (cur) => ({ ...cur, status: { phase: 'Running' } }));
    expect((updated.status as { phase: string }).phase).toBe('Pending');
    const viaStatus = await w.registry.updateWith(pods, 'default', 'p', (cur) => ({ ...cur, status: { phase: 'Running' } }), { subresource: 'status' });
    expect((viaStatus.status as { phase: string }).phase).toBe('Running');
  });
});

describe('delete', () => {
  it('marks an object with finalizers and removes it when they are cleared', async () => {
    await w.registry.create(configmaps, 'default', cm('held', {}, { finalizers: ['example.com/hold'] }));
    await w.clock.advance(5_000);
    const marked = await w.registry.delete(configmaps, 'default', 'held');
    expect(marked.deleted).toBe(false);
    expect(marked.object.metadata.deletionTimestamp).toBe('2026-01-01T00:00:05Z');
    expect((await w.registry.get(configmaps, 'default', 'held')).metadata.deletionTimestamp).toBe('2026-01-01T00:00:05Z');
    await w.registry.updateWith(configmaps, 'default', 'held', (cur) => ({ ...cur, metadata: { ...cur.metadata, finalizers: [] } }));
    expect((await statusOf(w.registry.get(configmaps, 'default', 'held'))).code).toBe(404);
  });

  it('checks preconditions', async () => {
    await w.registry.create(configmaps, 'default', cm('a'));
    const status = await statusOf(w.registry.delete(configmaps, 'default', 'a', { preconditions: { uid: 'other' } }));
    expect(status.code).toBe(409);
    expect(status.message).toMatch(/^Operation cannot be fulfilled on configmaps "a": Precondition failed: UID in precondition: other, UID in object meta: /);
  });

  it('rejects an unknown propagationPolicy with 422', async () => {
    await w.registry.create(configmaps, 'default', cm('a'));
    const status = await statusOf(w.registry.delete(configmaps, 'default', 'a', { propagationPolicy: 'Sideways' }));
    expect(status).toMatchObject({ code: 422, reason: 'Invalid' });
    expect(status.details?.causes?.[0]?.field).toBe('propagationPolicy');
  });
});

describe('graceful pod deletion', () => {
  const pod = (name: string, nodeName?: string) => ({
    metadata: { name },
    spec: { containers: [{ name: 'c', image: 'nginx' }], ...(nodeName ? { nodeName } : {}) },
  });

  it('deletes an unscheduled pod at once', async () => {
    await w.registry.create(pods, 'default', pod('p'));
    expect((await w.registry.delete(pods, 'default', 'p')).deleted).toBe(true);
  });

  it('leaves a bound pod terminating for its grace period until deleted with 0', async () => {
    await w.registry.create(pods, 'default', { ...pod('p', 'n1'), spec: { ...pod('p', 'n1').spec, terminationGracePeriodSeconds: 20 } });
    const marked = await w.registry.delete(pods, 'default', 'p');
    expect(marked.deleted).toBe(false);
    expect(marked.object.metadata).toMatchObject({ deletionTimestamp: '2026-01-01T00:00:20Z', deletionGracePeriodSeconds: 20 });
    // A status write by the kubelet does not delete it.
    const updated = await w.registry.updateWith(pods, 'default', 'p', (cur) => ({ ...cur, status: { phase: 'Running' } }), { subresource: 'status' });
    expect(updated.metadata.deletionGracePeriodSeconds).toBe(20);
    // A second DELETE may shorten the period, never lengthen it.
    expect((await w.registry.delete(pods, 'default', 'p', { gracePeriodSeconds: 60 })).object.metadata.deletionGracePeriodSeconds).toBe(20);
    const shortened = await w.registry.delete(pods, 'default', 'p', { gracePeriodSeconds: 5 });
    expect(shortened.object.metadata).toMatchObject({ deletionTimestamp: '2026-01-01T00:00:05Z', deletionGracePeriodSeconds: 5 });
    expect((await w.registry.delete(pods, 'default', 'p', { gracePeriodSeconds: 0 })).deleted).toBe(true);
    expect((await statusOf(w.registry.get(pods, 'default', 'p'))).reason).toBe('NotFound');
  });

  it('deletes a finished pod at once', async () => {
    await w.registry.create(pods, 'default', pod('p', 'n1'));
    await w.registry.updateWith(pods, 'default', 'p', (cur) => ({ ...cur, status: { phase: 'Succeeded' } }), { subresource: 'status' });
    expect((await w.registry.delete(pods, 'default', 'p')).deleted).toBe(true);
  });
});

describe('defaulting', () => {
  it('defaults pods as the real server does', async () => {
    const pod = await w.registry.create(pods, 'default', {
      metadata: { name: 'p' },
      spec: { containers: [{ name: 'a', image: 'nginx', ports: [{ containerPort: 80 }] }, { name: 'b', image: 'redis:7' }] },
    });
    expect(pod.spec).toMatchObject({
      restartPolicy: 'Always',
      dnsPolicy: 'ClusterFirst',
      terminationGracePeriodSeconds: 30,
      schedulerName: 'default-scheduler',
      securityContext: {},
      enableServiceLinks: true,
      priority: 0,
      serviceAccountName: 'default',
    });
    const [a, b] = (pod.spec as { containers: Record<string, unknown>[] }).containers;
    expect(a).toMatchObject({ imagePullPolicy: 'Always', terminationMessagePath: '/dev/termination-log', terminationMessagePolicy: 'File', ports: [{ containerPort: 80, protocol: 'TCP' }] });
    expect(b).toMatchObject({ imagePullPolicy: 'IfNotPresent' });
    expect(pod.status).toEqual({ phase: 'Pending', qosClass: 'BestEffort' });
  });

  it('folds secret stringData into base64 data and refuses bad base64 with 400', async () => {
    const s = await w.registry.create(secrets, 'default', { metadata: { name: 's' }, stringData: { user: 'admin' } });
    expect(s).toMatchObject({ type: 'Opaque', data: { user: 'YWRtaW4=' } });
    expect(s.stringData).toBeUndefined();
    expect((await statusOf(w.registry.create(secrets, 'default', { metadata: { name: 't' }, data: { k: 'not base64!' } }))).code).toBe(400);
  });

  it('labels namespaces with their name and makes them Active', async () => {
    const ns = await w.registry.create(namespaces, undefined, { metadata: { name: 'team' } });
    expect(ns.metadata.labels).toEqual({ 'kubernetes.io/metadata.name': 'team' });
    expect(ns.status).toEqual({ phase: 'Active' });
    expect(ns.spec).toEqual({ finalizers: ['kubernetes'] });
  });
});

describe('decodeShared', () => {
  const key = '/kubernetes/test/core/configmaps/default/shared';
  const copyOf = <T extends { value: Uint8Array }>(kv: T): T => ({ ...kv, value: new Uint8Array(kv.value) });

  it('parses a key at a revision once, however many copies of its bytes arrive', async () => {
    await w.registry.create(configmaps, 'default', cm('shared', { k: 'v1' }));
    const kv = (await w.store.get(key))!;
    const first = w.registry.decodeShared(kv);
    // A store on another thread hands each reader its own copy of the bytes.
    expect(w.registry.decodeShared(copyOf(kv))).toBe(first);
    // …even after many other keys were decoded since.
    for (let i = 0; i < 50; i++) {
      await w.registry.create(configmaps, 'default', cm(`other-${i}`));
      w.registry.decodeShared((await w.store.get(`/kubernetes/test/core/configmaps/default/other-${i}`))!);
    }
    expect(w.registry.decodeShared(copyOf(kv))).toBe(first);
  });

  it('parses a newer revision of the key afresh', async () => {
    await w.registry.create(configmaps, 'default', cm('shared', { k: 'v1' }));
    const before = w.registry.decodeShared((await w.store.get(key))!);
    await w.registry.updateWith(configmaps, 'default', 'shared', (cur) => ({ ...cur, data: { k: 'v2' } }));
    const after = w.registry.decodeShared(copyOf((await w.store.get(key))!));
    expect(after).not.toBe(before);
    expect(after.data).toEqual({ k: 'v2' });
    expect(before.data).toEqual({ k: 'v1' });
  });

  it('shares with the decode of the version before every member a newer revision left as it was', async () => {
    // Written by another registry (another thread), so each version is parsed here.
    const other = new Registry({ store: w.store, clock: w.clock, cluster: 'test', namespaces });
    await other.create(configmaps, 'default', cm('shared', { k: 'v1' }, { labels: { app: 'a' }, annotations: { note: 'n' } }));
    const v1 = (await w.store.get(key))!;
    const before = w.registry.decodeShared(v1);
    await other.updateWith(configmaps, 'default', 'shared', (cur) => ({ ...cur, data: { k: 'v2' }, metadata: { ...cur.metadata, annotations: { note: 'changed' } } }));
    const v2 = (await w.store.get(key))!;
    const after = w.registry.decodeShared(v2);
    expect(after.metadata.labels).toBe(before.metadata.labels);
    expect(after.metadata.annotations).toEqual({ note: 'changed' });
    expect(before.metadata.annotations).toEqual({ note: 'n' });
    expect(after.data).toEqual({ k: 'v2' });
    expect(before.data).toEqual({ k: 'v1' });
    // The metadata itself is each version's own: it carries the version's resourceVersion.
    expect(after.metadata).not.toBe(before.metadata);
    expect([before.metadata.resourceVersion, after.metadata.resourceVersion]).toEqual([String(v1.modRevision), String(v2.modRevision)]);
    await other.updateWith(configmaps, 'default', 'shared', (cur) => ({ ...cur, metadata: { ...cur.metadata, labels: { app: 'b' } } }));
    const third = w.registry.decodeShared((await w.store.get(key))!);
    expect(third.data).toBe(after.data);
    expect(third.metadata.labels).toEqual({ app: 'b' });
  });
});

describe('namespace lister', () => {
  const listed = (name: string, terminating = false) => ({
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: { name, ...(terminating ? { deletionTimestamp: '2026-01-01T00:00:00Z' } : {}) },
  });

  it('decides a create from the lister when it has the namespace, and from the store when not', async () => {
    const asked: string[] = [];
    w.registry.namespaceLister = (name) => {
      asked.push(name);
      if (name === 'only-listed') return listed(name);
      if (name === 'default') return listed(name, true);
      return undefined;
    };
    // Listed: no store read, so a namespace the store lacks is taken as the lister has it.
    await w.registry.create(configmaps, 'only-listed', cm('a'));
    // Listed as terminating: refused, though the store has it active.
    expect((await statusOf(w.registry.create(configmaps, 'default', cm('b')))).message).toBe(
      'configmaps "b" is forbidden: unable to create new content in namespace default because it is being terminated',
    );
    // Not listed: the store says it does not exist.
    expect((await statusOf(w.registry.create(configmaps, 'nowhere', cm('c')))).code).toBe(404);
    expect(asked).toEqual(['only-listed', 'default', 'nowhere']);
    w.registry.namespaceLister = undefined;
    await w.registry.create(configmaps, 'default', cm('b'));
  });
});

describe('own writes', () => {
  const key = '/kubernetes/test/core/configmaps/default/own';
  const copyOf = <T extends { value: Uint8Array }>(kv: T): T => ({ ...kv, value: new Uint8Array(kv.value) });

  it('are the decode of their own events: created and updated objects are not parsed back', async () => {
    const created = await w.registry.create(configmaps, 'default', cm('own', { k: 'v1' }));
    expect(w.registry.decodeShared(copyOf((await w.store.get(key))!))).toBe(created);
    const updated = await w.registry.updateWith(configmaps, 'default', 'own', (cur) => ({ ...cur, data: { k: 'v2' } }));
    const decoded = w.registry.decodeShared(copyOf((await w.store.get(key))!));
    expect(decoded).toBe(updated);
    expect(decoded.metadata.resourceVersion).toBe(updated.metadata.resourceVersion);
  });

  it('are found by their bytes when the event comes before the write has answered', async () => {
    const watch = w.store.watch(key, { afterRevision: await w.store.currentRevision() });
    const creating = w.registry.create(configmaps, 'default', cm('own', { k: 'v1' }));
    const next = await watch[Symbol.asyncIterator]().next();
    const event = (next.value as { kv: { key: string; modRevision: number; value: Uint8Array } }[])[0]!;
    const decoded = w.registry.decodeShared(copyOf(event.kv as Parameters<Registry['decodeShared']>[0]));
    expect(decoded).toBe(await creating);
    watch.close();
  });

  it('share with the version before what a copy-on-write status or binding write left unchanged', async () => {
    const body = { metadata: { name: 'cow', labels: { a: '1' } }, spec: { containers: [{ name: 'c', image: 'busybox' }] } };
    const created = await w.registry.create(pods, 'default', body);
    const running = await w.registry.updateWith(pods, 'default', 'cow', (cur) => ({ ...cur, status: { phase: 'Running' } }), { subresource: 'status', copyOnWrite: true });
    expect(running.spec).toBe(created.spec);
    expect(running.metadata.labels).toBe(created.metadata.labels);
    expect(running.metadata).not.toBe(created.metadata);
    expect(created.metadata.resourceVersion).not.toBe(running.metadata.resourceVersion);
    await bindPod(w.registry, 'default', 'cow', { target: { kind: 'Node', name: 'n1' } }, false);
    const bound = w.registry.decodeShared((await w.store.get('/kubernetes/test/core/pods/default/cow'))!);
    expect((bound.spec as { nodeName?: string }).nodeName).toBe('n1');
    expect((bound.spec as { containers: unknown }).containers).toBe((created.spec as { containers: unknown }).containers);
    // Without copyOnWrite the writer's function gets, and the write keeps, a copy.
    const copied = await w.registry.updateWith(pods, 'default', 'cow', (cur) => ({ ...cur, status: { phase: 'Succeeded' } }), { subresource: 'status' });
    expect(copied.spec).not.toBe(bound.spec);
    expect(copied.spec).toEqual(bound.spec);
  });

  it('of another registry (another thread) are parsed', async () => {
    const other = new Registry({ store: w.store, clock: w.clock, cluster: 'test', namespaces });
    const theirs = await other.create(configmaps, 'default', cm('own', { k: 'v1' }));
    const decoded = w.registry.decodeShared(copyOf((await w.store.get(key))!));
    expect(decoded).not.toBe(theirs);
    expect(decoded).toEqual(theirs);
  });

  it('are frozen by the mutation detector the tests run with, all but their resourceVersion', async () => {
    expect(process.env.KOS_CACHE_MUTATION_DETECTOR).toBe('true');
    const created = await w.registry.create(configmaps, 'default', cm('own', { k: 'v1' }));
    expect(() => {
      (created.data as Record<string, string>).k = 'changed';
    }).toThrow(TypeError);
    expect(() => {
      created.metadata.name = 'renamed';
    }).toThrow(TypeError);
    const parsed = new Registry({ store: w.store, clock: w.clock, cluster: 'test', namespaces }).decodeShared((await w.store.get(key))!);
    expect(() => {
      (parsed.data as Record<string, string>).k = 'changed';
    }).toThrow(TypeError);
    parsed.metadata.resourceVersion = '1';
    expect(parsed.metadata.resourceVersion).toBe('1');
  });
});

describe('subresource writes from the last decoded copy', () => {
  const podKey = '/kubernetes/test/core/pods/default/p';
  const podBody = { metadata: { name: 'p', labels: { a: '1' } }, spec: { containers: [{ name: 'c', image: 'busybox' }] } };
  /** This registry decodes the pod, then a second one (another thread, say) changes it: the first's copy is stale. */
  async function staleCopy(): Promise<{ other: Registry }> {
    await w.registry.create(pods, 'default', podBody);
    w.registry.decodeShared((await w.store.get(podKey))!);
    const other = new Registry({ store: w.store, clock: w.clock, cluster: 'test', namespaces });
    await other.updateWith(pods, 'default', 'p', (cur) => ({ ...cur, metadata: { ...cur.metadata, labels: { a: '2' } } }));
    return { other };
  }
  const labelsOf = async () => JSON.parse(new TextDecoder().decode((await w.store.get(podKey))!.value)).metadata.labels;

  it('loses nothing another writer wrote after the copy', async () => {
    await staleCopy();
    await w.registry.updateWith(pods, 'default', 'p', (cur) => ({ ...cur, status: { phase: 'Running' } }), { subresource: 'status' });
    expect(await labelsOf()).toEqual({ a: '2' });
    await bindPod(w.registry, 'default', 'p', { target: { kind: 'Node', name: 'n1' } }, false);
    const stored = JSON.parse(new TextDecoder().decode((await w.store.get(podKey))!.value));
    expect(stored.metadata.labels).toEqual({ a: '2' });
    expect(stored.spec.nodeName).toBe('n1');
    expect(stored.status.phase).toBe('Running');
  });

  it('checks a precondition against the store, not the stale copy', async () => {
    await staleCopy();
    const current = String((await w.store.get(podKey))!.modRevision);
    const updated = await w.registry.updateWith(
      pods,
      'default',
      'p',
      (cur) => ({ ...cur, metadata: { ...cur.metadata, resourceVersion: current }, status: { phase: 'Running' } }),
      { subresource: 'status' },
    );
    expect(Number(updated.metadata.resourceVersion)).toBeGreaterThan(Number(current));
  });

  it('asks again on the store\'s copy what failed on the stale one (a patch test, say)', async () => {
    await staleCopy();
    const updated = await w.registry.updateWith(
      pods,
      'default',
      'p',
      (cur) => {
        if (cur.metadata.labels?.a !== '2') throw new Error('test failed: a is not 2');
        return { ...cur, status: { phase: 'Running' } };
      },
      { subresource: 'status' },
    );
    expect(updated.status).toMatchObject({ phase: 'Running' });
  });

  it('writes a change the stale copy already shows', async () => {
    await w.registry.create(pods, 'default', podBody);
    await w.registry.updateWith(pods, 'default', 'p', (cur) => ({ ...cur, status: { phase: 'Running' } }), { subresource: 'status' });
    w.registry.decodeShared((await w.store.get(podKey))!);
    const other = new Registry({ store: w.store, clock: w.clock, cluster: 'test', namespaces });
    await other.updateWith(pods, 'default', 'p', (cur) => ({ ...cur, status: { phase: 'Failed' } }), { subresource: 'status' });
    // The copy says Running already; the store says Failed, so Running is written.
    await w.registry.updateWith(pods, 'default', 'p', (cur) => ({ ...cur, status: { phase: 'Running' } }), { subresource: 'status' });
    expect(JSON.parse(new TextDecoder().decode((await w.store.get(podKey))!.value)).status.phase).toBe('Running');
  });
});
