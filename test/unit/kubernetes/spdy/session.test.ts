import { duplexPair } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { encodeFrame, FrameFlag, RstStatus } from '../../../../src/kubernetes/apiserver/streaming/spdy/frames.js';
import { HeaderCompressor } from '../../../../src/kubernetes/apiserver/streaming/spdy/header-block.js';
import { SpdySession } from '../../../../src/kubernetes/apiserver/streaming/spdy/session.js';
import type { SpdyStream } from '../../../../src/kubernetes/apiserver/streaming/spdy/stream.js';
import { SpdyTestClient, until } from './spdy-client.js';

/** A session whose every stream echoes what it receives, and a client connected to it. */
function echoSession(accept: (s: SpdyStream) => boolean = () => true): { server: SpdySession; client: SpdyTestClient } {
  const [a, b] = duplexPair();
  const server = new SpdySession(a, {
    onStream(stream) {
      if (!accept(stream)) return false;
      stream.pipe(stream);
      return true;
    },
  });
  return { server, client: new SpdyTestClient(b) };
}

const tick = (): Promise<void> => new Promise((r) => setTimeout(r, 10));

describe('SpdySession', () => {
  it('replies to a client stream, carries its data both ways and half-closes on FIN', async () => {
    const { server, client } = echoSession();
    const stream = await client.open({ streamtype: 'data', port: '80' });
    expect(await stream.reply).toEqual(new Map());
    await stream.send('ping ');
    await stream.send('pong', true);
    expect(await stream.ended).toBe('ping pong');
    // SYN_REPLY comes before the stream's first DATA frame.
    const types = client.frames.filter((f) => 'streamId' in f && f.streamId === stream.id).map((f) => f.type);
    expect(types[0]).toBe('synReply');
    await until(() => server.openStreams === 0);
  });

  it('gives the opening headers to the stream handler', async () => {
    const seen: [string, string][][] = [];
    const { client } = echoSession((s) => {
      seen.push([...s.headers]);
      return true;
    });
    await (await client.open({ streamtype: 'error', port: '8080', requestid: '0' })).reply;
    await (await client.open({ streamtype: 'data', port: '8080', requestid: '0' })).reply;
    expect(seen).toEqual([
      [['streamtype', 'error'], ['port', '8080'], ['requestid', '0']],
      [['streamtype', 'data'], ['port', '8080'], ['requestid', '0']],
    ]);
  });

  it('refuses a stream the handler does not accept with RST_STREAM', async () => {
    const { client } = echoSession((s) => s.headers.get('streamtype') !== 'bogus');
    const refused = await client.open({ streamtype: 'bogus' });
    await expect(refused.reply).rejects.toThrow(`stream 1 reset with status ${RstStatus.refusedStream}`);
    // The session goes on.
    const ok = await client.open({ streamtype: 'data' });
    await ok.send('still here', true);
    expect(await ok.ended).toBe('still here');
  });

  it('answers the client\'s PING with the same id and ignores its own parity', async () => {
    const { client } = echoSession();
    await client.write({ type: 'ping', id: 8 });
    await client.write({ type: 'ping', id: 7 });
    await until(() => client.frames.some((f) => f.type === 'ping'));
    // Frames are handled in order: had 8 been answered, it would have come first.
    expect(client.frames.filter((f) => f.type === 'ping')).toEqual([{ type: 'ping', id: 7 }]);
  });

  it('resets data for a stream that was never opened', async () => {
    const { client } = echoSession();
    await client.write({ type: 'data', streamId: 41, flags: 0, data: Buffer.from('x') });
    await client.barrier();
    expect(client.frames).toContainEqual({ type: 'rstStream', streamId: 41, status: RstStatus.invalidStream });
  });

  it('sends GOAWAY and closes the connection on a protocol error', async () => {
    const { client } = echoSession();
    // A stream id from the server's (even) space.
    await client.write({ type: 'synStream', streamId: 2, associatedStreamId: 0, priority: 0, slot: 0, flags: 0, headerBlock: Buffer.alloc(0) });
    await client.closed;
    expect(client.frames).toEqual([{ type: 'goAway', lastGoodStreamId: 0, status: 1 }]);
  });

  it('after the peer\'s GOAWAY refuses new streams, and still says goodbye itself', async () => {
    const { server, client } = echoSession();
    await client.write({ type: 'goAway', lastGoodStreamId: 0, status: 0 });
    const late = await client.open({ streamtype: 'data' });
    await expect(late.reply).rejects.toThrow(`reset with status ${RstStatus.refusedStream}`);
    await server.goAway();
    await client.closed;
    expect(client.frames.at(-1)).toEqual({ type: 'goAway', lastGoodStreamId: 1, status: 0 });
  });

  it('acknowledges consumed data with WINDOW_UPDATE for the stream and the session', async () => {
    const [a, b] = duplexPair();
    let received = 0;
    new SpdySession(a, {
      onStream(stream) {
        stream.on('data', (d: Buffer) => (received += d.length));
        return true;
      },
    });
    const client = new SpdyTestClient(b);
    const stream = await client.open({ streamtype: 'stdin' });
    await stream.reply;
    for (let i = 0; i < 5; i++) await stream.send(Buffer.alloc(10_000));
    await client.barrier();
    expect(received).toBe(50_000);
    expect(client.frames.filter((f) => f.type === 'windowUpdate')).toEqual([
      // The session window counts data as it arrives, the stream's as its consumer takes it.
      { type: 'windowUpdate', streamId: 0, delta: 40_000 },
      { type: 'windowUpdate', streamId: 1, delta: 40_000 },
    ]);
  });

  it('holds its sending to the window once the peer does flow control', async () => {
    const [a, b] = duplexPair();
    let serverStream: SpdyStream | undefined;
    new SpdySession(a, {
      onStream(stream) {
        serverStream = stream;
        return true;
      },
    });
    const client = new SpdyTestClient(b);
    const stream = await client.open({ streamtype: 'stdout' });
    await stream.reply;
    // The peer shows it does flow control, and shrinks the window to 1000 bytes.
    await client.write({ type: 'windowUpdate', streamId: 0, delta: 1 });
    await client.write({ type: 'settings', flags: 0, entries: [{ flags: 0, id: 7, value: 1000 }] });
    await client.barrier();
    serverStream?.write(Buffer.alloc(2500, 1));
    const sent = (): number => stream.data.reduce((n, d) => n + d.length, 0);
    await until(() => sent() >= 1000);
    await tick();
    expect(sent()).toBe(1000);
    await client.write({ type: 'windowUpdate', streamId: stream.id, delta: 1000 });
    await until(() => sent() >= 2000);
    await tick();
    expect(sent()).toBe(2000);
    await client.write({ type: 'windowUpdate', streamId: stream.id, delta: 5000 });
    await until(() => sent() >= 2500);
    expect(sent()).toBe(2500);
  });

  it('ends every stream when the peer ends the connection', async () => {
    const [a, b] = duplexPair();
    const closedStreams: number[] = [];
    let sessionClosed = false;
    new SpdySession(a, {
      onStream(stream) {
        stream.on('close', () => closedStreams.push(stream.id));
        return true;
      },
      onClose: () => (sessionClosed = true),
    });
    const client = new SpdyTestClient(b);
    await (await client.open({ streamtype: 'a' })).reply;
    await (await client.open({ streamtype: 'b' })).reply;
    b.end();
    await until(() => sessionClosed && closedStreams.length === 2);
    expect(closedStreams.sort()).toEqual([1, 3]);
    expect(sessionClosed).toBe(true);
  });

  it('accepts frames split across transport chunks', async () => {
    const [a] = duplexPair();
    let got = '';
    const session = new SpdySession(a, {
      onStream(stream) {
        stream.on('data', (d: Buffer) => (got += d.toString()));
        return true;
      },
    });
    const headerBlock = await new HeaderCompressor().compress([['streamtype', 'data']]);
    const bytes = Buffer.concat([
      encodeFrame({ type: 'synStream', streamId: 1, associatedStreamId: 0, priority: 0, slot: 0, flags: 0, headerBlock }),
      encodeFrame({ type: 'data', streamId: 1, flags: FrameFlag.fin, data: Buffer.from('split') }),
    ]);
    for (const byte of bytes) session.feed(Buffer.from([byte]));
    await until(() => got.length >= 5);
    expect(got).toBe('split');
  });
});
