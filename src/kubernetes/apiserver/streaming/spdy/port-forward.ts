/**
 * pods/portforward over SPDY (protocol portforward.k8s.io), plain or tunnelled in a
 * WebSocket. For every local connection the client opens a pair of streams sharing a
 * `requestid` header: `streamtype: error` and `streamtype: data`, both naming the pod
 * `port`. When both have arrived the data stream is connected to the runtime's stream to
 * that port; a failure is written as text on the error stream, which is closed when the
 * forwarding ends (the client waits for that before it lets the connection go).
 */
import type { Duplex } from 'node:stream';
import { finished } from 'node:stream/promises';
import { SpdySession } from './session.js';
import type { SpdyStream } from './stream.js';
import { streamCreationTimeoutMs } from './remote-command.js';

export interface PortForwardTarget {
  /** Pod name and uid, for the messages the kubelet writes. */
  pod: string;
  uid: string;
  /** A byte stream to `port` in the pod. */
  connect(port: number): Promise<Duplex>;
}

interface StreamPair {
  requestId: string;
  data?: SpdyStream;
  error?: SpdyStream;
}

/** Why a stream cannot be part of a forwarding, or undefined when it can (the kubelet's checks). */
export function invalidPortForwardStream(headers: ReadonlyMap<string, string>): string | undefined {
  const port = headers.get('port');
  if (!port) return '"port" header is required';
  if (!/^\d+$/.test(port) || Number(port) > 65535) return `unable to parse "${port}" as a port`;
  if (Number(port) < 1) return `port "${port}" must be > 0`;
  const type = headers.get('streamtype');
  if (!type) return '"streamtype" header is required';
  if (type !== 'error' && type !== 'data') return `invalid stream type "${type}"`;
  return undefined;
}

/**
 * Which forwarding a stream belongs to. Clients before request ids paired streams by id:
 * error on n, data on n+2 — the kubelet's best effort for them, kept here.
 */
function requestIdOf(stream: SpdyStream): string {
  const id = stream.headers.get('requestid');
  if (id) return id;
  return String(stream.headers.get('streamtype') === 'data' ? stream.id - 2 : stream.id);
}

async function forward(pair: Required<StreamPair>, target: PortForwardTarget): Promise<void> {
  const { data, error } = pair;
  const port = Number(data.headers.get('port'));
  error.resume();
  let remote: Duplex;
  try {
    remote = await target.connect(port);
  } catch (e) {
    error.end(`error forwarding port ${port} to pod ${target.pod}, uid ${target.uid}: ${e instanceof Error ? e.message : String(e)}`);
    data.resume();
    data.end();
    return;
  }
  if (data.destroyed) {
    remote.destroy();
    return;
  }
  remote.on('error', (e: Error) => {
    if (!error.writableEnded) error.end(`error forwarding port ${port} to pod ${target.pod}, uid ${target.uid}: ${e.message}`);
    data.end();
  });
  data.once('close', () => remote.destroy());
  // The client's half-close (FIN) ends the pod side's input; the pod side ending sends FIN back.
  data.pipe(remote);
  remote.pipe(data);
  await finished(data, { readable: false }).catch(() => undefined);
  if (!error.writableEnded && !error.destroyed) error.end();
}

/** Serve port forwarding on an upgraded connection (or tunnel) until the client closes it. */
export function servePortForward(transport: Duplex, head: Buffer, target: PortForwardTarget, timeoutMs = streamCreationTimeoutMs): SpdySession {
  const pairs = new Map<string, StreamPair>();
  const spdy = new SpdySession(transport, {
    onStream(stream) {
      if (invalidPortForwardStream(stream.headers)) return false;
      const requestId = requestIdOf(stream);
      let pair = pairs.get(requestId);
      if (!pair) {
        const created: StreamPair = { requestId };
        pair = created;
        pairs.set(requestId, created);
        setTimeout(() => {
          if (pairs.get(requestId) !== created) return;
          pairs.delete(requestId);
          created.error?.end(`(request=${requestId}) timed out waiting for streams`);
          created.data?.destroy();
        }, timeoutMs).unref();
      }
      const type = stream.headers.get('streamtype') === 'data' ? 'data' : 'error';
      if (pair[type]) {
        pair.error?.write(`error processing stream for request ${requestId}: ${type} stream already assigned`);
        return false;
      }
      pair[type] = stream;
      const { data, error } = pair;
      if (data && error) {
        pairs.delete(requestId);
        void forward({ requestId, data, error }, target).catch(() => data.destroy());
      }
      return true;
    },
  });
  spdy.feed(head);
  return spdy;
}
