import { describe, expect, it } from 'vitest';
import { ProtobufDecodeError, readFields, WireReader, WireType } from '../../../../../src/kubernetes/apimachinery/protobuf/index.js';
import { bytes, encodeVarint, fixed32, fixed64, message, str, varint } from './encoder.js';

describe('WireReader', () => {
  it('reads varints of every width, up to the full 64 bits', () => {
    for (const v of [0n, 1n, 127n, 128n, 300n, 2n ** 35n, 2n ** 63n + 5n, 2n ** 64n - 1n]) {
      expect(new WireReader(encodeVarint(v)).readVarint()).toBe(v);
    }
    expect(Array.from(encodeVarint(300))).toEqual([0xac, 0x02]);
  });

  it('reads a negative int32 as its 10-byte two\'s complement varint', () => {
    const encoded = encodeVarint(-5);
    expect(encoded.length).toBe(10);
    expect(BigInt.asIntN(64, new WireReader(encoded).readVarint())).toBe(-5n);
  });

  it('yields each field with its number and wire type', () => {
    const fields = readFields(message(varint(1, 150), str(2, 'hi'), fixed32(3, 0xdeadbeef), fixed64(15, 2n ** 60n)));
    expect(fields.map((f) => [f.number, f.data.wireType])).toEqual([
      [1, WireType.Varint], [2, WireType.LengthDelimited], [3, WireType.Fixed32], [15, WireType.Fixed64],
    ]);
    expect(fields[0]?.data.value).toBe(150n);
    expect(Buffer.from(fields[1]?.data.value as Uint8Array).toString()).toBe('hi');
    expect(fields[2]?.data.value).toBe(0xdeadbeef);
    expect(fields[3]?.data.value).toBe(2n ** 60n);
  });

  it('refuses truncated and malformed input with a decode error', () => {
    const cases: Uint8Array[] = [
      Uint8Array.of(0x08), // varint field with no value
      Uint8Array.of(0x08, 0x80, 0x80), // varint that never ends
      Uint8Array.of(0x08, ...new Array<number>(11).fill(0xff)), // varint over 10 bytes
      Uint8Array.of(0x12, 0x05, 0x61), // length 5, one byte present
      Uint8Array.of(0x1d, 0x01, 0x02), // fixed32 cut short
      Uint8Array.of(0x0b), // wire type 3 (start group)
      Uint8Array.of(0x00), // field number 0
      bytes(1, Uint8Array.of(1)).subarray(0, 2),
    ];
    for (const c of cases) expect(() => readFields(c), Buffer.from(c).toString('hex')).toThrow(ProtobufDecodeError);
  });
});
