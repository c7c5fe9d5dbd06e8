import { describe, expect, it } from 'vitest';
import { isKosError } from '../../../../src/core/errors.js';
import type { KosError } from '../../../../src/core/errors.js';
import {
  GENERIC_INVALID_MESSAGE,
  applyJsonPatchBody,
  formatPointer,
  parsePointer,
  statusHintOf,
} from '../../../../src/kubernetes/apimachinery/index.js';

function kosErrorOf(fn: () => unknown): KosError {
  try {
    fn();
  } catch (e) {
    if (isKosError(e)) return e;
    throw e;
  }
  throw new Error('expected an error');
}

const deployment = () => ({
  metadata: { name: 'web', labels: { app: 'web' }, annotations: { 'example.com/a~b': 'x' } },
  spec: { replicas: 1, template: { spec: { containers: [{ name: 'app', image: 'nginx:1' }] } } },
});

describe('JSON pointer', () => {
  it('decodes ~1 before ~0 and round-trips', () => {
    expect(parsePointer('/a~1b/c~0d/~01')).toEqual(['a/b', 'c~d', '~1']);
    expect(formatPointer(['a/b', 'c~d', '~1'])).toBe('/a~1b/c~0d/~01');
    expect(parsePointer('')).toEqual([]);
    expect(parsePointer('/')).toEqual(['']);
  });
});

