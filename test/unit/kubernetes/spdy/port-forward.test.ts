import { duplexPair, PassThrough, type Duplex } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { RstStatus } from '../../../../src/kubernetes/apiserver/streaming/spdy/frames.js';
import { invalidPortForwardStream, servePortForward, type PortForwardTarget } from '../../../../src/kubernetes/apiserver/streaming/spdy/port-forward.js';
import { SpdyTestClient } from './spdy-client.js';

function forwarding(connect: (port: number) => Promise<Duplex>, timeoutMs?: number): { client: SpdyTestClient; ports: number[] } {
  const ports: number[] = [];
  const target: PortForwardTarget = {
    pod: 'x',
    uid: 'u-1',
    connect: (port) => {
      ports.push(port);
      return connect(port);
    },
  };
  const [server, clientSide] = duplexPair();
  servePortForward(server, Buffer.alloc(0), target, timeoutMs);
  return { client: new SpdyTestClient(clientSide), ports };
}

const echo = (): Promise<Duplex> => Promise.resolve(new PassThrough());

describe('port-forward over SPDY', () => {
  it('checks the headers as the kubelet does', () => {
    expect(invalidPortForwardStream(new Map([['streamtype', 'data']]))).toBe('"port" header is required');
    expect(invalidPortForwardStream(new Map([['port', 'http'], ['streamtype', 'data']]))).toBe('unable to parse "http" as a port');
    expect(invalidPortForwardStream(new Map([['port', '0'], ['streamtype', 'data']]))).toBe('port "0" must be > 0');
    expect(invalidPortForwardStream(new Map([['port', '80']]))).toBe('"streamtype" header is required');
    expect(invalidPortForwardStream(new Map([['port', '80'], ['streamtype', 'stdout']]))).toBe('invalid stream type "stdout"');
    expect(invalidPortForwardStream(new Map([['port', '80'], ['streamtype', 'error']]))).toBeUndefined();
  });

  it('pairs streams by request id and connects each data stream to its port', async () => {
    const { client, ports } = forwarding(echo);
    const e0 = await client.open({ streamtype: 'error', port: '80', requestid: '0' });
    const e1 = await client.open({ streamtype: 'error', port: '443', requestid: '1' });
    const d1 = await client.open({ streamtype: 'data', port: '443', requestid: '1' });
    const d0 = await client.open({ streamtype: 'data', port: '80', requestid: '0' });
    await d0.send('to 80', true);
    await d1.send('to 443', true);
    expect(await d0.ended).toBe('to 80');
    expect(await d1.ended).toBe('to 443');
    // The error streams close empty when the forwarding ends.
    expect(await e0.ended).toBe('');
    expect(await e1.ended).toBe('');
    expect(ports).toEqual([443, 80]);
  });

  it('writes the runtime\'s failure on the error stream', async () => {
    const { client } = forwarding(() => Promise.reject(new Error('connection refused')));
    const error = await client.open({ streamtype: 'error', port: '8080', requestid: '0' });
    const data = await client.open({ streamtype: 'data', port: '8080', requestid: '0' });
    expect(await error.ended).toBe('error forwarding port 8080 to pod x, uid u-1: connection refused');
    expect(await data.ended).toBe('');
  });

  it('refuses a stream with bad headers and reports a pair that never completes', async () => {
    const { client } = forwarding(echo, 50);
    const bad = await client.open({ streamtype: 'data', port: 'nope', requestid: '0' });
    await expect(bad.reply).rejects.toThrow(`reset with status ${RstStatus.refusedStream}`);
    const lonely = await client.open({ streamtype: 'error', port: '80', requestid: '7' });
    expect(await lonely.ended).toBe('(request=7) timed out waiting for streams');
  });
});
