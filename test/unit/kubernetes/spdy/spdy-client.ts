/**
 * A minimal SPDY/3.1 client for tests, built on kos's own frame codec and header
 * compression: it opens streams (odd ids), collects what the server sends per stream, and
 * exposes every frame it received so tests can assert on the wire.
 */
import type { Duplex } from 'node:stream';
import { encodeFrame, FrameFlag, FrameReader, type Frame } from '../../../../src/kubernetes/apiserver/streaming/spdy/frames.js';
import { HeaderCompressor, HeaderDecompressor } from '../../../../src/kubernetes/apiserver/streaming/spdy/header-block.js';

export interface ClientStream {
  id: number;
  /** Resolves with the SYN_REPLY's headers, or rejects on RST_STREAM. */
  reply: Promise<Map<string, string>>;
  data: Buffer[];
  /** Resolves with everything received once the server half-closes the stream. */
  ended: Promise<string>;
  send(bytes: string | Buffer, fin?: boolean): Promise<void>;
}

/** Wait until `cond` holds (polling), failing after `ms`: asynchronous zlib makes fixed sleeps flaky. */
export async function until(cond: () => boolean, ms = 5000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 5));
  }
}

export class SpdyTestClient {
  readonly frames: Frame[] = [];
  private readonly reader = new FrameReader();
  private readonly compressor = new HeaderCompressor();
  private readonly decompressor = new HeaderDecompressor();
  private readonly streams = new Map<number, { stream: ClientStream; onReply: (h: Map<string, string>) => void; onReset: (e: Error) => void; onEnd: () => void }>();
  private nextId = 1;
  private queue: Promise<void> = Promise.resolve();
  readonly closed: Promise<void>;

  constructor(private readonly transport: Duplex) {
    this.closed = new Promise((resolve) => transport.once('close', () => resolve()));
    transport.on('data', (chunk: Buffer) => {
      for (const frame of this.reader.push(chunk)) this.queue = this.queue.then(() => this.handle(frame));
    });
    transport.on('end', () => transport.end());
  }

  async open(headers: Record<string, string>, flags = 0): Promise<ClientStream> {
    const id = this.nextId;
    this.nextId += 2;
    let onReply: (h: Map<string, string>) => void = () => undefined;
    let onReset: (e: Error) => void = () => undefined;
    let onEnd: () => void = () => undefined;
    const reply = new Promise<Map<string, string>>((resolve, reject) => {
      onReply = resolve;
      onReset = reject;
    });
    reply.catch(() => undefined);
    const data: Buffer[] = [];
    const ended = new Promise<string>((resolve) => {
      onEnd = () => resolve(Buffer.concat(data).toString());
    });
    const stream: ClientStream = {
      id,
      reply,
      data,
      ended,
      send: (bytes, fin = false) => this.write({ type: 'data', streamId: id, flags: fin ? FrameFlag.fin : 0, data: Buffer.from(bytes) }),
    };
    this.streams.set(id, { stream, onReply, onReset, onEnd });
    const headerBlock = await this.compressor.compress(Object.entries(headers));
    await this.write({ type: 'synStream', streamId: id, associatedStreamId: 0, priority: 0, slot: 0, flags, headerBlock });
    return stream;
  }

  write(frame: Frame): Promise<void> {
    return new Promise((resolve) => this.transport.write(encodeFrame(frame), () => resolve()));
  }

  private nextPing = 1001;

  /** A PING round trip: every frame sent before it has been handled by the server. */
  async barrier(): Promise<void> {
    const id = this.nextPing;
    this.nextPing += 2;
    await this.write({ type: 'ping', id });
    await until(() => this.frames.some((f) => f.type === 'ping' && f.id === id));
  }

  close(): void {
    this.transport.end();
  }

  private async handle(frame: Frame): Promise<void> {
    this.frames.push(frame);
    if (frame.type === 'synReply') {
      const headers = await this.decompressor.decompress(frame.headerBlock);
      this.streams.get(frame.streamId)?.onReply(headers);
    } else if (frame.type === 'rstStream') {
      const s = this.streams.get(frame.streamId);
      s?.onReset(new Error(`stream ${frame.streamId} reset with status ${frame.status}`));
      s?.onEnd();
    } else if (frame.type === 'data') {
      const s = this.streams.get(frame.streamId);
      if (!s) return;
      if (frame.data.length) s.stream.data.push(frame.data);
      if (frame.flags & FrameFlag.fin) s.onEnd();
    }
  }
}
