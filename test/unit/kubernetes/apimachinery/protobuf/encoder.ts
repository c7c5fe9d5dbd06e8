/**
 * A tiny protobuf encoder for building request bodies in tests. Each helper returns
 * the bytes of one field; `message` concatenates fields.
 */
export function encodeVarint(value: bigint | number): Uint8Array {
  let v = BigInt.asUintN(64, BigInt(value));
  const out: number[] = [];
  do {
    const byte = Number(v & 0x7fn);
    v >>= 7n;
    out.push(v > 0n ? byte | 0x80 : byte);
  } while (v > 0n);
  return Uint8Array.from(out);
}

const tag = (n: number, wireType: number): Uint8Array => encodeVarint((n << 3) | wireType);

export function message(...parts: Uint8Array[]): Uint8Array {
  return Buffer.concat(parts);
}

export const varint = (n: number, value: bigint | number | boolean): Uint8Array =>
  message(tag(n, 0), encodeVarint(typeof value === 'boolean' ? (value ? 1 : 0) : value));

export const bytes = (n: number, value: Uint8Array): Uint8Array =>
  message(tag(n, 2), encodeVarint(value.length), value);

export const str = (n: number, value: string): Uint8Array => bytes(n, Buffer.from(value, 'utf8'));

export const sub = (n: number, ...fields: Uint8Array[]): Uint8Array => bytes(n, message(...fields));

export function fixed32(n: number, value: number): Uint8Array {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(value);
  return message(tag(n, 5), b);
}

export function fixed64(n: number, value: bigint): Uint8Array {
  const b = Buffer.alloc(8);
  b.writeBigUInt64LE(value);
  return message(tag(n, 1), b);
}

/** One map<string, V> entry: key 1, value 2 (`value` is already an encoded field 2). */
export const mapEntry = (n: number, key: string, value: Uint8Array): Uint8Array => sub(n, str(1, key), value);

/** The `k8s\0` + runtime.Unknown envelope around an object's message bytes. */
export function envelope(apiVersion: string, kind: string, raw: Uint8Array, extra: Uint8Array[] = []): Uint8Array {
  return message(Uint8Array.of(0x6b, 0x38, 0x73, 0x00), sub(1, str(1, apiVersion), str(2, kind)), bytes(2, raw), ...extra);
}
