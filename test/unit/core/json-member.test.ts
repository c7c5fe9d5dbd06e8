import { describe, expect, it } from 'vitest';
import { topLevelMember } from '../../../src/core/json-member.js';

const bytes = (s: string): Uint8Array => new TextEncoder().encode(s);
const member = (doc: string, name: string): unknown => {
  const b = bytes(doc);
  const span = topLevelMember(b, name);
  return span && JSON.parse(new TextDecoder().decode(b.subarray(span[0], span[1])));
};

describe('topLevelMember', () => {
  it('finds a member wherever it stands among the others', () => {
    const doc = { apiVersion: 'v1', kind: 'Pod', spec: { containers: [{ name: 'a', args: ['{', '}', ']'] }] }, metadata: { name: 'p', labels: { a: 'b' } }, n: -1.5e3, t: true, z: null };
    const text = JSON.stringify(doc);
    expect(member(text, 'metadata')).toEqual(doc.metadata);
    expect(member(text, 'spec')).toEqual(doc.spec);
    expect(member(text, 'n')).toBe(-1500);
    expect(member(text, 't')).toBe(true);
    expect(member(text, 'z')).toBeNull();
  });

  it('is not misled by braces, quotes and escapes inside strings', () => {
    const doc = { a: 'x"}{\\', b: { c: 'he said "metadata":{}', d: ['\\"', '\\\\'] }, metadata: { name: 'm"}' } };
    expect(member(JSON.stringify(doc), 'metadata')).toEqual(doc.metadata);
    expect(member(JSON.stringify(doc), 'b')).toEqual(doc.b);
  });

  it('matches only top-level keys, and accepts whitespace between tokens', () => {
    const text = '{ "spec" : { "metadata" : 1 } ,\n\t"metadata"\r\n: { "name" : "x" } }';
    expect(member(text, 'metadata')).toEqual({ name: 'x' });
    expect(member('{"spec":{"metadata":{"name":"x"}}}', 'metadata')).toBeUndefined();
  });

  it('gives undefined for what is not an object or is cut short', () => {
    expect(topLevelMember(bytes('[1,2]'), 'metadata')).toBeUndefined();
    expect(topLevelMember(bytes('{}'), 'metadata')).toBeUndefined();
    expect(topLevelMember(bytes('{"metadata":{"name":"x"'), 'metadata')).toBeUndefined();
    expect(topLevelMember(bytes('{"kind":"Pod"'), 'metadata')).toBeUndefined();
    expect(topLevelMember(bytes('{"kind" "Pod"}'), 'metadata')).toBeUndefined();
    expect(topLevelMember(bytes('{"metadata":"unterminated'), 'metadata')).toBeUndefined();
  });

  it('works on a view into a larger buffer', () => {
    const whole = bytes('xx{"metadata":{"uid":"u"}}yy');
    const view = whole.subarray(2, whole.length - 2);
    const span = topLevelMember(view, 'metadata')!;
    expect(JSON.parse(new TextDecoder().decode(view.subarray(span[0], span[1])))).toEqual({ uid: 'u' });
  });
});
