import { describe, expect, it } from 'vitest';
import { describePath, fieldSetOf, removePath, toFieldsV1, valueAt } from '../../../../src/kubernetes/apiserver/apply/field-set.js';
import { mergeApplied } from '../../../../src/kubernetes/apiserver/apply/merge.js';
import { ignoredPath } from '../../../../src/kubernetes/apiserver/apply/managed-fields.js';
import { schemaShape } from '../../../../src/kubernetes/apiserver/apply/shape.js';

const shape = schemaShape(
  { Port: { type: 'object', properties: { port: { type: 'integer' }, protocol: { type: 'string' }, name: { type: 'string' } } } },
  {
    type: 'object',
    properties: {
      tags: { type: 'array', items: { type: 'string' }, 'x-kubernetes-list-type': 'set' },
      args: { type: 'array', items: { type: 'string' } },
      ports: { type: 'array', items: { $ref: '#/components/schemas/Port' }, 'x-kubernetes-list-type': 'map', 'x-kubernetes-list-map-keys': ['port', 'protocol'] },
    },
  },
);

describe('list semantics', () => {
  const obj = { tags: ['a', 'b'], args: ['x', 'y'], ports: [{ port: 80, protocol: 'TCP', name: 'http' }] };

  it('names set items by value, map items by all their keys, atomic lists as one leaf', () => {
    expect(toFieldsV1(fieldSetOf(obj, shape))).toEqual({
      'f:args': {},
      'f:ports': { 'k:{"port":80,"protocol":"TCP"}': { '.': {}, 'f:name': {}, 'f:port': {}, 'f:protocol': {} } },
      'f:tags': { 'v:"a"': {}, 'v:"b"': {} },
    });
    expect(valueAt(obj, ['f:ports', 'k:{"port":80,"protocol":"TCP"}', 'f:name'], shape)).toBe('http');
    expect(describePath(['f:ports', 'k:{"port":80,"protocol":"TCP"}', 'f:name'])).toBe('.ports[port=80,protocol="TCP"].name');
  });

  it('merges sets by union, map lists by key, replaces atomic lists; removes items by path', () => {
    const merged = mergeApplied(obj, { tags: ['c'], args: ['z'], ports: [{ port: 80, protocol: 'TCP', name: 'web' }, { port: 443, protocol: 'TCP' }] }, shape) as typeof obj;
    expect(merged).toEqual({ tags: ['a', 'b', 'c'], args: ['z'], ports: [{ port: 80, protocol: 'TCP', name: 'web' }, { port: 443, protocol: 'TCP' }] });
    removePath(merged, ['f:tags', 'v:"b"'], shape);
    removePath(merged, ['f:ports', 'k:{"port":443,"protocol":"TCP"}'], shape);
    expect(merged.tags).toEqual(['a', 'c']);
    expect(merged.ports).toHaveLength(1);
  });

  it('owns neither system metadata nor the other half of the object', () => {
    const main = ignoredPath(undefined);
    expect(main(['f:status'])).toBe(true);
    expect(main(['f:metadata', 'f:resourceVersion'])).toBe(true);
    expect(main(['f:metadata', 'f:labels'])).toBe(false);
    const status = ignoredPath('status');
    expect(status(['f:spec'])).toBe(true);
    expect(status(['f:status'])).toBe(false);
  });
});
