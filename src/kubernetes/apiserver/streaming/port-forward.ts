/**
 * pods/portforward over the WebSocket channel protocol (what client libraries such as
 * @kubernetes/client-node speak): for the i-th requested port, channel 2i carries data
 * and 2i+1 errors, and each channel's first server frame is the port as two
 * little-endian bytes.
 */
import type { Duplex } from 'node:stream';
import type { WebSocket } from 'ws';
import { frame } from './channel-protocol.js';

const portPrefix = (port: number): Buffer => Buffer.from([port & 0xff, (port >> 8) & 0xff]);

export function bridgePortForward(ws: WebSocket, ports: readonly number[], streams: readonly Duplex[]): void {
  ports.forEach((port, i) => {
    ws.send(frame(2 * i, portPrefix(port)));
    ws.send(frame(2 * i + 1, portPrefix(port)));
    const stream = streams[i]!;
    stream.on('data', (chunk: Buffer) => {
      if (ws.readyState === ws.OPEN) ws.send(frame(2 * i, chunk));
    });
    stream.on('error', (e: Error) => {
      if (ws.readyState === ws.OPEN) ws.send(frame(2 * i + 1, Buffer.from(e.message)));
    });
  });
  ws.on('message', (data: Buffer | ArrayBuffer | Buffer[]) => {
    const bytes = Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data as ArrayBuffer);
    const channel = bytes[0];
    if (channel === undefined || channel % 2 !== 0) return;
    const body = bytes.subarray(1);
    const target = streams[channel / 2];
    if (body.length && target && !target.writableEnded && !target.destroyed) target.write(body);
  });
  ws.on('close', () => {
    for (const s of streams) s.destroy();
  });
  // When every target closes its side, the forwarding is over.
  let open = streams.length;
  for (const s of streams) {
    s.once('close', () => {
      open -= 1;
      if (open === 0 && ws.readyState === ws.OPEN) ws.close(1000);
    });
  }
}
