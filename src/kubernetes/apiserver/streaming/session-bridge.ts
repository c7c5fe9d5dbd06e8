/**
 * Wires a container session to a WebSocket speaking the channel protocol: client frames
 * to stdin and resize, stdout/stderr to frames, and at the end the exit Status on the
 * error channel followed by a normal close.
 */
import type { Readable } from 'node:stream';
import type { WebSocket } from 'ws';
import type { ContainerSession } from '../../runtime/types.js';
import { Channel, exitStatus, frame, parseResize, type ChannelProtocol } from './channel-protocol.js';

function pump(ws: WebSocket, stream: Readable | undefined, channel: number): Promise<void> {
  if (!stream) return Promise.resolve();
  return new Promise((resolve) => {
    stream.on('data', (chunk: Buffer | string) => {
      if (ws.readyState === ws.OPEN) ws.send(frame(channel, typeof chunk === 'string' ? Buffer.from(chunk) : chunk));
    });
    stream.once('end', resolve);
    stream.once('close', resolve);
    stream.once('error', () => resolve());
  });
}

export function bridgeSession(ws: WebSocket, protocol: ChannelProtocol, session: ContainerSession, command: readonly string[]): Promise<void> {
  // A runtime's stdin failing (process gone) must not take the server down; the exit tells the client.
  session.stdin?.on('error', () => undefined);
  const stdinOpen = (): boolean => session.stdin !== undefined && !session.stdin.writableEnded && !session.stdin.destroyed;
  ws.on('message', (data: Buffer | ArrayBuffer | Buffer[]) => {
    const bytes = Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data as ArrayBuffer);
    if (bytes.length === 0) return;
    const channel = bytes[0];
    const body = bytes.subarray(1);
    if (channel === Channel.stdin) {
      if (body.length && stdinOpen()) session.stdin?.write(body);
    } else if (channel === Channel.resize) {
      const size = parseResize(body);
      if (size) session.resize(size);
    } else if (channel === Channel.close && protocol === 'v5.channel.k8s.io' && body[0] === Channel.stdin) {
      if (stdinOpen()) session.stdin?.end();
    }
  });
  ws.on('close', () => {
    if (stdinOpen()) session.stdin?.end();
    session.close();
  });
  return (async () => {
    await Promise.all([pump(ws, session.stdout, Channel.stdout), pump(ws, session.stderr, Channel.stderr)]);
    const exit = await session.exit;
    if (ws.readyState !== ws.OPEN) return;
    ws.send(frame(Channel.error, Buffer.from(JSON.stringify(exitStatus(exit, command)))));
    ws.close(1000);
  })();
}
