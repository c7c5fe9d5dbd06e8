/** An HTTP error response written straight onto an upgrade request's socket (no 101). */
import type { Duplex } from 'node:stream';
import { STATUS_CODES } from 'node:http';
import type { StatusObject } from '../status.js';

export function refuseUpgrade(socket: Duplex, status: StatusObject): void {
  if (socket.destroyed) return;
  const body = JSON.stringify(status);
  socket.end(
    `HTTP/1.1 ${status.code} ${STATUS_CODES[status.code] ?? 'Error'}\r\n` +
      'Content-Type: application/json\r\n' +
      `Content-Length: ${Buffer.byteLength(body)}\r\n` +
      'Connection: close\r\n\r\n' +
      body,
  );
}
