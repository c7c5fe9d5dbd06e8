/**
 * The messages whose JSON form is not their wire form: each Go type has its own
 * MarshalJSON (times as RFC 3339 strings, Quantity as its string, IntOrString as a number
 * or a string, raw JSON carried as bytes). `zero` is what Go writes for the type's zero
 * value, which matters because a non-pointer struct field is always written.
 */
import { ProtobufDecodeError } from './errors.js';
import type { JsonValue } from './json-value.js';
import { readFields, WireType } from './wire-reader.js';
import type { WireField } from './wire-reader.js';

export interface SpecialType {
  decode(bytes: Uint8Array): JsonValue;
  readonly zero: JsonValue;
}

const utf8 = new TextDecoder();

/** The last occurrence of each field number (proto2 "last one wins" for scalars). */
function lastByNumber(bytes: Uint8Array): Map<number, WireField> {
  const out = new Map<number, WireField>();
  for (const f of readFields(bytes)) out.set(f.number, f);
  return out;
}

function varintOf(fields: Map<number, WireField>, n: number, what: string): bigint {
  const f = fields.get(n);
  if (f === undefined) return 0n;
  if (f.data.wireType !== WireType.Varint) throw new ProtobufDecodeError(`${what}: field ${n} is not a varint`);
  return f.data.value;
}

function bytesOf(fields: Map<number, WireField>, n: number, what: string): Uint8Array | undefined {
  const f = fields.get(n);
  if (f === undefined) return undefined;
  if (f.data.wireType !== WireType.LengthDelimited) {
    throw new ProtobufDecodeError(`${what}: field ${n} is not length-delimited`);
  }
  return f.data.value;
}

// Go's time package formats years 0000–9999 only; MarshalJSON fails outside them.
const MIN_SECONDS = -62_167_219_200n; // 0000-01-01T00:00:00Z
const MAX_SECONDS = 253_402_300_799n; // 9999-12-31T23:59:59Z

/** `YYYY-MM-DDTHH:MM:SS` in UTC, plus `fraction` and `Z`. */
function formatUtc(seconds: bigint, fraction: string, what: string): string {
  if (seconds < MIN_SECONDS || seconds > MAX_SECONDS) throw new ProtobufDecodeError(`${what}: year out of range`);
  const iso = new Date(Number(seconds) * 1000).toISOString(); // "...T..:..:...000Z"
  return `${iso.slice(0, 19)}${fraction}Z`;
}

/** metav1.Time: protobuf keeps whole seconds only, as does its JSON form. */
const time: SpecialType = {
  zero: null,
  decode(bytes) {
    // An empty message is the zero time (Go writes nothing for it), not the Unix epoch.
    if (bytes.length === 0) return null;
    const fields = lastByNumber(bytes);
    varintOf(fields, 2, 'Time'); // nanos: validated, then dropped as the API server does
    return formatUtc(BigInt.asIntN(64, varintOf(fields, 1, 'Time')), '', 'Time');
  },
};

/** metav1.MicroTime: like Time, with the nanoseconds truncated to microseconds. */
const microTime: SpecialType = {
  zero: null,
  decode(bytes) {
    if (bytes.length === 0) return null;
    const fields = lastByNumber(bytes);
    const seconds = BigInt.asIntN(64, varintOf(fields, 1, 'MicroTime'));
    const nanos = BigInt.asIntN(32, varintOf(fields, 2, 'MicroTime'));
    const total = seconds * 1_000_000n + nanos / 1000n; // in microseconds
    const wholeSeconds = total >= 0n ? total / 1_000_000n : -((-total + 999_999n) / 1_000_000n);
    const micros = total - wholeSeconds * 1_000_000n;
    return formatUtc(wholeSeconds, `.${micros.toString().padStart(6, '0')}`, 'MicroTime');
  },
};

/** `value` as a decimal with `places` fractional digits, trailing zeros trimmed. */
function decimal(value: bigint, places: number): string {
  const scale = 10n ** BigInt(places);
  const fraction = (value % scale).toString().padStart(places, '0').replace(/0+$/, '');
  return fraction === '' ? `${value / scale}` : `${value / scale}.${fraction}`;
}

/** Go's time.Duration.String(): `1h2m3.5s`, `1.5ms`, `0s`. */
export function formatGoDuration(nanoseconds: bigint): string {
  if (nanoseconds === 0n) return '0s';
  const sign = nanoseconds < 0n ? '-' : '';
  let u = nanoseconds < 0n ? -nanoseconds : nanoseconds;
  if (u < 1000n) return `${sign}${u}ns`;
  if (u < 1_000_000n) return `${sign}${decimal(u, 3)}µs`;
  if (u < 1_000_000_000n) return `${sign}${decimal(u, 6)}ms`;
  const hours = u / 3_600_000_000_000n;
  u %= 3_600_000_000_000n;
  const minutes = u / 60_000_000_000n;
  u %= 60_000_000_000n;
  const h = hours > 0n ? `${hours}h` : '';
  const m = hours > 0n || minutes > 0n ? `${minutes}m` : '';
  return `${sign}${h}${m}${decimal(u, 9)}s`;
}

const duration: SpecialType = {
  zero: '0s',
  decode(bytes) {
    return formatGoDuration(BigInt.asIntN(64, varintOf(lastByNumber(bytes), 1, 'Duration')));
  },
};

/** resource.Quantity travels as its canonical string; kubectl already canonicalised it. */
const quantity: SpecialType = {
  zero: '0',
  decode(bytes) {
    const raw = bytesOf(lastByNumber(bytes), 1, 'Quantity');
    const text = raw === undefined ? '' : utf8.decode(raw);
    return text === '' ? '0' : text;
  },
};

const intOrString: SpecialType = {
  zero: 0,
  decode(bytes) {
    const fields = lastByNumber(bytes);
    const type = varintOf(fields, 1, 'IntOrString');
    if (type === 0n) return Number(BigInt.asIntN(32, varintOf(fields, 2, 'IntOrString')));
    if (type === 1n) {
      const raw = bytesOf(fields, 3, 'IntOrString');
      return raw === undefined ? '' : utf8.decode(raw);
    }
    throw new ProtobufDecodeError(`IntOrString: impossible type ${type}`);
  },
};

/** RawExtension and FieldsV1 carry JSON bytes; anything else cannot become JSON. */
function rawJson(what: string): SpecialType {
  return {
    zero: null,
    decode(bytes) {
      const raw = bytesOf(lastByNumber(bytes), 1, what);
      if (raw === undefined || raw.length === 0) return null;
      try {
        return JSON.parse(utf8.decode(raw)) as JsonValue;
      } catch {
        throw new ProtobufDecodeError(`${what}: embedded bytes are not JSON`);
      }
    },
  };
}

export const specialTypes: ReadonlyMap<string, SpecialType> = new Map([
  ['meta.v1.Time', time],
  ['meta.v1.MicroTime', microTime],
  ['meta.v1.Duration', duration],
  ['meta.v1.FieldsV1', rawJson('FieldsV1')],
  ['resource.Quantity', quantity],
  ['intstr.IntOrString', intOrString],
  ['runtime.RawExtension', rawJson('RawExtension')],
]);
