import { describe, expect, it } from 'vitest';
import { applyDefaults, prune, readSchema, validateAgainstSchema } from '../../../../src/kubernetes/apiserver/crd/index.js';
import { describe as describeError } from '../../../../src/kubernetes/apiserver/field-errors.js';

const schema = readSchema({
  type: 'object',
  properties: {
    spec: {
      type: 'object',
      required: ['size'],
      properties: {
        size: { type: 'string', enum: ['small', 'large'] },
        replicas: { type: 'integer', minimum: 1, maximum: 5, default: 2 },
        name: { type: 'string', maxLength: 4, pattern: '^[a-z]+$' },
        port: { 'x-kubernetes-int-or-string': true },
        when: { type: 'string', format: 'date-time' },
        tags: { type: 'array', maxItems: 2, items: { type: 'string' } },
        labels: { type: 'object', additionalProperties: { type: 'string' } },
        free: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
        nested: { type: 'object', default: {}, properties: { level: { type: 'integer', default: 3 } } },
      },
    },
  },
});

const messages = (value: unknown): string[] => validateAgainstSchema(schema, value, '').map((e) => `${e.field}: ${describeError(e)}`);

describe('validation against openAPIV3Schema', () => {
  it('accepts a valid object', () => {
    expect(messages({ metadata: { name: 'x' }, spec: { size: 'small', replicas: 3, port: 'http', when: '2026-01-01T00:00:00Z', tags: ['a'], labels: { a: 'b' } } })).toEqual([]);
  });

  it('reports types, required, enum, bounds, pattern, length and format with field paths', () => {
    expect(messages({ spec: { replicas: 'two' } })).toEqual([
      'spec.size: Required value',
      'spec.replicas: Invalid value: "two": spec.replicas in body must be of type integer: "string"',
    ]);
    expect(messages({ spec: { size: 'huge', replicas: 9, name: 'ABCDE', port: 1.5, when: 'yesterday', tags: ['a', 'b', 'c'], labels: { a: 1 } } })).toEqual([
      'spec.size: Unsupported value: "huge": supported values: "small", "large"',
      'spec.replicas: Invalid value: 9: spec.replicas in body should be less than or equal to 5',
      'spec.name: Too long: may not be more than 4 bytes',
      `spec.name: Invalid value: "ABCDE": spec.name in body should match '^[a-z]+$'`,
      'spec.port: Invalid value: 1.5: spec.port in body must be of type integer or string: "number"',
      'spec.when: Invalid value: "yesterday": spec.when in body must be of type date-time: "yesterday"',
      'spec.tags: Invalid value: 3: must have at most 2 items',
      'spec.labels.a: Invalid value: 1: spec.labels.a in body must be of type string: "integer"',
    ]);
  });

  it('reports array items by index', () => {
    expect(messages({ spec: { size: 'small', tags: ['ok', 7] } })).toEqual(['spec.tags[1]: Invalid value: 7: spec.tags[1] in body must be of type string: "integer"']);
  });
});

describe('defaulting and pruning', () => {
  it('fills defaults where absent, recursing into defaulted objects', () => {
    const obj: Record<string, unknown> = { spec: { size: 'small' } };
    applyDefaults(schema, obj);
    expect(obj.spec).toEqual({ size: 'small', replicas: 2, nested: { level: 3 } });
  });

  it('keeps a value that is set', () => {
    const obj: Record<string, unknown> = { spec: { size: 'small', replicas: 4 } };
    applyDefaults(schema, obj);
    expect((obj.spec as Record<string, unknown>).replicas).toBe(4);
  });

  it('prunes unknown fields but keeps type metadata, map values and preserved subtrees', () => {
    const obj: Record<string, unknown> = {
      apiVersion: 'x/v1',
      kind: 'X',
      metadata: { name: 'a' },
      extra: true,
      spec: { size: 'small', bogus: 1, labels: { any: 'thing' }, free: { deep: { kept: 1 } } },
    };
    expect(prune(schema, obj)).toEqual(['extra', 'spec.bogus']);
    expect(obj).toEqual({ apiVersion: 'x/v1', kind: 'X', metadata: { name: 'a' }, spec: { size: 'small', labels: { any: 'thing' }, free: { deep: { kept: 1 } } } });
  });
});
