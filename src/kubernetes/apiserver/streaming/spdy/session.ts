/**
 * The server side of a SPDY/3.1 connection over any byte transport (the upgraded socket,
 * or the WebSocket tunnel kubectl port-forward opens). Clients open the streams (odd
 * ids); each is offered to `onStream` and, when accepted, answered with an empty
 * SYN_REPLY — Kubernetes clients wait for that reply before they use a stream.
 *
 * Every frame kos sends goes through one queue, so a SYN_REPLY precedes its stream's
 * data and header blocks leave the shared zlib stream in order; the queue waits for the
 * transport to drain, which paces the runtime's output to the client's reading.
 *
 * Flow control: kos acknowledges what its consumers read with WINDOW_UPDATE (per stream
 * and, as SPDY/3.1 adds, for the session). It only holds its own sending to the peer's
 * windows once the peer has sent a WINDOW_UPDATE: Kubernetes clients (moby/spdystream)
 * never send one and never enforce windows, so honouring the 64 KiB initial window
 * towards them would stall every stream after its first 64 KiB.
 */
import type { Duplex } from 'node:stream';
import { encodeFrame, FrameFlag, FrameReader, GoAwayStatus, RstStatus, SettingId, SpdyProtocolError, type Frame } from './frames.js';
import { HeaderCompressor, HeaderDecompressor, type SpdyHeaders } from './header-block.js';
import { SpdyStream, type StreamWire } from './stream.js';

/** SPDY/3's initial per-stream window, and SPDY/3.1's initial session window. */
export const defaultWindow = 64 * 1024;

export interface SpdySessionOptions {
  /** A stream the client opened: true to accept it (a SYN_REPLY follows), false to refuse (RST_STREAM). */
  onStream(stream: SpdyStream): boolean;
  /** Once, when the transport has closed; every stream is gone by then. */
  onClose?(): void;
}

export class SpdySession implements StreamWire {
  private readonly streams = new Map<number, SpdyStream>();
  private readonly reader = new FrameReader();
  private readonly compressor = new HeaderCompressor();
  private readonly decompressor = new HeaderDecompressor();
  private writeQueue: Promise<void> = Promise.resolve();
  private readQueue: Promise<void> = Promise.resolve();
  private lastClientStreamId = 0;
  private initialSendWindow = defaultWindow;
  private sessionUnacked = 0;
  /** kos sent GOAWAY: no new streams, and the transport ends after the queue. */
  private sentGoAway = false;
  /** The peer sent GOAWAY: it opens no more streams. */
  private peerGoneAway = false;
  /** The peer broke the protocol: no frame is read any more. */
  private broken = false;
  /** The transport closed. */
  private ended = false;
  peerFlowControl = false;
  /** Settles when the transport has closed. */
  readonly closed: Promise<void>;

  constructor(
    private readonly transport: Duplex,
    private readonly options: SpdySessionOptions,
  ) {
    this.closed = new Promise((resolve) => transport.once('close', () => resolve()));
    transport.on('data', (chunk: Buffer) => this.onBytes(chunk));
    transport.on('error', () => transport.destroy());
    transport.once('close', () => this.teardown());
    // The peer will send nothing more (as spdystream on EOF, every stream ends with it).
    transport.once('end', () => {
      this.teardown();
      transport.end();
    });
  }

  /** Bytes that arrived before the session existed (the upgrade request's `head`). */
  feed(bytes: Buffer): void {
    if (bytes.length) this.onBytes(bytes);
  }

  /** How many streams are open (not yet closed in both directions nor reset). */
  get openStreams(): number {
    return this.streams.size;
  }

  /** Say goodbye (GOAWAY), then close the transport once everything queued is written. */
  goAway(status: number = GoAwayStatus.ok): Promise<void> {
    if (this.sentGoAway) return this.writeQueue;
    this.sentGoAway = true;
    const done = this.enqueue(() => encodeFrame({ type: 'goAway', lastGoodStreamId: this.lastClientStreamId, status }));
    return done.then(() => {
      this.transport.end();
    });
  }

  /** Drop the connection at once. */
  destroy(): void {
    this.transport.destroy();
  }

  // StreamWire ------------------------------------------------------------------------

  sendData(streamId: number, data: Buffer, fin: boolean): Promise<void> {
    return this.enqueue(() => encodeFrame({ type: 'data', streamId, flags: fin ? FrameFlag.fin : 0, data }));
  }

  sendReset(streamId: number, status: number): void {
    void this.enqueue(() => encodeFrame({ type: 'rstStream', streamId, status }));
  }

  consumed(streamId: number, bytes: number): void {
    void this.enqueue(() => encodeFrame({ type: 'windowUpdate', streamId, delta: bytes }));
  }

  forget(streamId: number): void {
    this.streams.delete(streamId);
  }

  // Reading ---------------------------------------------------------------------------

