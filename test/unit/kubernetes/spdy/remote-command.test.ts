import { duplexPair } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../../src/kubernetes/apiserver/object.js';
import { expectedStreamTypes, serveRemoteCommand } from '../../../../src/kubernetes/apiserver/streaming/spdy/remote-command.js';
import type { StreamOptions } from '../../../../src/kubernetes/runtime/types.js';
import { FakeRuntime } from '../streaming/fake-runtime.js';
import { SpdyTestClient } from './spdy-client.js';

const pod: KubeObject = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'x', namespace: 'default' } };
const tick = (ms = 10): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function exec(command: string[], opts: StreamOptions, timeoutMs?: number): Promise<{ client: SpdyTestClient; runtime: FakeRuntime; sessionClosed: () => boolean }> {
  const runtime = new FakeRuntime();
  const session = await runtime.exec(pod, 'app', command, opts);
  let closed = false;
  const close = session.close.bind(session);
  session.close = () => {
    closed = true;
    close();
  };
  const [server, clientSide] = duplexPair();
  serveRemoteCommand(server, Buffer.alloc(0), { session, command, opts }, timeoutMs);
  const client = new SpdyTestClient(clientSide);
  return { client, runtime, sessionClosed: () => closed };
}

describe('exec and attach over SPDY', () => {
  it('expects error, the requested streams, and resize instead of stderr with a terminal', () => {
    expect(expectedStreamTypes({ stdin: false, stdout: true, stderr: true, tty: false })).toEqual(['error', 'stdout', 'stderr']);
    expect(expectedStreamTypes({ stdin: true, stdout: true, stderr: true, tty: true })).toEqual(['error', 'stdin', 'stdout', 'resize']);
  });

  it('runs with a terminal: stdin to the process, resizes to the runtime, output, then Success and GOAWAY', async () => {
    const { client, runtime, sessionClosed } = await exec(['cat'], { stdin: true, stdout: true, stderr: false, tty: true });
    const error = await client.open({ streamtype: 'error' });
    const stdin = await client.open({ streamtype: 'stdin' });
    const stdout = await client.open({ streamtype: 'stdout' });
    const resize = await client.open({ streamtype: 'resize' });
    await Promise.all([error.reply, stdin.reply, stdout.reply, resize.reply]);
    await resize.send('{"Width":80,"Height":24}\n{"Width":100,');
    await resize.send('"Height":40}\n');
    await stdin.send('typed\n', true);
    expect(await stdout.ended).toBe('typed\n');
    expect(JSON.parse(await error.ended)).toEqual({ metadata: {}, status: 'Success' });
    await client.closed;
    expect(client.frames.at(-1)).toMatchObject({ type: 'goAway', status: 0 });
    expect(runtime.resizes).toEqual([{ width: 80, height: 24 }, { width: 100, height: 40 }]);
    // It ended by itself: nothing to stop.
    expect(sessionClosed()).toBe(false);
  });

  it('waits for every expected stream, then reports a non-zero exit as a Failure with an ExitCode cause', async () => {
    const { client } = await exec(['err', 'bad'], { stdin: false, stdout: true, stderr: true, tty: false });
    const error = await client.open({ streamtype: 'error' });
    const stdout = await client.open({ streamtype: 'stdout' });
    await tick();
    // stderr is not open yet: nothing has run.
    expect(client.frames.filter((f) => f.type === 'data')).toEqual([]);
    const stderr = await client.open({ streamtype: 'stderr' });
    expect(await stderr.ended).toBe('bad\n');
    expect(await stdout.ended).toBe('');
    expect(JSON.parse(await error.ended)).toEqual({
      metadata: {},
      status: 'Failure',
      message: 'command terminated with non-zero exit code: error executing command [err bad], exit code 1',
      reason: 'NonZeroExitCode',
      details: { causes: [{ reason: 'ExitCode', message: '1' }] },
    });
  });

  it('drops the connection and closes the session when the streams do not arrive in time', async () => {
    const { client, sessionClosed } = await exec(['cat'], { stdin: true, stdout: true, stderr: false, tty: false }, 50);
    await (await client.open({ streamtype: 'error' })).reply;
    await client.closed;
    expect(client.frames.map((f) => f.type)).toEqual(['synReply', 'goAway']);
    expect(sessionClosed()).toBe(true);
  });
});
