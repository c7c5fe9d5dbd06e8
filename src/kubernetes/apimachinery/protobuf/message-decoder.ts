/**
 * Turns one protobuf message into the JSON Go's encoder would write for the same struct
 * after the API server's protobuf decoding. The rules, field by field:
 *
 * - a non-pointer scalar always has a value (absent means zero); `omitempty` drops a
 *   zero, so `replicas: 0` survives only where Go has a pointer;
 * - a pointer keeps wire presence: present → written even when zero; absent → dropped
 *   with omitempty, `null` without;
 * - a non-pointer struct is always written (Go ignores omitempty for structs), as its
 *   own zero JSON when absent — `resources: {}`, `creationTimestamp: null`, except
 *   where omitzero drops it;
 * - empty lists and maps decode to Go nil: dropped with omitempty, `null` without;
 * - an inline struct's keys merge into its parent; map keys come out sorted, as Go's.
 */
import type { FieldDescriptor, MessageDescriptor, ValueType } from './descriptor.js';
import { ProtobufDecodeError, UnsupportedProtobufKindError } from './errors.js';
import { isJsonObject } from './json-value.js';
import type { JsonObject, JsonValue } from './json-value.js';
import type { MessageRegistry } from './registry.js';
import { specialTypes } from './special-types.js';
import { readFields, WireReader, WireType } from './wire-reader.js';
import type { WireValue } from './wire-reader.js';

/** Deeper than any built-in type nests; bounds work on hostile input. */
const MAX_DEPTH = 100;
const EMPTY = new Uint8Array(0);
const utf8 = new TextDecoder();

export class MessageDecoder {
  constructor(private readonly registry: MessageRegistry) {}

  /** The JSON of message `name` encoded in `bytes`. */
  decode(name: string, bytes: Uint8Array, depth = 0): JsonValue {
    if (depth > MAX_DEPTH) throw new ProtobufDecodeError('message nesting too deep');
    const special = specialTypes.get(name);
    if (special !== undefined) return special.decode(bytes);
    const descriptor = this.registry.message(name);
    if (descriptor === undefined) throw new UnsupportedProtobufKindError(name);
    return descriptor.kind === 'slice'
      ? this.decodeSlice(descriptor, bytes, depth)
      : this.decodeStruct(descriptor, bytes, depth);
  }

  private decodeSlice(d: MessageDescriptor & { kind: 'slice' }, bytes: Uint8Array, depth: number): JsonValue {
    const items = this.repeatedValues(d.element, occurrencesOf(bytes).get(1) ?? [], d.name, depth);
    // Go's nil slice is `null`; a wrapper with no items decodes to nil.
    return items.length === 0 ? null : items;
  }

  private decodeStruct(d: MessageDescriptor & { kind: 'struct' }, bytes: Uint8Array, depth: number): JsonObject {
    const byNumber = occurrencesOf(bytes);
    const out: JsonObject = {};
    for (const field of d.fields.values()) {
      const where = `${d.name}.${field.inline ? `(inline ${field.number})` : field.jsonName}`;
      const occurrences = byNumber.get(field.number) ?? [];
      const value = this.fieldJson(field, occurrences, where, depth);
      if (value === OMIT) continue;
      if (field.inline) {
        if (!isJsonObject(value)) throw new ProtobufDecodeError(`${where}: inline field is not an object`);
        Object.assign(out, value);
      } else {
        out[field.jsonName] = value;
      }
    }
    return out;
  }

  private fieldJson(field: FieldDescriptor, occ: WireValue[], where: string, depth: number): JsonValue | typeof OMIT {
    if (field.cardinality === 'repeated') {
      const items = this.repeatedValues(field.value, occ, where, depth);
      return items.length > 0 ? items : field.omitEmpty ? OMIT : null;
    }
    if (field.cardinality === 'map') {
      const entries = this.mapValue(field.value, occ, where, depth);
      return entries !== undefined ? entries : field.omitEmpty ? OMIT : null;
    }
    if (occ.length === 0 && (field.pointer || (field.value.kind === 'scalar' && field.value.scalar === 'bytes'))) {
      // A nil pointer, or a nil []byte.
      return field.omitEmpty || field.omitZero ? OMIT : null;
    }
    if (field.value.kind === 'scalar') {
      const last = occ[occ.length - 1];
      const value = last === undefined ? zeroScalar(field.value.scalar) : scalarJson(field.value.scalar, last, where);
      if (!field.pointer && (field.omitEmpty || field.omitZero) && isGoZero(value)) return OMIT;
      return value;
    }
    // Proto merges repeated occurrences of a message field; their bytes concatenate.
    const bytes = occ.length === 0 ? EMPTY : concat(occ.map((o) => lengthDelimited(o, where)));
    const value = this.decode(field.value.message, bytes, depth + 1);
    if (field.pointer) return value;
    // A named slice type (ExtraValue) is a slice to omitempty, unlike a struct.
    if (field.omitEmpty && value === null && this.registry.message(field.value.message)?.kind === 'slice') return OMIT;
    if (field.omitZero && this.isZeroMessage(field.value.message, value, depth)) return OMIT;
    return value;
  }

