/**
 * Which upgrades are SPDY, and switching them over once the request has been admitted:
 * a plain `Upgrade: SPDY/3.1` (exec, attach, portforward; answered 101 with the
 * negotiated `X-Stream-Protocol-Version`), or a WebSocket offering
 * `SPDY/3.1+portforward.k8s.io` (portforward; SPDY frames as the bytes of binary
 * messages, which need not align with frames).
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { createWebSocketStream, WebSocketServer, type WebSocket } from 'ws';
import { acceptSpdyUpgrade, isSpdyUpgrade, negotiateStreamProtocol, offeredStreamProtocols, portForwardProtocol, portForwardTunnelProtocol, remoteCommandSpdyProtocols } from './handshake.js';
import { servePortForward, type PortForwardTarget } from './port-forward.js';
import { serveRemoteCommand, type RemoteCommand } from './remote-command.js';

export type SpdyUpgrade = { transport: 'tunnel' } | { transport: 'upgrade'; protocol: string };

export type SpdyWork = { kind: 'remoteCommand'; command: RemoteCommand } | { kind: 'portForward'; target: PortForwardTarget };

function offeredSubprotocols(req: IncomingMessage): Set<string> {
  return new Set((req.headers['sec-websocket-protocol'] ?? '').split(',').map((p) => p.trim()).filter((p) => p !== ''));
}

/**
 * The SPDY upgrade this request asks for, undefined when it is not one (a WebSocket for
 * the channel protocols, say); throws the Status the real server's handshake gives when
 * no stream protocol is shared, before any runtime is asked.
 */
export function spdyUpgradeOf(req: IncomingMessage, subresource: string): SpdyUpgrade | undefined {
  if ((req.headers.upgrade ?? '').toLowerCase() === 'websocket') {
    return subresource === 'portforward' && offeredSubprotocols(req).has(portForwardTunnelProtocol) ? { transport: 'tunnel' } : undefined;
  }
  if (!isSpdyUpgrade(req)) return undefined;
  const supported = subresource === 'portforward' ? [portForwardProtocol] : remoteCommandSpdyProtocols;
  const protocol = negotiateStreamProtocol(offeredStreamProtocols(req), supported);
  if (typeof protocol !== 'string') throw protocol;
  return { transport: 'upgrade', protocol };
}

/**
 * `ws` accepts only RFC 7230 tokens as subprotocols, and `/` and `+` are not token
 * characters, so it refuses `SPDY/3.1+portforward.k8s.io` outright. The tunnel's request
 * is handed to `ws` under this alias, and the alias is swapped back in the 101 answer
 * (kubectl takes the stream protocol from that header).
 */
const tunnelAlias = 'kos.spdy-tunnel.portforward';

export type SpdyAcceptor = (upgrade: SpdyUpgrade, req: IncomingMessage, socket: Duplex, head: Buffer, work: SpdyWork) => void;

/** Switches admitted SPDY upgrades to their protocol and serves them. */
export function createSpdyAcceptor(): SpdyAcceptor {
  const tunnels = new WebSocketServer({
    noServer: true,
    handleProtocols: (offered: Set<string>) => (offered.has(tunnelAlias) ? tunnelAlias : false),
  });
  tunnels.on('headers', (headers: string[]) => {
    const at = headers.indexOf(`Sec-WebSocket-Protocol: ${tunnelAlias}`);
    if (at >= 0) headers[at] = `Sec-WebSocket-Protocol: ${portForwardTunnelProtocol}`;
  });
  const serve = (work: SpdyWork, transport: Duplex, head: Buffer): void => {
    if (work.kind === 'portForward') servePortForward(transport, head, work.target);
    else serveRemoteCommand(transport, head, work.command);
  };
  return (upgrade, req, socket, head, work) => {
    if (upgrade.transport === 'upgrade') {
      acceptSpdyUpgrade(socket, upgrade.protocol);
      serve(work, socket, head);
      return;
    }
    req.headers['sec-websocket-protocol'] = tunnelAlias;
    tunnels.handleUpgrade(req, socket, head, (ws: WebSocket) => serve(work, createWebSocketStream(ws), Buffer.alloc(0)));
  };
}