describe('JSON patch (RFC 6902)', () => {
  it.each([
    [
      'replace a scalar',
      [{ op: 'replace', path: '/spec/replicas', value: 3 }],
      (d: ReturnType<typeof deployment>) => ({ ...d, spec: { ...d.spec, replicas: 3 } }),
    ],
    [
      'add to an object with an escaped key',
      [{ op: 'add', path: '/metadata/labels/app.kubernetes.io~1name', value: 'web' }],
      (d: ReturnType<typeof deployment>) => ({
        ...d,
        metadata: { ...d.metadata, labels: { app: 'web', 'app.kubernetes.io/name': 'web' } },
      }),
    ],
    [
      'remove a key containing ~',
      [{ op: 'remove', path: '/metadata/annotations/example.com~1a~0b' }],
      (d: ReturnType<typeof deployment>) => ({ ...d, metadata: { ...d.metadata, annotations: {} } }),
    ],
    [
      'append with -',
      [{ op: 'add', path: '/spec/template/spec/containers/-', value: { name: 'side', image: 'busybox' } }],
      (d: ReturnType<typeof deployment>) => {
        d.spec.template.spec.containers.push({ name: 'side', image: 'busybox' });
        return d;
      },
    ],
    [
      'insert at an index',
      [{ op: 'add', path: '/spec/template/spec/containers/0', value: { name: 'first', image: 'a' } }],
      (d: ReturnType<typeof deployment>) => {
        d.spec.template.spec.containers.unshift({ name: 'first', image: 'a' });
        return d;
      },
    ],
    [
      'test then replace',
      [
        { op: 'test', path: '/spec/template/spec/containers/0/image', value: 'nginx:1' },
        { op: 'replace', path: '/spec/template/spec/containers/0/image', value: 'nginx:2' },
      ],
      (d: ReturnType<typeof deployment>) => {
        d.spec.template.spec.containers[0]!.image = 'nginx:2';
        return d;
      },
    ],
    [
      'move and copy',
      [
        { op: 'copy', from: '/metadata/labels', path: '/spec/selector' },
        { op: 'move', from: '/metadata/annotations', path: '/metadata/notes' },
      ],
      (d: ReturnType<typeof deployment>) => {
        const { annotations, ...meta } = d.metadata;
        return { metadata: { ...meta, notes: annotations }, spec: { ...d.spec, selector: { app: 'web' } } };
      },
    ],
    [
      'remove the last item with a negative index',
      [{ op: 'remove', path: '/spec/template/spec/containers/-1' }],
      (d: ReturnType<typeof deployment>) => {
        d.spec.template.spec.containers.pop();
        return d;
      },
    ],
  ])('%s', (_name, ops, expected) => {
    const doc = deployment();
    expect(applyJsonPatchBody(doc, ops)).toEqual(expected(deployment()));
    expect(doc).toEqual(deployment());
  });

  it('adds __proto__ as an ordinary member', () => {
    const out = applyJsonPatchBody({}, [{ op: 'add', path: '/__proto__', value: { polluted: true } }]) as Record<string, unknown>;
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect(Object.keys(out)).toEqual(['__proto__']);
  });

  it('copies are independent of their source', () => {
    const out = applyJsonPatchBody({ a: { b: 1 } }, [
      { op: 'copy', from: '/a', path: '/c' },
      { op: 'replace', path: '/c/b', value: 2 },
    ]);
    expect(out).toEqual({ a: { b: 1 }, c: { b: 2 } });
  });

  it('a failed test is 422 Invalid with the server message, and nothing is applied', () => {
    const err = kosErrorOf(() =>
      applyJsonPatchBody(deployment(), [
        { op: 'replace', path: '/spec/replicas', value: 9 },
        { op: 'test', path: '/metadata/name', value: 'other' },
      ]),
    );
    expect(err.message).toBe(GENERIC_INVALID_MESSAGE);
    expect(statusHintOf(err)).toEqual({ code: 422, reason: 'Invalid' });
    expect(err.details?.['detail']).toBe('testing value /metadata/name failed: test failed');
  });

  it.each([
    [[{ op: 'remove', path: '/metadata/missing' }], 'Unable to remove nonexistent key: missing: missing value'],
    [[{ op: 'replace', path: '/nope', value: 1 }], 'replace operation does not apply: doc is missing key: /nope: missing value'],
    [[{ op: 'add', path: '/a/b/c', value: 1 }], 'add operation does not apply: doc is missing path: "/a/b/c"'],
    [[{ op: 'add', path: '/spec/template/spec/containers/5', value: 1 }], 'Unable to access invalid index: 5'],
    [[{ op: 'add', path: '/spec/template/spec/containers/x', value: 1 }], "value was not a proper array index: 'x'"],
    [[{ op: 'frobnicate', path: '/a' }], 'Unexpected kind: frobnicate'],
    [[{ op: 'add', value: 1 }], 'add operation missing path field'],
    [[{ op: 'add', path: 'spec', value: 1 }], 'JSON pointer must start with \'/\': "spec"'],
    [[{ op: 'test', path: '/spec/replicas', value: '1' }], 'testing value /spec/replicas failed: test failed'],
  ])('%j does not apply (422: %s)', (ops, detail) => {
    const err = kosErrorOf(() => applyJsonPatchBody(deployment(), ops));
    expect(statusHintOf(err)?.code).toBe(422);
    expect(err.details?.['detail']).toBe(detail);
  });

  it('tests deep values structurally and a missing member only against null', () => {
    expect(applyJsonPatchBody({ a: { x: [1, { y: 2 }] } }, [{ op: 'test', path: '/a', value: { x: [1, { y: 2 }] } }])).toEqual({
      a: { x: [1, { y: 2 }] },
    });
    expect(applyJsonPatchBody({ a: 1 }, [{ op: 'test', path: '/b', value: null }])).toEqual({ a: 1 });
  });

  it('refuses bodies that are not a list of operations with 400, and too many with 413', () => {
    const notList = kosErrorOf(() => applyJsonPatchBody({}, { op: 'add' }));
    expect([notList.status, notList.message]).toEqual([400, 'json: cannot unmarshal object into Go value of type jsonpatch.Patch']);
    const notOp = kosErrorOf(() => applyJsonPatchBody({}, ['add']));
    expect([notOp.status, notOp.message]).toEqual([400, 'json: cannot unmarshal string into Go value of type jsonpatch.Operation']);
    const many = Array.from({ length: 10001 }, () => ({ op: 'test', path: '', value: {} }));
    const tooMany = kosErrorOf(() => applyJsonPatchBody({}, many));
    expect([tooMany.status, tooMany.message]).toEqual([413, 'The allowed maximum operations in a JSON patch is 10000, got 10001']);
  });
});
