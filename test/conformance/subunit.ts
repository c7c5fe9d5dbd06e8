// A decoder for subunit v2, the binary stream stestr stores for every run (`stestr last
// --subunit`). Reading the stream itself gives each test's status and its traceback without
// depending on which subunit filters a machine has installed.
//
// A packet: 0xB3, 16-bit flags, a 1-3 byte length (of the whole packet), then the fields
// the flags announce, in this order: timestamp, test id, tags, mime type, file content,
// route code; then a CRC32 of everything before it.
import { crc32 } from 'node:zlib';

export type SubunitStatus = 'exists' | 'inprogress' | 'success' | 'uxsuccess' | 'skip' | 'fail' | 'xfail';

export interface SubunitPacket {
  readonly testId?: string;
  readonly status?: SubunitStatus;
  readonly tags?: readonly string[];
  readonly timestamp?: Date;
  readonly mimeType?: string;
  readonly fileName?: string;
  readonly fileBytes?: Uint8Array;
  readonly routeCode?: string;
  readonly runnable: boolean;
  readonly eof: boolean;
}

export class SubunitError extends Error {
  constructor(message: string, readonly offset: number) {
    super(`subunit: ${message} at byte ${offset}`);
    this.name = 'SubunitError';
  }
}

const SIGNATURE = 0xb3;
const VERSION_MASK = 0xf000;
const VERSION_2 = 0x2000;
const FLAG_TEST_ID = 0x0800;
const FLAG_ROUTE_CODE = 0x0400;
const FLAG_TIMESTAMP = 0x0200;
const FLAG_RUNNABLE = 0x0100;
const FLAG_TAGS = 0x0080;
const FLAG_FILE_CONTENT = 0x0040;
const FLAG_MIME_TYPE = 0x0020;
const FLAG_EOF = 0x0010;
const STATUS_MASK = 0x0007;

const STATUSES: readonly (SubunitStatus | undefined)[] = [
  undefined, 'exists', 'inprogress', 'success', 'uxsuccess', 'skip', 'fail', 'xfail',
];

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Decodes a whole stream. Bytes between packets that are not a packet signature are
 * skipped (a worker's stray output); a damaged packet throws, since what follows it
 * cannot be trusted.
 */
export function decodeSubunit(bytes: Uint8Array): SubunitPacket[] {
  const packets: SubunitPacket[] = [];
  let offset = 0;
  while (offset < bytes.length) {
    if (bytes[offset] !== SIGNATURE) {
      offset += 1;
      continue;
    }
    const { packet, next } = decodePacket(bytes, offset);
    packets.push(packet);
    offset = next;
  }
  return packets;
}

/**
 * The complete packets at the start of a stream cut off mid-packet (tempest stopped by
 * --timeout leaves stestr's unfinished run file so): the cut packet and what follows it
 * are dropped.
 */
export function decodeSubunitPrefix(bytes: Uint8Array): SubunitPacket[] {
  const packets: SubunitPacket[] = [];
  let offset = 0;
  while (offset < bytes.length) {
    if (bytes[offset] !== SIGNATURE) {
      offset += 1;
      continue;
    }
    try {
      const { packet, next } = decodePacket(bytes, offset);
      packets.push(packet);
      offset = next;
    } catch {
      break;
    }
  }
  return packets;
}

function decodePacket(bytes: Uint8Array, start: number): { packet: SubunitPacket; next: number } {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (start + 4 > bytes.length) throw new SubunitError('truncated packet header', start);
  const flags = view.getUint16(start + 1);
  if ((flags & VERSION_MASK) !== VERSION_2) throw new SubunitError(`unsupported version in flags 0x${flags.toString(16)}`, start);
  const reader = new Reader(bytes, start + 3);
  const length = reader.varint();
  if (length > 4_194_303) throw new SubunitError('packet length over 3 bytes', start);
  const end = start + length;
  if (length < 8 || end > bytes.length) throw new SubunitError(`bad packet length ${length}`, start);
  const stored = view.getUint32(end - 4);
  if (crc32(bytes.subarray(start, end - 4)) !== stored) throw new SubunitError('bad checksum', start);
  reader.limit = end - 4;

  const timestamp = flags & FLAG_TIMESTAMP ? reader.timestamp() : undefined;
  const testId = flags & FLAG_TEST_ID ? reader.string() : undefined;
  let tags: string[] | undefined;
  if (flags & FLAG_TAGS) {
    const count = reader.varint();
    tags = [];
    for (let i = 0; i < count; i += 1) tags.push(reader.string());
  }
  const mimeType = flags & FLAG_MIME_TYPE ? reader.string() : undefined;
  let fileName: string | undefined;
  let fileBytes: Uint8Array | undefined;
  if (flags & FLAG_FILE_CONTENT) {
    fileName = reader.string();
    fileBytes = reader.bytes(reader.varint());
  }
  const routeCode = flags & FLAG_ROUTE_CODE ? reader.string() : undefined;
  const status = STATUSES[flags & STATUS_MASK];

  const packet: SubunitPacket = {
    runnable: (flags & FLAG_RUNNABLE) !== 0,
    eof: (flags & FLAG_EOF) !== 0,
    ...(testId !== undefined && { testId }),
    ...(status !== undefined && { status }),
    ...(tags !== undefined && { tags }),
    ...(timestamp !== undefined && { timestamp }),
    ...(mimeType !== undefined && { mimeType }),
    ...(fileName !== undefined && { fileName }),
    ...(fileBytes !== undefined && { fileBytes }),
    ...(routeCode !== undefined && { routeCode }),
  };
  return { packet, next: end };
}

/** Reads the fields of one packet, never past its CRC. */
class Reader {
  limit: number;

  constructor(private readonly data: Uint8Array, private pos: number) {
    this.limit = data.length;
  }

  /** Big-endian, the top two bits of the first byte give the width (1-4 bytes). */
  varint(): number {
    const first = this.byte();
    const width = first >> 6;
    let value = first & 0x3f;
    for (let i = 0; i < width; i += 1) value = value * 256 + this.byte();
    return value;
  }

  string(): string {
    const at = this.pos;
    const raw = this.bytes(this.varint());
    if (raw.includes(0)) throw new SubunitError('NUL in string', at);
    try {
      return utf8.decode(raw);
    } catch {
      throw new SubunitError('string is not UTF-8', at);
    }
  }

  timestamp(): Date {
    const seconds = this.uint32();
    const nanoseconds = this.varint();
    return new Date(seconds * 1000 + Math.floor(nanoseconds / 1e6));
  }

  bytes(length: number): Uint8Array {
    if (this.pos + length > this.limit) throw new SubunitError('field runs past the packet', this.pos);
    const out = this.data.subarray(this.pos, this.pos + length);
    this.pos += length;
    return out;
  }

  private uint32(): number {
    const b = this.bytes(4);
    return ((b[0] ?? 0) * 2 ** 24) + ((b[1] ?? 0) << 16) + ((b[2] ?? 0) << 8) + (b[3] ?? 0);
  }

  private byte(): number {
    const value = this.data[this.pos];
    if (value === undefined || this.pos >= this.limit) throw new SubunitError('field runs past the packet', this.pos);
    this.pos += 1;
    return value;
  }
}
