import { describe, expect, it } from 'vitest';
import { isKosError } from '../../../../src/core/errors.js';
import {
  applyMergePatch,
  applyMergePatchToObject,
  statusHintOf,
} from '../../../../src/kubernetes/apimachinery/index.js';

describe('JSON merge patch (RFC 7386)', () => {
  // The examples of RFC 7386 appendix A, plus the cases kubectl sends.
  it.each([
    [{ a: 'b' }, { a: 'c' }, { a: 'c' }],
    [{ a: 'b' }, { b: 'c' }, { a: 'b', b: 'c' }],
    [{ a: 'b' }, { a: null }, {}],
    [{ a: 'b', b: 'c' }, { a: null }, { b: 'c' }],
    [{ a: ['b'] }, { a: 'c' }, { a: 'c' }],
    [{ a: 'c' }, { a: ['b'] }, { a: ['b'] }],
    [{ a: { b: 'c' } }, { a: { b: 'd', c: null } }, { a: { b: 'd' } }],
    [{ a: [{ b: 'c' }] }, { a: [1] }, { a: [1] }],
    [['a', 'b'], ['c', 'd'], ['c', 'd']],
    [{ a: 'b' }, ['c'], ['c']],
    [{ a: 'foo' }, null, null],
    [{ a: 'foo' }, 'bar', 'bar'],
    [{ e: null }, { a: 1 }, { e: null, a: 1 }],
    [[1, 2], { a: 'b', c: null }, { a: 'b' }],
    [{}, { a: { bb: { ccc: null } } }, { a: { bb: {} } }],
  ])('%j + %j = %j', (target, patch, expected) => {
    expect(applyMergePatch(target, patch)).toEqual(expected);
  });

  it('treats __proto__ as an ordinary member', () => {
    const out = applyMergePatch({}, JSON.parse('{"__proto__": {"polluted": true}}')) as Record<string, unknown>;
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect(Object.keys(out)).toEqual(['__proto__']);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });

  it('does not modify its arguments', () => {
    const target = { spec: { replicas: 1, template: { metadata: { labels: { a: 'b' } } } } };
    const patch = { spec: { template: { metadata: { labels: { a: null, c: 'd' } } } } };
    const before = structuredClone({ target, patch });
    expect(applyMergePatch(target, patch)).toEqual({ spec: { replicas: 1, template: { metadata: { labels: { c: 'd' } } } } });
    expect({ target, patch }).toEqual(before);
  });

  it('answers patches that cannot yield an object as the server does', () => {
    for (const bad of [null, 'x', 3]) {
      try {
        applyMergePatchToObject({ a: 1 }, bad);
        expect.unreachable();
      } catch (e) {
        expect(isKosError(e) && e.status).toBe(400);
        expect(isKosError(e) && e.message).toBe('Invalid JSON Patch');
      }
    }
    try {
      applyMergePatchToObject({ a: 1 }, [1]);
      expect.unreachable();
    } catch (e) {
      expect(isKosError(e) && statusHintOf(e)).toEqual({ code: 422, reason: 'Invalid' });
    }
  });
});
