/**
 * pods/exec and pods/attach over SPDY (the v4.channel.k8s.io stream protocol, as kubectl
 * before 1.30 and every client-go SPDY executor speak it). The client opens one stream per
 * standard stream it wants, named by the `streamtype` header (error, stdin, stdout,
 * stderr, resize); once all the request's options call for have arrived the container
 * session is wired to them. At the end stdout and stderr are half-closed, the exit is
 * written on the error stream as a Status (Success, or Failure with an ExitCode cause),
 * and the connection is closed with GOAWAY.
 */
import type { Duplex, Readable, Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import type { ContainerSession, StreamOptions } from '../../../runtime/types.js';
import { exitStatus, parseResize } from '../channel-protocol.js';
import { SpdySession } from './session.js';
import type { SpdyStream } from './stream.js';

const streamTypes = ['error', 'stdin', 'stdout', 'stderr', 'resize'] as const;
type StreamType = (typeof streamTypes)[number];
const isStreamType = (t: string | undefined): t is StreamType => streamTypes.some((s) => s === t);

/** How long the client has to open its streams, as the kubelet's stream creation timeout. */
export const streamCreationTimeoutMs = 30_000;

export interface RemoteCommand {
  session: ContainerSession;
  command: readonly string[];
  opts: StreamOptions;
}

/** The streams a client opens for these options: always error, then one per requested stream, resize with a terminal. */
export function expectedStreamTypes(opts: StreamOptions): StreamType[] {
  const types: StreamType[] = ['error'];
  if (opts.stdin) types.push('stdin');
  if (opts.stdout) types.push('stdout');
  if (opts.stderr && !opts.tty) types.push('stderr');
  if (opts.tty) types.push('resize');
  return types;
}

/** Resize messages are JSON objects one after another (Go's json.Encoder puts a newline after each). */
function forwardResizes(stream: Readable, session: ContainerSession): void {
  let pending = '';
  stream.on('data', (chunk: Buffer) => {
    pending += chunk.toString('utf8');
    const lines = pending.split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) {
      const size = parseResize(Buffer.from(line));
      if (size) session.resize(size);
    }
  });
}

const settled = (stream: Writable): Promise<void> => finished(stream, { readable: false }).catch(() => undefined);

function pipeOut(source: Readable | undefined, target: SpdyStream | undefined): Promise<void> {
  if (!target) return Promise.resolve();
  target.resume();
  if (!source) {
    target.end();
  } else {
    source.on('error', () => target.end());
    source.pipe(target);
  }
  return settled(target);
}

async function run(spdy: SpdySession, streams: ReadonlyMap<StreamType, SpdyStream>, cmd: RemoteCommand, exited: () => void): Promise<void> {
  const { session } = cmd;
  const stdin = streams.get('stdin');
  if (stdin) {
    if (session.stdin) {
      // A runtime's stdin failing (process gone) must not take the server down; the exit tells the client.
      session.stdin.on('error', () => undefined);
      stdin.pipe(session.stdin);
    } else {
      stdin.resume();
    }
  }
  const resize = streams.get('resize');
  if (resize) forwardResizes(resize, session);
  const error = streams.get('error');
  error?.resume();
  await Promise.all([pipeOut(session.stdout, streams.get('stdout')), pipeOut(session.stderr, streams.get('stderr'))]);
  const exit = await session.exit;
  exited();
  if (error && !error.destroyed) {
    error.end(JSON.stringify(exitStatus(exit, cmd.command)));
    await settled(error);
  }
  await spdy.goAway();
}

/** Serve one exec or attach on an upgraded connection; the session is closed when the client goes away. */
export function serveRemoteCommand(transport: Duplex, head: Buffer, cmd: RemoteCommand, timeoutMs = streamCreationTimeoutMs): SpdySession {
  const expected = expectedStreamTypes(cmd.opts);
  const streams = new Map<StreamType, SpdyStream>();
  let started = false;
  let done = false;
  const timer = setTimeout(() => {
    if (!started) void spdy.goAway();
  }, timeoutMs);
  timer.unref();
  const spdy: SpdySession = new SpdySession(transport, {
    onStream(stream) {
      const type = stream.headers.get('streamtype');
      if (!isStreamType(type) || streams.has(type) || started) {
        // As the kubelet: an unexpected stream is answered but not used.
        stream.resume();
        return true;
      }
      streams.set(type, stream);
      if (expected.every((t) => streams.has(t))) {
        started = true;
        clearTimeout(timer);
        void run(spdy, streams, cmd, () => {
          done = true;
        }).catch(() => spdy.destroy());
      }
      return true;
    },
    onClose() {
      clearTimeout(timer);
      if (done) return;
      if (cmd.session.stdin && !cmd.session.stdin.writableEnded) cmd.session.stdin.end();
      cmd.session.close();
    },
  });
  spdy.feed(head);
  return spdy;
}
