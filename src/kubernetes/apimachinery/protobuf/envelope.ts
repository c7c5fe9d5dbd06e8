/**
 * The Kubernetes protobuf envelope: the 4 magic bytes `k8s\0`, then a runtime.Unknown
 * message — typeMeta (1: {apiVersion 1, kind 2}), raw (2: the object's own message),
 * contentEncoding (3) and contentType (4).
 */
import { ProtobufDecodeError, UnsupportedProtobufKindError } from './errors.js';
import { readFields, WireType } from './wire-reader.js';
import type { WireField } from './wire-reader.js';

export const PROTOBUF_MAGIC = Uint8Array.of(0x6b, 0x38, 0x73, 0x00);

export interface Envelope {
  readonly apiVersion: string;
  readonly kind: string;
  readonly raw: Uint8Array;
}

const utf8 = new TextDecoder();

function stringField(f: WireField, what: string): string {
  return utf8.decode(bytesField(f, what));
}

function bytesField(f: WireField, what: string): Uint8Array {
  if (f.data.wireType !== WireType.LengthDelimited) throw new ProtobufDecodeError(`${what} is not length-delimited`);
  return f.data.value;
}

export function hasProtobufMagic(body: Uint8Array): boolean {
  return body.length >= PROTOBUF_MAGIC.length && PROTOBUF_MAGIC.every((b, i) => body[i] === b);
}

export function readEnvelope(body: Uint8Array): Envelope {
  if (!hasProtobufMagic(body)) throw new ProtobufDecodeError('missing the k8s\\0 prefix');
  let apiVersion = '';
  let kind = '';
  let raw: Uint8Array = new Uint8Array(0);
  let contentEncoding = '';
  let contentType = '';
  for (const f of readFields(body.subarray(PROTOBUF_MAGIC.length))) {
    if (f.number === 1) {
      for (const t of readFields(bytesField(f, 'typeMeta'))) {
        if (t.number === 1) apiVersion = stringField(t, 'typeMeta.apiVersion');
        else if (t.number === 2) kind = stringField(t, 'typeMeta.kind');
      }
    } else if (f.number === 2) {
      raw = bytesField(f, 'raw');
    } else if (f.number === 3) {
      contentEncoding = stringField(f, 'contentEncoding');
    } else if (f.number === 4) {
      contentType = stringField(f, 'contentType');
    }
  }
  if (kind === '') throw new ProtobufDecodeError('the envelope names no kind');
  // Only plain protobuf inside: a compressed or JSON-in-protobuf payload is refused by name.
  if (contentEncoding !== '') throw new UnsupportedProtobufKindError(`${apiVersion}, Kind=${kind} with contentEncoding ${contentEncoding}`);
  if (contentType !== '' && contentType !== 'application/vnd.kubernetes.protobuf') {
    throw new UnsupportedProtobufKindError(`${apiVersion}, Kind=${kind} with contentType ${contentType}`);
  }
  return { apiVersion, kind, raw };
}
