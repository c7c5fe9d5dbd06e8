import { describe, expect, it } from 'vitest';
import { isKosError } from '../../../../src/core/errors.js';
import {
  labelSelectorFromObject,
  parseLabelSelector,
  labelKeyErrors,
  labelValueErrors,
} from '../../../../src/kubernetes/apimachinery/index.js';
import type { LabelSelectorSpec } from '../../../../src/kubernetes/apimachinery/index.js';

function errorOf(fn: () => unknown): { status: number; message: string } {
  try {
    fn();
  } catch (e) {
    if (isKosError(e)) return { status: e.status, message: e.message };
    throw e;
  }
  throw new Error('expected an error');
}

describe('label selector string form', () => {
  it.each([
    ['', ''],
    ['a=b', 'a=b'],
    ['a==b', 'a==b'],
    ['a!=b', 'a!=b'],
    ['a in (x, y)', 'a in (x,y)'],
    ['a notin (x)', 'a notin (x)'],
    ['a', 'a'],
    ['!a', '!a'],
    ['  a  =  b ,   c  ', 'a=b,c'],
    ['env in (prod, staging),tier!=db', 'env in (prod,staging),tier!=db'],
    ['x in (foo,,baz),y,z notin ()', 'x in (,baz,foo),y,z notin ()'],
    ['b=1,a=2', 'a=2,b=1'],
    ['a=in', 'a=in'],
    ['a=', 'a='],
    ['replicas>3', 'replicas>3'],
    ['example.com/app=web', 'example.com/app=web'],
  ])('parses %j and prints %j', (input, printed) => {
    expect(parseLabelSelector(input).toString()).toBe(printed);
  });

  it('keeps commas inside in (…) as value separators', () => {
    const selector = parseLabelSelector('env in (a, b),c!=d');
    expect(selector.requirements).toEqual([
      { key: 'c', operator: '!=', values: ['d'] },
      { key: 'env', operator: 'in', values: ['a', 'b'] },
    ]);
  });

  it.each([
    ['env in (a, b),c!=d', { env: 'a' }, true],
    ['env in (a, b),c!=d', { env: 'b', c: 'd' }, false],
    ['env in (a, b),c!=d', { env: 'c' }, false],
    ['env notin (a)', {}, true],
    ['env notin (a)', { env: 'a' }, false],
    ['env', { env: '' }, true],
    ['!env', { env: '' }, false],
    ['!env', { other: 'x' }, true],
    ['a=b', { a: 'b', c: 'd' }, true],
    ['a==b', { a: 'c' }, false],
    ['a!=b', {}, true],
    ['a=', { a: '' }, true],
    ['a=', {}, false],
    ['replicas>3', { replicas: '4' }, true],
    ['replicas>3', { replicas: '3' }, false],
    ['replicas<3', { replicas: 'x' }, false],
    ['', { anything: 'x' }, true],
  ])('%j matches %j: %s', (selector, labels, expected) => {
    expect(parseLabelSelector(selector).matches(labels)).toBe(expected);
  });

  it('does not treat inherited names as labels', () => {
    expect(parseLabelSelector('constructor').matches({})).toBe(false);
  });

  it.each([
    ['a in b', "unable to parse requirement: found 'b' expected: '('"],
    ['a b', "unable to parse requirement: found 'b', expected: in, notin, =, ==, !=, gt, lt"],
    ['a=b c', "found 'c', expected: ',' or 'end of string'"],
    ['a=b,', "found '', expected: identifier after ','"],
    [',a', "found ',', expected: !, identifier, or 'end of string'"],
    ['a in (b', "unable to parse requirement: found '', expected: ',' or ')'"],
    ['a in (b c)', "unable to parse requirement: found 'c', expected: ',' or ')'"],
    ['a in =', "unable to parse requirement: found '=' expected: '('"],
    ['!', "unable to parse requirement: found '', expected: identifier"],
    ['a=(', "unable to parse requirement: found '(', expected: identifier"],
    [
      'a>x',
      'unable to parse requirement: values[0]: Invalid value: "x": for \'Gt\', \'Lt\' operators, the value must be an integer',
    ],
    [
      'a=b$',
      'unable to parse requirement: values[0][a]: Invalid value: "b$": a valid label must be an empty string or consist of ' +
        "alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or " +
        "'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')",
    ],
    [
      'a/b/c=d',
      'unable to parse requirement: <nil>: Invalid value: "a/b/c": a valid label key must consist of alphanumeric characters, ' +
        "'-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', " +
        "regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') with an optional DNS subdomain prefix and '/' " +
        "(e.g. 'example.com/MyName')",
    ],
  ])('rejects %j with 400 %j', (input, message) => {
    expect(errorOf(() => parseLabelSelector(input))).toEqual({ status: 400, message });
  });
});

