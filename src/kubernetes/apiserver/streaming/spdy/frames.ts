/**
 * SPDY/3.1 frames on the wire (SPDY/3 §2.2, §2.6, and 3.1's session-level WINDOW_UPDATE).
 * Every frame has an 8-byte header: a control frame starts with the control bit, the
 * version (3) and its type, a data frame with a 31-bit stream id; both then carry 8 bits
 * of flags and a 24-bit length. Header blocks are carried here as opaque (compressed)
 * bytes: `header-block.ts` packs and compresses them, because the zlib context spans the
 * whole session and so cannot live in a pure codec.
 */

export const spdyVersion = 3;

export const ControlType = {
  synStream: 1,
  synReply: 2,
  rstStream: 3,
  settings: 4,
  ping: 6,
  goAway: 7,
  headers: 8,
  windowUpdate: 9,
} as const;

/** FLAG_FIN on DATA, SYN_STREAM, SYN_REPLY and HEADERS; FLAG_UNIDIRECTIONAL on SYN_STREAM. */
export const FrameFlag = { fin: 0x01, unidirectional: 0x02 } as const;

/** RST_STREAM status codes (SPDY/3 §2.6.3). */
export const RstStatus = {
  protocolError: 1,
  invalidStream: 2,
  refusedStream: 3,
  unsupportedVersion: 4,
  cancel: 5,
  internalError: 6,
  flowControlError: 7,
  streamInUse: 8,
  streamAlreadyClosed: 9,
  frameTooLarge: 11,
} as const;

/** GOAWAY status codes. */
export const GoAwayStatus = { ok: 0, protocolError: 1, internalError: 2 } as const;

/** SETTINGS ids kos reads (the rest are advisory and ignored). */
export const SettingId = { initialWindowSize: 7 } as const;

/** The largest payload a 24-bit length can describe. */
export const maxFramePayload = 0xffffff;

export interface SettingEntry {
  flags: number;
  id: number;
  value: number;
}

export type Frame =
  | { type: 'data'; streamId: number; flags: number; data: Buffer }
  | { type: 'synStream'; streamId: number; associatedStreamId: number; priority: number; slot: number; flags: number; headerBlock: Buffer }
  | { type: 'synReply'; streamId: number; flags: number; headerBlock: Buffer }
  | { type: 'rstStream'; streamId: number; status: number }
  | { type: 'settings'; flags: number; entries: SettingEntry[] }
  | { type: 'ping'; id: number }
  | { type: 'goAway'; lastGoodStreamId: number; status: number }
  | { type: 'headers'; streamId: number; flags: number; headerBlock: Buffer }
  | { type: 'windowUpdate'; streamId: number; delta: number }
  /** A control frame type SPDY/3 does not define: receivers must ignore it. */
  | { type: 'unknown'; controlType: number; flags: number; payload: Buffer };

/** A frame that breaks the protocol; the session answers with GOAWAY or RST_STREAM. */
export class SpdyProtocolError extends Error {
  constructor(message: string, readonly streamId?: number) {
    super(message);
    this.name = 'SpdyProtocolError';
  }
}

const id31 = (n: number): number => n & 0x7fffffff;

function u32(...values: number[]): Buffer {
  const b = Buffer.alloc(4 * values.length);
  values.forEach((v, i) => b.writeUInt32BE(v >>> 0, 4 * i));
  return b;
}

function control(type: number, flags: number, payload: Buffer): Buffer {
  if (payload.length > maxFramePayload) throw new RangeError(`SPDY frame payload of ${payload.length} bytes is too large`);
  const head = Buffer.alloc(8);
  head.writeUInt16BE(0x8000 | spdyVersion, 0);
  head.writeUInt16BE(type, 2);
  head.writeUInt32BE(((flags & 0xff) << 24 | payload.length) >>> 0, 4);
  return Buffer.concat([head, payload]);
}

/** The bytes of one frame. */
export function encodeFrame(frame: Frame): Buffer {
  switch (frame.type) {
    case 'data': {
      if (frame.data.length > maxFramePayload) throw new RangeError(`SPDY frame payload of ${frame.data.length} bytes is too large`);
      const head = u32(id31(frame.streamId), ((frame.flags & 0xff) << 24 | frame.data.length) >>> 0);
      return Buffer.concat([head, frame.data]);
    }
    case 'synStream': {
      const prio = Buffer.from([(frame.priority & 0x7) << 5, frame.slot & 0xff]);
      return control(ControlType.synStream, frame.flags, Buffer.concat([u32(id31(frame.streamId), id31(frame.associatedStreamId)), prio, frame.headerBlock]));
    }
    case 'synReply':
      return control(ControlType.synReply, frame.flags, Buffer.concat([u32(id31(frame.streamId)), frame.headerBlock]));
    case 'rstStream':
      return control(ControlType.rstStream, 0, u32(id31(frame.streamId), frame.status));
    case 'settings': {
      const entries = frame.entries.map((e) => u32(((e.flags & 0xff) << 24 | (e.id & 0xffffff)) >>> 0, e.value));
      return control(ControlType.settings, frame.flags, Buffer.concat([u32(frame.entries.length), ...entries]));
    }
    case 'ping':
      return control(ControlType.ping, 0, u32(frame.id));
    case 'goAway':
      return control(ControlType.goAway, 0, u32(id31(frame.lastGoodStreamId), frame.status));
    case 'headers':
      return control(ControlType.headers, frame.flags, Buffer.concat([u32(id31(frame.streamId)), frame.headerBlock]));
    case 'windowUpdate':
      return control(ControlType.windowUpdate, 0, u32(id31(frame.streamId), id31(frame.delta)));
    case 'unknown':
      return control(frame.controlType, frame.flags, frame.payload);
  }
}

