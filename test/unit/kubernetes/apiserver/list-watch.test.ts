import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { listObjects } from '../../../../src/kubernetes/apiserver/list.js';
import { configmaps } from '../../../../src/kubernetes/apiserver/resources/configmaps.js';
import { runWatch, type WatchEvent } from '../../../../src/kubernetes/apiserver/watch.js';
import { toTable } from '../../../../src/kubernetes/apiserver/table.js';
import { humanDuration } from '../../../../src/kubernetes/apiserver/time.js';
import { parseRequestInfo } from '../../../../src/kubernetes/apiserver/request-info.js';
import { statusOf, world, type World } from './world.js';

let w: World;
beforeEach(async () => {
  w = await world();
  for (const [name, tier] of [['a', 'web'], ['b', 'db'], ['c', 'web'], ['d', 'web']]) {
    await w.registry.create(configmaps, 'default', { metadata: { name, labels: { tier: tier! } } });
  }
  await w.registry.create(configmaps, 'kube-system', { metadata: { name: 'other' } });
});
afterEach(async () => {
  await w.close();
});

const names = (items: { metadata: { name?: string } }[]): (string | undefined)[] => items.map((i) => i.metadata.name);

describe('list', () => {
  it('pages with limit/continue and counts what remains', async () => {
    const first = await listObjects(w.registry, configmaps, 'default', { limit: 3 });
    expect(first.kind).toBe('ConfigMapList');
    expect(names(first.items)).toEqual(['a', 'b', 'c']);
    expect(first.metadata.remainingItemCount).toBe(1);
    // A write between pages does not change the snapshot.
    await w.registry.create(configmaps, 'default', { metadata: { name: 'e' } });
    const second = await listObjects(w.registry, configmaps, 'default', { limit: 3, continue: first.metadata.continue! });
    expect(names(second.items)).toEqual(['d']);
    expect(second.metadata.continue).toBeUndefined();
    expect(second.metadata.resourceVersion).toBe(first.metadata.resourceVersion);
  });

  it('filters by label selector across pages without skipping matches', async () => {
    const page = await listObjects(w.registry, configmaps, 'default', { labelSelector: 'tier=web', limit: 2 });
    expect(names(page.items)).toEqual(['a', 'c']);
    expect(page.metadata.remainingItemCount).toBeUndefined();
    const rest = await listObjects(w.registry, configmaps, 'default', { labelSelector: 'tier=web', limit: 2, continue: page.metadata.continue! });
    expect(names(rest.items)).toEqual(['d']);
  });

  it('lists all namespaces, and a field selector narrows them', async () => {
    expect((await listObjects(w.registry, configmaps, undefined, {})).items).toHaveLength(5);
    const sys = await listObjects(w.registry, configmaps, undefined, { fieldSelector: 'metadata.namespace=kube-system' });
    expect(names(sys.items)).toEqual(['other']);
  });

  it('reads an exact old resourceVersion, and refuses one from the future', async () => {
    const before = await listObjects(w.registry, configmaps, 'default', {});
    await w.registry.delete(configmaps, 'default', 'a');
    const old = await listObjects(w.registry, configmaps, 'default', { resourceVersion: before.metadata.resourceVersion, resourceVersionMatch: 'Exact' });
    expect(names(old.items)).toEqual(['a', 'b', 'c', 'd']);
    expect((await statusOf(listObjects(w.registry, configmaps, 'default', { resourceVersion: '999999' }))).code).toBe(504);
    expect((await statusOf(listObjects(w.registry, configmaps, 'default', { resourceVersionMatch: 'Exact' }))).code).toBe(400);
  });
});

/** Collect watch events until `count` arrived, then stop the watch. */
async function collect(opts: Parameters<typeof runWatch>[3], count: number, act: () => Promise<void>): Promise<WatchEvent[]> {
  const events: WatchEvent[] = [];
  const stop = new AbortController();
  const done = runWatch(w.registry, configmaps, 'default', opts, (e) => {
    events.push(e);
    if (events.length >= count) stop.abort();
  }, stop.signal);
  await act();
  const timeout = setTimeout(() => stop.abort(), 3_000);
  await done;
  clearTimeout(timeout);
  return events;
}

