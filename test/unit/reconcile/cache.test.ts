import { describe, expect, it } from 'vitest';
import { IndexedCache } from '../../../src/core/reconcile/cache.js';

interface Obj {
  ns: string;
  node?: string;
}

const entry = (key: string, object: Obj, rev = 1) => ({ key, object, createRevision: 1, modRevision: rev, version: 1 });

describe('indexed cache', () => {
  it('answers byIndex in key order, keeping it right as keys join, move and leave', () => {
    const cache = new IndexedCache<Obj>();
    let calls = 0;
    cache.addIndex('ns', (o) => {
      calls++;
      return [o.ns];
    });
    for (const k of ['d', 'b', 'a', 'c']) cache.set(entry(k, { ns: 'x' }));
    expect(cache.byIndex('ns', 'x').map((e) => e.key)).toEqual(['a', 'b', 'c', 'd']);
    // Cached between calls, and still right after a change.
    expect(cache.byIndex('ns', 'x').map((e) => e.key)).toEqual(['a', 'b', 'c', 'd']);
    cache.set(entry('aa', { ns: 'x' }));
    expect(cache.byIndex('ns', 'x').map((e) => e.key)).toEqual(['a', 'aa', 'b', 'c', 'd']);
    cache.set(entry('b', { ns: 'y' }, 2));
    expect(cache.byIndex('ns', 'x').map((e) => e.key)).toEqual(['a', 'aa', 'c', 'd']);
    expect(cache.byIndex('ns', 'y').map((e) => e.key)).toEqual(['b']);
    cache.delete('a');
    expect(cache.byIndex('ns', 'x').map((e) => e.key)).toEqual(['aa', 'c', 'd']);
    cache.delete('b');
    expect(cache.byIndex('ns', 'y')).toEqual([]);
    expect(calls).toBe(6);
  });

  it('returns the newest object after an update that keeps its index values', () => {
    const cache = new IndexedCache<Obj>();
    cache.addIndex('node', (o) => (o.node ? [o.node] : []));
    cache.set(entry('p', { ns: 'x', node: 'n1' }));
    expect(cache.byIndex('node', 'n1').map((e) => e.object.ns)).toEqual(['x']);
    cache.set(entry('p', { ns: 'changed', node: 'n1' }, 2));
    expect(cache.byIndex('node', 'n1').map((e) => [e.key, e.object.ns, e.modRevision])).toEqual([['p', 'changed', 2]]);
    cache.set(entry('p', { ns: 'changed' }, 3));
    expect(cache.byIndex('node', 'n1')).toEqual([]);
  });
});