function need(payload: Buffer, bytes: number, what: string): void {
  if (payload.length < bytes) throw new SpdyProtocolError(`${what} frame of ${payload.length} bytes is too short (needs ${bytes})`);
}

function decodeControl(type: number, flags: number, p: Buffer): Frame {
  switch (type) {
    case ControlType.synStream:
      need(p, 10, 'SYN_STREAM');
      return {
        type: 'synStream',
        streamId: id31(p.readUInt32BE(0)),
        associatedStreamId: id31(p.readUInt32BE(4)),
        priority: (p[8] ?? 0) >> 5,
        slot: p[9] ?? 0,
        flags,
        headerBlock: p.subarray(10),
      };
    case ControlType.synReply:
      need(p, 4, 'SYN_REPLY');
      return { type: 'synReply', streamId: id31(p.readUInt32BE(0)), flags, headerBlock: p.subarray(4) };
    case ControlType.rstStream:
      need(p, 8, 'RST_STREAM');
      return { type: 'rstStream', streamId: id31(p.readUInt32BE(0)), status: p.readUInt32BE(4) };
    case ControlType.settings: {
      need(p, 4, 'SETTINGS');
      const count = p.readUInt32BE(0);
      if (p.length !== 4 + 8 * count) throw new SpdyProtocolError(`SETTINGS frame of ${p.length} bytes does not hold ${count} entries`);
      const entries: SettingEntry[] = [];
      for (let i = 0; i < count; i++) {
        const word = p.readUInt32BE(4 + 8 * i);
        entries.push({ flags: word >>> 24, id: word & 0xffffff, value: p.readUInt32BE(8 + 8 * i) });
      }
      return { type: 'settings', flags, entries };
    }
    case ControlType.ping:
      need(p, 4, 'PING');
      return { type: 'ping', id: p.readUInt32BE(0) };
    case ControlType.goAway:
      need(p, 4, 'GOAWAY');
      // SPDY/2 peers omit the status; read it only when present.
      return { type: 'goAway', lastGoodStreamId: id31(p.readUInt32BE(0)), status: p.length >= 8 ? p.readUInt32BE(4) : GoAwayStatus.ok };
    case ControlType.headers:
      need(p, 4, 'HEADERS');
      return { type: 'headers', streamId: id31(p.readUInt32BE(0)), flags, headerBlock: p.subarray(4) };
    case ControlType.windowUpdate:
      need(p, 8, 'WINDOW_UPDATE');
      return { type: 'windowUpdate', streamId: id31(p.readUInt32BE(0)), delta: id31(p.readUInt32BE(4)) };
    default:
      return { type: 'unknown', controlType: type, flags, payload: p };
  }
}

/**
 * Splits a byte stream into frames. Transports hand over arbitrary chunks (a TLS record,
 * a WebSocket message), so bytes are kept until a whole frame has arrived.
 */
export class FrameReader {
  private pending: Buffer = Buffer.alloc(0);

  /** Add bytes; returns the frames now complete, in order. */
  push(chunk: Buffer): Frame[] {
    this.pending = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
    const frames: Frame[] = [];
    while (this.pending.length >= 8) {
      const length = this.pending.readUInt32BE(4) & 0xffffff;
      if (this.pending.length < 8 + length) break;
      const first = this.pending.readUInt32BE(0);
      const flags = this.pending[4] ?? 0;
      const payload = Buffer.from(this.pending.subarray(8, 8 + length));
      this.pending = this.pending.subarray(8 + length);
      if ((first & 0x80000000) === 0) {
        frames.push({ type: 'data', streamId: first, flags, data: payload });
        continue;
      }
      const version = (first >>> 16) & 0x7fff;
      if (version !== spdyVersion) throw new SpdyProtocolError(`unsupported SPDY version ${version}`);
      frames.push(decodeControl(first & 0xffff, flags, payload));
    }
    return frames;
  }

  /** Bytes received that do not yet make a whole frame. */
  get buffered(): number {
    return this.pending.length;
  }
}
