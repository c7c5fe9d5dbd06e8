import { describe, expect, it } from 'vitest';
import { clone } from '../../../../src/kubernetes/apiserver/object.js';
import { sameJson } from '../../../../src/kubernetes/apiserver/registry.js';

/** The definition sameJson replaces: JSON of key-sorted copies. */
const canonical = (x: unknown): unknown => {
  if (Array.isArray(x)) return x.map(canonical);
  if (typeof x === 'object' && x !== null) {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(x).sort()) if ((x as Record<string, unknown>)[k] !== undefined) out[k] = canonical((x as Record<string, unknown>)[k]);
    return out;
  }
  return x;
};
const byJson = (a: unknown, b: unknown): boolean => JSON.stringify(canonical(a)) === JSON.stringify(canonical(b));

describe('sameJson', () => {
  const cases: [unknown, unknown][] = [
    [{ a: 1, b: { c: [1, 2] } }, { b: { c: [1, 2] }, a: 1 }],
    [{ a: 1, b: undefined }, { a: 1 }],
    [{ a: 1 }, { a: 1, b: undefined }],
    [{ a: 1 }, { a: 1, b: null }],
    [[1, undefined], [1, null]],
    [[1, 2], [2, 1]],
    [{ a: [] }, { a: {} }],
    [{ a: '1' }, { a: 1 }],
    [NaN, null],
    [Infinity, NaN],
    [undefined, null],
    [undefined, undefined],
    [null, null],
    [{ a: { b: { c: 'x' } } }, { a: { b: { c: 'y' } } }],
    [{}, { x: undefined }],
    [[], []],
    [[{ a: 1 }], [{ a: 1, b: undefined }]],
    ['s', 's'],
    [0, -0],
    [true, 'true'],
  ];
  it.each(cases)('agrees with comparing key-sorted JSON: %j vs %j', (a, b) => {
    expect(sameJson(a, b)).toBe(byJson(a, b));
    expect(sameJson(b, a)).toBe(byJson(b, a));
  });
});

describe('clone', () => {
  it('copies deeply, keeping key order, undefined members and an own __proto__ key', () => {
    const src = JSON.parse('{"b":1,"a":{"x":[1,{"y":2}]},"__proto__":{"polluted":true}}') as Record<string, unknown>;
    src.u = undefined;
    const copy = clone(src);
    expect(copy).toEqual(src);
    expect(Object.keys(copy)).toEqual(['b', 'a', '__proto__', 'u']);
    expect(Object.getPrototypeOf(copy)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    (copy.a as { x: unknown[] }).x.push(3);
    expect((src.a as { x: unknown[] }).x).toHaveLength(2);
  });

  it('leaves non-JSON objects to structuredClone', () => {
    const d = new Date(5);
    const copy = clone({ d, m: new Map([[1, 2]]) });
    expect(copy.d).not.toBe(d);
    expect(copy.d.getTime()).toBe(5);
    expect(copy.m.get(1)).toBe(2);
  });
});