describe('watch', () => {
  it('starts with a synthetic ADDED per object, then follows changes', async () => {
    const events = await collect({ labelSelector: 'tier=web' }, 6, async () => {
      await w.registry.updateWith(configmaps, 'default', 'a', (c) => ({ ...c, data: { x: '1' } }));
      // c stops matching: DELETED for this watcher; b starts matching: ADDED.
      await w.registry.updateWith(configmaps, 'default', 'c', (c) => ({ ...c, metadata: { ...c.metadata, labels: { tier: 'db' } } }));
      await w.registry.updateWith(configmaps, 'default', 'b', (c) => ({ ...c, metadata: { ...c.metadata, labels: { tier: 'web' } } }));
    });
    expect(events.map((e) => [e.type, (e.object as { metadata: { name: string } }).metadata.name])).toEqual([
      ['ADDED', 'a'],
      ['ADDED', 'c'],
      ['ADDED', 'd'],
      ['MODIFIED', 'a'],
      ['DELETED', 'c'],
      ['ADDED', 'b'],
    ]);
  });

  it('from a resourceVersion delivers every later change, DELETED at its own revision', async () => {
    const start = await w.store.currentRevision();
    const events = await collect({ resourceVersion: String(start) }, 2, async () => {
      await w.registry.create(configmaps, 'default', { metadata: { name: 'new' } });
      await w.registry.delete(configmaps, 'default', 'b');
    });
    expect(events.map((e) => e.type)).toEqual(['ADDED', 'DELETED']);
    const deleted = events[1]!.object as { metadata: { name: string; resourceVersion: string } };
    expect(deleted.metadata.name).toBe('b');
    expect(deleted.metadata.resourceVersion).toBe(String(await w.store.currentRevision()));
  });

  it('answers a compacted resourceVersion with an ERROR event carrying 410 Expired', async () => {
    await w.registry.create(configmaps, 'default', { metadata: { name: 'x' } });
    await w.store.compact(await w.store.currentRevision());
    const events = await collect({ resourceVersion: '2' }, 1, async () => undefined);
    expect(events[0]).toMatchObject({ type: 'ERROR', object: { kind: 'Status', code: 410, reason: 'Expired' } });
    expect((events[0]!.object as { message: string }).message).toMatch(/^too old resource version: 2 \(\d+\)$/);
  });

  it('sends bookmarks when asked, on the cluster clock', async () => {
    const stop = new AbortController();
    const events: WatchEvent[] = [];
    const done = runWatch(w.registry, configmaps, 'default', { resourceVersion: String(await w.store.currentRevision()), allowWatchBookmarks: true }, (e) => void events.push(e), stop.signal);
    await w.clock.advance(60_000);
    stop.abort();
    await done;
    expect(events).toEqual([{ type: 'BOOKMARK', object: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { resourceVersion: String(await w.store.currentRevision()) } } }]);
  });
});

describe('table', () => {
  it('prints NAME, DATA and AGE by the cluster clock', async () => {
    const obj = await w.registry.get(configmaps, 'default', 'a');
    const table = toTable(configmaps, [{ ...obj, data: { k: 'v' } }], { resourceVersion: '1' }, 'Metadata', Date.UTC(2026, 0, 1, 0, 3, 5));
    expect(table.columnDefinitions.map((c) => c.name)).toEqual(['Name', 'Data', 'Age']);
    expect(table.rows[0]!.cells).toEqual(['a', 1, '3m5s']);
    expect(table.rows[0]!.object).toMatchObject({ kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: { name: 'a' } });
  });

  it('writes ages as kubectl does', () => {
    const s = 1000;
    expect([45 * s, 150 * s, 600 * s, 179 * 60 * s, 5 * 3600 * s + 600 * s, 30 * 3600 * s, 3 * 86400 * s + 7200 * s, 100 * 86400 * s, 800 * 86400 * s].map(humanDuration)).toEqual([
      '45s', '2m30s', '10m', '179m', '5h10m', '30h', '3d2h', '100d', '2y70d',
    ]);
  });
});

describe('request info', () => {
  it('reads namespaced, cluster-scoped, subresource and watch paths', () => {
    expect(parseRequestInfo('GET', '/api/v1/namespaces/default/configmaps', {})).toEqual({ kind: 'resource', verb: 'list', group: '', version: 'v1', resource: 'configmaps', namespace: 'default' });
    expect(parseRequestInfo('GET', '/api/v1/namespaces/default', {})).toEqual({ kind: 'resource', verb: 'get', group: '', version: 'v1', resource: 'namespaces', name: 'default' });
    expect(parseRequestInfo('PUT', '/api/v1/namespaces/x/status', {})).toMatchObject({ resource: 'namespaces', name: 'x', subresource: 'status' });
    expect(parseRequestInfo('PATCH', '/apis/apps/v1/namespaces/d/deployments/web/scale', {})).toMatchObject({ verb: 'patch', group: 'apps', resource: 'deployments', namespace: 'd', name: 'web', subresource: 'scale' });
    expect(parseRequestInfo('GET', '/api/v1/watch/namespaces/d/pods', {})).toMatchObject({ verb: 'watch', resource: 'pods', namespace: 'd' });
    expect(parseRequestInfo('GET', '/api/v1/pods', { watch: 'true' })).toMatchObject({ verb: 'watch', resource: 'pods' });
    // Read like Go's ParseBool: the Python client sends `watch=True`.
    expect(parseRequestInfo('GET', '/api/v1/pods', { watch: 'True' })).toMatchObject({ verb: 'watch' });
    expect(parseRequestInfo('GET', '/api/v1/pods', { watch: 'false' })).toMatchObject({ verb: 'list' });
    expect(parseRequestInfo('DELETE', '/api/v1/namespaces/d/configmaps', {})).toMatchObject({ verb: 'deletecollection' });
    expect(parseRequestInfo('GET', '/version', {})).toEqual({ kind: 'nonResource', verb: 'get', path: '/version' });
  });
});
