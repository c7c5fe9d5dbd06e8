/**
 * Upgrade requests on the API server's listener: pods/exec, pods/attach and
 * pods/portforward over WebSocket (the channel protocols). Every check the real server
 * makes before switching protocols — authentication, authorization, the pod, the
 * container, the runtime — answers as a plain HTTP Status; only then is the WebSocket
 * accepted. SPDY upgrades (kubectl port-forward, plain or tunnelled in a WebSocket as
 * `SPDY/3.1+portforward.k8s.io`, and SPDY exec/attach) pass the same checks and are then
 * served by `spdy/`.
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import type { ContainerSession, RuntimeResolver, StreamOptions } from '../../runtime/types.js';
import type { KubeObject } from '../object.js';
import type { Registry } from '../registry.js';
import type { ResourceRequest } from '../request-info.js';
import type { ResourceDefinition } from '../resource.js';
import { badRequest, toStatusError, type StatusObject } from '../status.js';
import { pickChannelProtocol, type ChannelProtocol } from './channel-protocol.js';
import { chooseContainer } from './container-choice.js';
import { refuseUpgrade } from './http-refusal.js';
import { bridgePortForward } from './port-forward.js';
import { bridgeSession } from './session-bridge.js';
import { createSpdyAcceptor, spdyUpgradeOf, type SpdyWork } from './spdy/dispatch.js';

export interface UpgradeContext {
  registry: Registry;
  pods: ResourceDefinition;
  runtime: RuntimeResolver;
  /** Authenticates and authorizes the request; a Status when refused. */
  admit(req: IncomingMessage): Promise<{ info: ResourceRequest } | { refused: StatusObject }>;
}

const streamSubresources = new Set(['exec', 'attach', 'portforward']);

const flag = (q: URLSearchParams, name: string): boolean => q.get(name) === 'true' || q.get(name) === '1';

function offeredProtocols(req: IncomingMessage): Set<string> {
  const header = req.headers['sec-websocket-protocol'];
  return new Set((header ?? '').split(',').map((p) => p.trim()).filter((p) => p !== ''));
}

function streamOptions(q: URLSearchParams): StreamOptions {
  const opts = { stdin: flag(q, 'stdin'), stdout: flag(q, 'stdout'), stderr: flag(q, 'stderr'), tty: flag(q, 'tty') };
  if (!opts.stdin && !opts.stdout && !opts.stderr) throw badRequest('you must specify at least 1 of stdin, stdout, stderr');
  // With a terminal, stderr is merged into stdout, as the real server does.
  if (opts.tty) opts.stderr = false;
  return opts;
}

function parsePorts(q: URLSearchParams): number[] {
  const raw = q.getAll('ports').flatMap((p) => p.split(',')).map((p) => p.trim()).filter((p) => p !== '');
  if (raw.length === 0) throw badRequest('at least one port must be specified');
  return raw.map((p) => {
    const n = Number(p);
    if (!/^\d+$/.test(p) || n < 1 || n > 65535) throw badRequest(`invalid port "${p}": must be between 1 and 65535, inclusive`);
    return n;
  });
}

type Opened =
  | { kind: 'session'; session: ContainerSession; command: readonly string[]; opts: StreamOptions }
  | { kind: 'ports'; ports: number[]; streams: Duplex[] };

async function open(ctx: UpgradeContext, info: ResourceRequest, pod: KubeObject, q: URLSearchParams): Promise<Opened> {
  const runtime = ctx.runtime(pod);
  if (info.subresource === 'portforward') {
    const ports = parsePorts(q);
    const streams: Duplex[] = [];
    for (const port of ports) streams.push(await runtime.portForward(pod, port));
    return { kind: 'ports', ports, streams };
  }
  const container = chooseContainer(pod, q.get('container') ?? undefined);
  const opts = streamOptions(q);
  if (info.subresource === 'exec') {
    const command = q.getAll('command');
    if (command.length === 0) throw badRequest('you must specify at least one command for the container');
    return { kind: 'session', session: await runtime.exec(pod, container, command, opts), command, opts };
  }
  return { kind: 'session', session: await runtime.attach(pod, container, opts), command: [], opts };
}

/** What a SPDY connection will serve: port-forward connects per stream pair, so no port is opened yet. */
async function openSpdyWork(ctx: UpgradeContext, info: ResourceRequest, pod: KubeObject, q: URLSearchParams): Promise<SpdyWork> {
  if (info.subresource === 'portforward') {
    const runtime = ctx.runtime(pod);
    return { kind: 'portForward', target: { pod: pod.metadata.name ?? '', uid: pod.metadata.uid ?? '', connect: (port) => runtime.portForward(pod, port) } };
  }
  const opened = await open(ctx, info, pod, q);
  if (opened.kind !== 'session') throw new Error('exec and attach open a session');
  return { kind: 'remoteCommand', command: { session: opened.session, command: opened.command, opts: opened.opts } };
}

function close(opened: Opened): void {
  if (opened.kind === 'session') opened.session.close();
  else for (const s of opened.streams) s.destroy();
}

/** The listener's `upgrade` handler: every upgrade request ends as a WebSocket or an HTTP Status. */
export function createUpgradeHandler(ctx: UpgradeContext): (req: IncomingMessage, socket: Duplex, head: Buffer) => void {
  const wss = new WebSocketServer({ noServer: true, handleProtocols: (offered: Set<string>) => pickChannelProtocol(offered) ?? false });
  const acceptSpdy = createSpdyAcceptor();
  return (req, socket, head) => {
    void (async () => {
      const admitted = await ctx.admit(req);
      if ('refused' in admitted) return refuseUpgrade(socket, admitted.refused);
      const { info } = admitted;
      if (!(info.group === '' && info.resource === 'pods' && info.subresource && streamSubresources.has(info.subresource) && info.namespace && info.name)) {
        return refuseUpgrade(socket, badRequest('this resource does not support protocol upgrades').status);
      }
      const q = new URL(req.url ?? '/', 'https://localhost').searchParams;
      const pod = await ctx.registry.get(ctx.pods, info.namespace, info.name);
      const spdy = spdyUpgradeOf(req, info.subresource);
      if (spdy) {
        const work = await openSpdyWork(ctx, info, pod, q);
        if (socket.destroyed) return work.kind === 'remoteCommand' ? work.command.session.close() : undefined;
        return acceptSpdy(spdy, req, socket, head, work);
      }
      const isWebSocket = (req.headers.upgrade ?? '').toLowerCase() === 'websocket';
      const protocol: ChannelProtocol | undefined = pickChannelProtocol(offeredProtocols(req));
      if (!isWebSocket || !protocol) {
        // kubectl falls back to SPDY when the WebSocket upgrade fails: the runtime's own
        // refusal (container not running) is the useful answer, so ask it before
        // refusing the protocol. A session it does open is closed at once.
        close(await open(ctx, info, pod, q));
        throw badRequest(`unable to upgrade connection: this server speaks WebSocket with ${['v5.channel.k8s.io', 'v4.channel.k8s.io'].join(', ')} and SPDY/3.1`);
      }
      const opened = await open(ctx, info, pod, q);
      if (socket.destroyed) return close(opened);
      wss.handleUpgrade(req, socket, head, (ws: WebSocket) => {
        if (opened.kind === 'ports') bridgePortForward(ws, opened.ports, opened.streams);
        else void bridgeSession(ws, protocol, opened.session, opened.command).catch(() => ws.terminate());
      });
    })().catch((e: unknown) => refuseUpgrade(socket, toStatusError(e).status));
  };
}
