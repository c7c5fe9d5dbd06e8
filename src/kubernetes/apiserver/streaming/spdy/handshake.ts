/**
 * The HTTP side of a SPDY stream upgrade, as Kubernetes clients do it: a request with
 * `Connection: Upgrade` and `Upgrade: SPDY/3.1`, listing the stream protocols it speaks in
 * `X-Stream-Protocol-Version` headers (most preferred first); the server answers 101 with
 * the one it picked, and SPDY frames follow on the same connection. kubectl port-forward
 * (1.31+) first tries the same SPDY connection tunnelled in a WebSocket, its subprotocol
 * the stream protocol prefixed with `SPDY/3.1+`.
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { failure, type StatusError } from '../../status.js';

export const spdyUpgradeToken = 'SPDY/3.1';
export const tunnelPrefix = `${spdyUpgradeToken}+`;
export const portForwardProtocol = 'portforward.k8s.io';
export const portForwardTunnelProtocol = `${tunnelPrefix}${portForwardProtocol}`;
/** Stream protocols for exec and attach over SPDY: v4 carries the exit as a Status (v5 is WebSocket-only here). */
export const remoteCommandSpdyProtocols = ['v4.channel.k8s.io'] as const;

const tokens = (value: string | string[] | undefined): string[] =>
  (Array.isArray(value) ? value : [value ?? '']).flatMap((v) => v.split(',')).map((t) => t.trim()).filter((t) => t !== '');

/** A plain (not WebSocket) SPDY/3.1 upgrade request. */
export function isSpdyUpgrade(req: IncomingMessage): boolean {
  const upgrades = tokens(req.headers.upgrade).map((t) => t.toLowerCase());
  const connection = tokens(req.headers.connection).map((t) => t.toLowerCase());
  return connection.includes('upgrade') && upgrades.includes(spdyUpgradeToken.toLowerCase());
}

/** The protocols the client offered, in its order of preference (node joins repeated headers with commas). */
export function offeredStreamProtocols(req: IncomingMessage): string[] {
  return tokens(req.headers['x-stream-protocol-version']);
}

/**
 * The client's most preferred protocol that the server speaks; a 403 as the real
 * server's handshake gives when there is none, or when the client offered nothing (the
 * pre-v2 protocols that implies are not spoken).
 */
export function negotiateStreamProtocol(offered: readonly string[], supported: readonly string[]): string | StatusError {
  const chosen = offered.find((p) => supported.includes(p));
  if (chosen) return chosen;
  return failure(
    403,
    'Forbidden',
    `unable to upgrade: unable to negotiate protocol: client supports [${offered.join(' ')}], server supports [${supported.join(' ')}]`,
  );
}

/** Switch the socket to SPDY: the 101 answer, after which the socket carries frames. */
export function acceptSpdyUpgrade(socket: Duplex, protocol: string): void {
  socket.write(
    'HTTP/1.1 101 Switching Protocols\r\n' +
      'Connection: Upgrade\r\n' +
      `Upgrade: ${spdyUpgradeToken}\r\n` +
      `X-Stream-Protocol-Version: ${protocol}\r\n\r\n`,
  );
}
