import { describe, expect, it } from 'vitest';
import { ProtobufDecodeError } from '../../../../../src/kubernetes/apimachinery/protobuf/index.js';
import { formatGoDuration, specialTypes } from '../../../../../src/kubernetes/apimachinery/protobuf/special-types.js';
import { bytes, message, str, varint } from './encoder.js';

function decode(name: string, body: Uint8Array): unknown {
  const t = specialTypes.get(name);
  if (t === undefined) throw new Error(`no special type ${name}`);
  return t.decode(body);
}

describe('special types', () => {
  it('writes metav1.Time as whole-second RFC 3339 in UTC, and the empty message as null', () => {
    expect(decode('meta.v1.Time', message(varint(1, 1_700_000_000), varint(2, 999_000_000)))).toBe('2023-11-14T22:13:20Z');
    expect(decode('meta.v1.Time', new Uint8Array(0))).toBeNull();
    // seconds 0 on the wire is the Unix epoch, not the zero time
    expect(decode('meta.v1.Time', varint(1, 0))).toBe('1970-01-01T00:00:00Z');
    expect(decode('meta.v1.Time', varint(1, -86_400))).toBe('1969-12-31T00:00:00Z');
    expect(() => decode('meta.v1.Time', varint(1, 2n ** 40n))).toThrow(ProtobufDecodeError);
  });

  it('writes metav1.MicroTime with six fractional digits, truncating nanoseconds', () => {
    expect(decode('meta.v1.MicroTime', message(varint(1, 1_700_000_000), varint(2, 123_456_789))))
      .toBe('2023-11-14T22:13:20.123456Z');
    expect(decode('meta.v1.MicroTime', varint(1, 1))).toBe('1970-01-01T00:00:01.000000Z');
  });

  it('formats durations like Go', () => {
    expect(formatGoDuration(0n)).toBe('0s');
    expect(formatGoDuration(999n)).toBe('999ns');
    expect(formatGoDuration(1_500n)).toBe('1.5µs');
    expect(formatGoDuration(2_000_000n)).toBe('2ms');
    expect(formatGoDuration(90_000_000_000n)).toBe('1m30s');
    expect(formatGoDuration(3_600_000_000_000n)).toBe('1h0m0s');
    expect(formatGoDuration(3_723_500_000_000n)).toBe('1h2m3.5s');
    expect(formatGoDuration(-1_000_000_000n)).toBe('-1s');
    expect(decode('meta.v1.Duration', varint(1, 300_000_000_000))).toBe('5m0s');
  });

  it('passes Quantity strings through and writes the zero Quantity as "0"', () => {
    expect(decode('resource.Quantity', str(1, '1500m'))).toBe('1500m');
    expect(decode('resource.Quantity', new Uint8Array(0))).toBe('0');
  });

  it('writes IntOrString as a number or a string by its type', () => {
    expect(decode('intstr.IntOrString', message(varint(1, 0), varint(2, 8080)))).toBe(8080);
    expect(decode('intstr.IntOrString', message(varint(1, 1), str(3, 'http')))).toBe('http');
    expect(decode('intstr.IntOrString', message(varint(1, 0), varint(2, -1)))).toBe(-1);
    expect(decode('intstr.IntOrString', new Uint8Array(0))).toBe(0);
    expect(() => decode('intstr.IntOrString', varint(1, 2))).toThrow(/impossible type 2/);
  });

  it('parses the JSON carried by RawExtension and FieldsV1', () => {
    expect(decode('runtime.RawExtension', str(1, '{"a":[1,true]}'))).toEqual({ a: [1, true] });
    expect(decode('meta.v1.FieldsV1', str(1, '{"f:data":{}}'))).toEqual({ 'f:data': {} });
    expect(decode('runtime.RawExtension', new Uint8Array(0))).toBeNull();
    expect(() => decode('runtime.RawExtension', bytes(1, Uint8Array.of(0x6b, 0x38, 0x73, 0)))).toThrow(/not JSON/);
  });
});