  private onBytes(chunk: Buffer): void {
    if (this.ended || this.broken) return;
    let frames: Frame[];
    try {
      frames = this.reader.push(chunk);
    } catch (e) {
      this.fail(e);
      return;
    }
    for (const frame of frames) {
      this.readQueue = this.readQueue.then(() => this.handle(frame)).catch((e: unknown) => this.fail(e));
    }
  }

  private fail(e: unknown): void {
    if (e instanceof SpdyProtocolError && e.streamId !== undefined) {
      this.sendReset(e.streamId, RstStatus.protocolError);
      this.streams.get(e.streamId)?.abort(false);
      return;
    }
    // The zlib context or the frame boundaries can no longer be trusted: read nothing more.
    this.broken = true;
    void this.goAway(GoAwayStatus.protocolError);
  }

  private async handle(frame: Frame): Promise<void> {
    if (this.ended || this.broken) return;
    switch (frame.type) {
      case 'data':
        return this.onData(frame.streamId, frame.data, (frame.flags & FrameFlag.fin) !== 0);
      case 'synStream':
        return this.onSynStream(frame.streamId, frame.flags, await this.decompressor.decompress(frame.headerBlock));
      case 'synReply':
      case 'headers':
        // Nothing kos needs is in them, but the zlib context must see every block.
        await this.decompressor.decompress(frame.headerBlock);
        if ((frame.flags & FrameFlag.fin) !== 0) this.streams.get(frame.streamId)?.remoteFinished();
        return;
      case 'rstStream':
        this.streams.get(frame.streamId)?.abort(true);
        return;
      case 'settings':
        for (const entry of frame.entries) {
          if (entry.id !== SettingId.initialWindowSize) continue;
          const delta = entry.value - this.initialSendWindow;
          this.initialSendWindow = entry.value;
          for (const stream of this.streams.values()) stream.adjustSendWindow(delta);
        }
        return;
      case 'ping':
        // Only the peer's own pings (odd ids from a client) are answered; an even id would be a reply to kos.
        if (frame.id % 2 === 1) void this.enqueue(() => encodeFrame(frame));
        return;
      case 'goAway':
        this.peerGoneAway = true;
        return;
      case 'windowUpdate':
        this.peerFlowControl = true;
        if (frame.streamId !== 0) this.streams.get(frame.streamId)?.adjustSendWindow(frame.delta);
        return;
      case 'unknown':
        return;
    }
  }

  private onData(streamId: number, data: Buffer, fin: boolean): void {
    const stream = this.streams.get(streamId);
    if (!stream) {
      // Data racing a reset kos sent is expected; data for a stream never opened is not.
      if (streamId > this.lastClientStreamId) this.sendReset(streamId, RstStatus.invalidStream);
      return;
    }
    if (data.length > 0) {
      this.sessionUnacked += data.length;
      if (this.sessionUnacked >= defaultWindow / 2) {
        const delta = this.sessionUnacked;
        this.sessionUnacked = 0;
        void this.enqueue(() => encodeFrame({ type: 'windowUpdate', streamId: 0, delta }));
      }
    }
    stream.receive(data, fin);
  }

  private onSynStream(streamId: number, flags: number, headers: SpdyHeaders): void {
    if (streamId % 2 === 0 || streamId <= this.lastClientStreamId) {
      throw new SpdyProtocolError(`stream id ${streamId} is not a new client stream id`);
    }
    this.lastClientStreamId = streamId;
    if (this.sentGoAway || this.peerGoneAway) return this.sendReset(streamId, RstStatus.refusedStream);
    const stream = new SpdyStream(this, streamId, headers, this.initialSendWindow, defaultWindow);
    this.streams.set(streamId, stream);
    if ((flags & FrameFlag.unidirectional) !== 0) stream.localFinished();
    if ((flags & FrameFlag.fin) !== 0) stream.remoteFinished();
    if (!this.options.onStream(stream)) {
      this.sendReset(streamId, RstStatus.refusedStream);
      stream.abort(false);
      return;
    }
    void this.enqueue(async () => encodeFrame({ type: 'synReply', streamId, flags: 0, headerBlock: await this.compressor.compress([]) }));
    stream.replySent();
  }

  // Writing ---------------------------------------------------------------------------

  private enqueue(produce: () => Buffer | Promise<Buffer>): Promise<void> {
    const next = this.writeQueue.then(async () => {
      const bytes = await produce();
      if (this.ended || this.transport.destroyed || this.transport.writableEnded) return;
      if (this.transport.write(bytes)) return;
      await new Promise<void>((resolve) => {
        const done = (): void => {
          this.transport.off('drain', done);
          this.transport.off('close', done);
          resolve();
        };
        this.transport.on('drain', done);
        this.transport.on('close', done);
      });
    });
    this.writeQueue = next.catch(() => undefined);
    return next;
  }

  private teardown(): void {
    if (this.ended) return;
    this.ended = true;
    for (const stream of [...this.streams.values()]) stream.abort(false);
    this.streams.clear();
    this.compressor.close();
    this.decompressor.close();
    this.options.onClose?.();
  }
}
