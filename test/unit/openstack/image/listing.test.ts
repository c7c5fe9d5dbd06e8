import { describe, expect, it } from 'vitest';
import { paginate, parseSort, sortBy } from '../../../../src/openstack/image/listing.js';
import { parsePatch } from '../../../../src/openstack/image/json-patch.js';
import { qcow2Header, virtualSize } from '../../../../src/openstack/image/virtual-size.js';

const sortable = new Set(['name', 'size', 'created_at', 'id']);
const items = [
  { id: 'a', name: 'x', size: 3, created_at: '2026-01-01' },
  { id: 'b', name: 'y', size: 1, created_at: '2026-01-03' },
  { id: 'c', name: 'x', size: 2, created_at: '2026-01-02' },
];
const get = (o: (typeof items)[number], key: string) => (o as Record<string, string | number>)[key];

describe('image listing', () => {
  it('sorts newest first by default, and by sort=a:asc,b:desc or sort_key/sort_dir', () => {
    expect(sortBy(items, parseSort({}, sortable), get).map((o) => o.id)).toEqual(['b', 'c', 'a']);
    expect(sortBy(items, parseSort({ sort: 'name:asc,size:desc' }, sortable), get).map((o) => o.id)).toEqual(['a', 'c', 'b']);
    expect(sortBy(items, parseSort({ sort_key: 'size', sort_dir: 'desc' }, sortable), get).map((o) => o.size)).toEqual([3, 2, 1]);
  });

  it('refuses unknown sort keys and directions with 400s', () => {
    expect(() => parseSort({ sort: 'bogus:asc' }, sortable)).toThrow(/Unsupported sort_key/);
    expect(() => parseSort({ sort_key: 'size', sort_dir: 'sideways' }, sortable)).toThrow(/Unsupported sort_dir/);
    expect(() => parseSort({ sort: 'size', sort_key: 'name' }, sortable)).toThrow(/cannot be used together/);
  });

  it('pages with a marker and gives the next marker only while more remain', () => {
    const sorted = sortBy(items, [{ key: 'id', dir: 'asc' }], get);
    const first = paginate(sorted, '2', undefined);
    expect(first.items.map((o) => o.id)).toEqual(['a', 'b']);
    expect(first.nextMarker).toBe('b');
    const second = paginate(sorted, '2', 'b');
    expect(second.items.map((o) => o.id)).toEqual(['c']);
    expect(second.nextMarker).toBeUndefined();
    expect(() => paginate(sorted, '2', 'zzz')).toThrow(/marker zzz could not be found/);
    expect(() => paginate(sorted, 'ten', undefined)).toThrow(/limit/);
  });
});

describe('image JSON patch', () => {
  it('reads both the v2.1 and the v2.0 forms', () => {
    expect(parsePatch([{ op: 'replace', path: '/name', value: 'n' }])).toEqual([{ op: 'replace', attribute: 'name', value: 'n' }]);
    expect(parsePatch([{ add: '/tags/-', value: 't' }])).toEqual([{ op: 'add', attribute: 'tags', index: '-', value: 't' }]);
    expect(parsePatch([{ op: 'remove', path: '/a~1b' }])).toEqual([{ op: 'remove', attribute: 'a/b' }]);
  });

  it('refuses what Glance refuses', () => {
    expect(() => parsePatch({})).toThrow(/JSON array/);
    expect(() => parsePatch([{ op: 'move', path: '/name' }])).toThrow(/Invalid operation/);
    expect(() => parsePatch([{ op: 'add', path: 'name', value: 1 }])).toThrow(/Json path/);
    expect(() => parsePatch([{ op: 'replace', path: '/name' }])).toThrow(/requires a member named "value"/);
  });
});

describe('virtual size', () => {
  it('reads a qcow2 header and treats raw data as its own size', () => {
    const header = qcow2Header(112n * 1024n * 1024n);
    expect(virtualSize('qcow2', header, 4096)).toBe(117440512);
    expect(virtualSize('raw', Buffer.alloc(0), 4096)).toBe(4096);
    expect(virtualSize('qcow2', Buffer.from('not qcow2 at all, just bytes....'), 32)).toBeNull();
    expect(virtualSize('vmdk', header, 4096)).toBeNull();
  });
});