describe('label selector structured form', () => {
  it('combines matchLabels and matchExpressions', () => {
    const selector = labelSelectorFromObject({
      matchLabels: { app: 'web' },
      matchExpressions: [
        { key: 'tier', operator: 'In', values: ['front', 'edge'] },
        { key: 'canary', operator: 'DoesNotExist' },
        { key: 'zone', operator: 'Exists' },
        { key: 'env', operator: 'NotIn', values: ['dev'] },
      ],
    });
    expect(selector.toString()).toBe('app=web,!canary,env notin (dev),tier in (edge,front),zone');
    expect(selector.matches({ app: 'web', tier: 'edge', zone: 'a' })).toBe(true);
    expect(selector.matches({ app: 'web', tier: 'edge', zone: 'a', canary: 'y' })).toBe(false);
    expect(selector.matches({ app: 'web', tier: 'edge', zone: 'a', env: 'dev' })).toBe(false);
    expect(selector.matches({ app: 'web', tier: 'back', zone: 'a' })).toBe(false);
  });

  it('selects nothing for a missing selector and everything for an empty one', () => {
    expect(labelSelectorFromObject(null).matches({})).toBe(false);
    expect(labelSelectorFromObject(undefined).matches({ a: 'b' })).toBe(false);
    expect(labelSelectorFromObject({}).matches({ a: 'b' })).toBe(true);
    expect(labelSelectorFromObject({ matchLabels: {}, matchExpressions: [] }).isEmpty()).toBe(true);
  });

  it.each<[LabelSelectorSpec, string]>([
    [{ matchExpressions: [{ key: 'a', operator: 'Gt', values: ['1'] }] }, '"Gt" is not a valid label selector operator'],
    [
      { matchExpressions: [{ key: 'a', operator: 'In' }] },
      "values: Invalid value: null: for 'in', 'notin' operators, values set can't be empty",
    ],
    [
      { matchExpressions: [{ key: 'a', operator: 'Exists', values: ['x'] }] },
      'values: Invalid value: ["x"]: values set must be empty for exists and does not exist',
    ],
    [{ matchLabels: { 'b@d': 'x' } }, expect.stringMatching(/^key: Invalid value: "b@d": name part must consist of/) as unknown as string],
  ])('rejects %j', (spec, message) => {
    expect(errorOf(() => labelSelectorFromObject(spec))).toEqual({ status: 400, message });
  });
});

describe('label key and value validation', () => {
  it('accepts qualified names and refuses the rest with the server messages', () => {
    expect(labelKeyErrors('app.kubernetes.io/name')).toEqual([]);
    expect(labelKeyErrors('a'.repeat(63))).toEqual([]);
    expect(labelKeyErrors('a'.repeat(64))).toEqual(['name part must be no more than 63 bytes']);
    expect(labelKeyErrors('/x')).toEqual(['prefix part must be non-empty']);
    expect(labelKeyErrors('Example.com/x')[0]).toMatch(/^prefix part a lowercase RFC 1123 subdomain must consist/);
    expect(labelKeyErrors('')).toHaveLength(2);
    expect(labelValueErrors('')).toEqual([]);
    expect(labelValueErrors('v'.repeat(64))).toEqual(['must be no more than 63 bytes']);
    expect(labelValueErrors('-x')).toHaveLength(1);
  });
});
