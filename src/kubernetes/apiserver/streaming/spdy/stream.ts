/**
 * One SPDY stream as a Node Duplex: what the peer sends on it is readable, what is
 * written goes out as DATA frames, `end()` sends FLAG_FIN (a half-close), and destroying
 * it before both halves closed sends RST_STREAM. The session owns the wire; a stream
 * only asks it to send.
 */
import { Duplex } from 'node:stream';
import { RstStatus } from './frames.js';
import type { SpdyHeaders } from './header-block.js';

/** Data frames kos sends are at most this big, so one stream cannot hog the connection. */
export const maxDataFrame = 32 * 1024;

/** What a stream needs from its session. */
export interface StreamWire {
  sendData(streamId: number, data: Buffer, fin: boolean): Promise<void>;
  sendReset(streamId: number, status: number): void;
  /** The consumer has taken `bytes` off this stream: acknowledge them to the peer. */
  consumed(streamId: number, bytes: number): void;
  /** Whether the peer has shown it does flow control (see `session.ts`). */
  readonly peerFlowControl: boolean;
  forget(streamId: number): void;
}

export class SpdyStream extends Duplex {
  private localClosed = false;
  private remoteClosed = false;
  private sendWindow: number;
  private windowWaiters: (() => void)[] = [];
  private unacked = 0;
  private readonly replied: Promise<void>;
  private markReplied: () => void = () => undefined;
  /** Set when the peer reset the stream (RST_STREAM) rather than closing it. */
  resetByPeer = false;

  constructor(
    private readonly wire: StreamWire,
    readonly id: number,
    readonly headers: SpdyHeaders,
    initialSendWindow: number,
    readonly receiveWindow: number,
  ) {
    super({ allowHalfOpen: true });
    this.sendWindow = initialSendWindow;
    this.replied = new Promise((resolve) => {
      this.markReplied = resolve;
    });
  }

  /** The session queued this stream's SYN_REPLY: data may follow it. */
  replySent(): void {
    this.markReplied();
  }

  /** A DATA frame from the peer. */
  receive(data: Buffer, fin: boolean): void {
    if (this.remoteClosed) return;
    if (data.length > 0) {
      this.unacked += data.length;
      if (this.push(data)) this.acknowledge();
    }
    if (fin) this.remoteFinished();
  }

  /** The peer half-closed the stream (FLAG_FIN). */
  remoteFinished(): void {
    if (this.remoteClosed) return;
    this.remoteClosed = true;
    this.push(null);
    if (this.localClosed) this.wire.forget(this.id);
  }

  /** A unidirectional stream from the peer: nothing may be sent on it. */
  localFinished(): void {
    this.localClosed = true;
  }

  /** WINDOW_UPDATE, or a SETTINGS change of the initial window (a negative delta). */
  adjustSendWindow(delta: number): void {
    this.sendWindow += delta;
    if (this.sendWindow > 0) for (const wake of this.windowWaiters.splice(0)) wake();
  }

  /** The peer reset the stream, or the session ended: drop it without an error event. */
  abort(byPeer: boolean): void {
    this.resetByPeer = byPeer;
    this.localClosed = true;
    this.remoteClosed = true;
    for (const wake of this.windowWaiters.splice(0)) wake();
    this.destroy();
  }

  override _read(): void {
    this.acknowledge();
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    this.send(chunk).then(() => callback(), callback);
  }

  override _final(callback: (error?: Error | null) => void): void {
    this.replied
      .then(async () => {
        if (this.localClosed) return;
        this.localClosed = true;
        await this.wire.sendData(this.id, Buffer.alloc(0), true);
        if (this.remoteClosed) this.wire.forget(this.id);
      })
      .then(() => callback(), callback);
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    if (!(this.localClosed && this.remoteClosed)) this.wire.sendReset(this.id, RstStatus.cancel);
    this.localClosed = true;
    this.remoteClosed = true;
    this.wire.forget(this.id);
    callback(error);
  }

  private async send(chunk: Buffer): Promise<void> {
    await this.replied;
    let rest = chunk;
    while (rest.length > 0) {
      if (this.localClosed) return;
      if (this.wire.peerFlowControl && this.sendWindow <= 0) {
        await new Promise<void>((resolve) => this.windowWaiters.push(resolve));
        continue;
      }
      const room = this.wire.peerFlowControl ? Math.min(this.sendWindow, maxDataFrame) : maxDataFrame;
      const piece = rest.subarray(0, room);
      rest = rest.subarray(piece.length);
      this.sendWindow -= piece.length;
      await this.wire.sendData(this.id, piece, false);
    }
  }

  /** Acknowledge consumed bytes once half a window has gone by, as SPDY/3 suggests. */
  private acknowledge(): void {
    if (this.unacked === 0 || this.remoteClosed || this.unacked < this.receiveWindow / 2) return;
    const bytes = this.unacked;
    this.unacked = 0;
    this.wire.consumed(this.id, bytes);
  }
}