  private repeatedValues(type: ValueType, occ: WireValue[], where: string, depth: number): JsonValue[] {
    const out: JsonValue[] = [];
    for (const o of occ) {
      if (type.kind === 'message') {
        out.push(this.decode(type.message, lengthDelimited(o, where), depth + 1));
      } else if (o.wireType === WireType.LengthDelimited && isPackable(type.scalar)) {
        // Packed encoding: one length-delimited run of varints.
        const reader = new WireReader(o.value);
        while (!reader.done) out.push(scalarJson(type.scalar, { wireType: WireType.Varint, value: reader.readVarint() }, where));
      } else {
        out.push(scalarJson(type.scalar, o, where));
      }
    }
    return out;
  }

  /** A map<string, T> from its entry messages (key 1, value 2); undefined when empty. */
  private mapValue(type: ValueType, occ: WireValue[], where: string, depth: number): JsonObject | undefined {
    if (occ.length === 0) return undefined;
    const entries = new Map<string, JsonValue>();
    for (const o of occ) {
      const fields = occurrencesOf(lengthDelimited(o, where));
      const keyWire = fields.get(1)?.at(-1);
      const key = keyWire === undefined ? '' : utf8.decode(lengthDelimited(keyWire, `${where} key`));
      const valueWire = fields.get(2) ?? [];
      let value: JsonValue;
      if (type.kind === 'message') {
        const bytes = valueWire.length === 0 ? EMPTY : concat(valueWire.map((v) => lengthDelimited(v, where)));
        value = this.decode(type.message, bytes, depth + 1);
      } else {
        const last = valueWire.at(-1);
        // A missing []byte value is Go's nil slice: `null`.
        value = last !== undefined ? scalarJson(type.scalar, last, where)
          : type.scalar === 'bytes' ? null : zeroScalar(type.scalar);
      }
      entries.set(key, value);
    }
    const out: JsonObject = {};
    for (const key of [...entries.keys()].sort(compareGoStrings)) out[key] = entries.get(key) ?? null;
    return out;
  }

  private isZeroMessage(name: string, value: JsonValue, depth: number): boolean {
    const special = specialTypes.get(name);
    const zero = special !== undefined ? special.zero : this.decode(name, EMPTY, depth + 1);
    return JSON.stringify(value) === JSON.stringify(zero);
  }
}

const OMIT: unique symbol = Symbol('omit');

/** Wire occurrences grouped by field number, unknown numbers included (callers skip them). */
function occurrencesOf(bytes: Uint8Array): Map<number, WireValue[]> {
  const out = new Map<number, WireValue[]>();
  for (const f of readFields(bytes)) {
    const list = out.get(f.number);
    if (list === undefined) out.set(f.number, [f.data]);
    else list.push(f.data);
  }
  return out;
}

function lengthDelimited(o: WireValue, where: string): Uint8Array {
  if (o.wireType !== WireType.LengthDelimited) {
    throw new ProtobufDecodeError(`${where}: expected a length-delimited field, got wire type ${o.wireType}`);
  }
  return o.value;
}

function concat(parts: Uint8Array[]): Uint8Array {
  if (parts.length === 1) return parts[0] ?? EMPTY;
  return Buffer.concat(parts);
}

const isPackable = (s: string): boolean => s === 'int32' || s === 'int64' || s === 'bool';

function zeroScalar(s: string): JsonValue {
  return s === 'string' ? '' : s === 'bool' ? false : s === 'bytes' ? null : 0;
}

function isGoZero(v: JsonValue): boolean {
  return v === '' || v === 0 || v === false || v === null;
}

function scalarJson(s: string, o: WireValue, where: string): JsonValue {
  if (s === 'string' || s === 'bytes') {
    const bytes = lengthDelimited(o, where);
    return s === 'string' ? utf8.decode(bytes) : Buffer.from(bytes).toString('base64');
  }
  if (o.wireType !== WireType.Varint) {
    throw new ProtobufDecodeError(`${where}: expected a varint, got wire type ${o.wireType}`);
  }
  if (s === 'bool') return o.value !== 0n;
  return Number(s === 'int32' ? BigInt.asIntN(32, o.value) : BigInt.asIntN(64, o.value));
}

/**
 * Go writes map keys sorted by their UTF-8 bytes. (A JS object still lists integer-like
 * keys first; key order carries no meaning in JSON, so that difference is harmless.)
 */
function compareGoStrings(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a), Buffer.from(b));
}
