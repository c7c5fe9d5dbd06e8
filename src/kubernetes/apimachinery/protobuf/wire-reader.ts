/**
 * A protobuf wire-format reader: just the four wire types Kubernetes messages use
 * (varint, 64-bit, length-delimited, 32-bit). Every read is bounds-checked and throws
 * ProtobufDecodeError, so malformed input can never read past the buffer or loop.
 */
import { ProtobufDecodeError } from './errors.js';

export const WireType = { Varint: 0, Fixed64: 1, LengthDelimited: 2, Fixed32: 5 } as const;
export type WireType = (typeof WireType)[keyof typeof WireType];

/** One field occurrence: numeric values as bigint (int64 needs all 64 bits), bytes as views. */
export type WireValue =
  | { readonly wireType: typeof WireType.Varint; readonly value: bigint }
  | { readonly wireType: typeof WireType.Fixed64; readonly value: bigint }
  | { readonly wireType: typeof WireType.LengthDelimited; readonly value: Uint8Array }
  | { readonly wireType: typeof WireType.Fixed32; readonly value: number };

export interface WireField {
  readonly number: number;
  readonly data: WireValue;
}

const MAX_FIELD_NUMBER = 2 ** 29 - 1;

export class WireReader {
  private pos = 0;

  constructor(private readonly buf: Uint8Array) {}

  get done(): boolean {
    return this.pos >= this.buf.length;
  }

  /** An unsigned varint of up to 64 bits. */
  readVarint(): bigint {
    let result = 0n;
    for (let shift = 0n; shift < 70n; shift += 7n) {
      if (this.pos >= this.buf.length) throw new ProtobufDecodeError('truncated varint');
      const byte = this.buf[this.pos++] ?? 0;
      result |= BigInt(byte & 0x7f) << shift;
      if ((byte & 0x80) === 0) return BigInt.asUintN(64, result);
    }
    throw new ProtobufDecodeError('varint longer than 10 bytes');
  }

  readFixed32(): number {
    const bytes = this.take(4);
    return new DataView(bytes.buffer, bytes.byteOffset, 4).getUint32(0, true);
  }

  readFixed64(): bigint {
    const bytes = this.take(8);
    return new DataView(bytes.buffer, bytes.byteOffset, 8).getBigUint64(0, true);
  }

  readLengthDelimited(): Uint8Array {
    const length = this.readVarint();
    if (length > BigInt(this.buf.length - this.pos)) {
      throw new ProtobufDecodeError('length-delimited field runs past the end of its message');
    }
    return this.take(Number(length));
  }

  /** The next field, or undefined at the end of the buffer. Groups are rejected. */
  next(): WireField | undefined {
    if (this.done) return undefined;
    const key = this.readVarint();
    const number = Number(key >> 3n);
    const wireType = Number(key & 7n);
    if (number < 1 || number > MAX_FIELD_NUMBER) throw new ProtobufDecodeError(`invalid field number ${number}`);
    switch (wireType) {
      case WireType.Varint:
        return { number, data: { wireType, value: this.readVarint() } };
      case WireType.Fixed64:
        return { number, data: { wireType, value: this.readFixed64() } };
      case WireType.LengthDelimited:
        return { number, data: { wireType, value: this.readLengthDelimited() } };
      case WireType.Fixed32:
        return { number, data: { wireType, value: this.readFixed32() } };
      default:
        throw new ProtobufDecodeError(`unsupported wire type ${wireType} for field ${number}`);
    }
  }

  private take(n: number): Uint8Array {
    if (this.pos + n > this.buf.length) throw new ProtobufDecodeError('truncated field');
    const view = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return view;
  }
}

/** All fields of a message, in wire order. */
export function readFields(buf: Uint8Array): WireField[] {
  const reader = new WireReader(buf);
  const fields: WireField[] = [];
  for (let f = reader.next(); f !== undefined; f = reader.next()) fields.push(f);
  return fields;
}
