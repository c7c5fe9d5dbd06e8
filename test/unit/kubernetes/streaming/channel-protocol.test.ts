import { describe, expect, it } from 'vitest';
import { exitStatus, frame, parseResize, pickChannelProtocol } from '../../../../src/kubernetes/apiserver/streaming/channel-protocol.js';

describe('channel protocol', () => {
  it('prefers v5 and falls back to v4; nothing else is spoken', () => {
    expect(pickChannelProtocol(new Set(['v4.channel.k8s.io', 'v5.channel.k8s.io']))).toBe('v5.channel.k8s.io');
    expect(pickChannelProtocol(new Set(['channel.k8s.io', 'v4.channel.k8s.io']))).toBe('v4.channel.k8s.io');
    expect(pickChannelProtocol(new Set(['base64.channel.k8s.io']))).toBeUndefined();
  });

  it('prefixes the channel byte', () => {
    expect([...frame(2, Buffer.from('ab'))]).toEqual([2, 0x61, 0x62]);
  });

  it('reports exits as the real server does', () => {
    expect(exitStatus({ exitCode: 0 }, ['true'])).toEqual({ metadata: {}, status: 'Success' });
    expect(exitStatus({ exitCode: 2 }, ['sh', '-c', 'exit 2'])).toEqual({
      metadata: {},
      status: 'Failure',
      message: 'command terminated with non-zero exit code: error executing command [sh -c exit 2], exit code 2',
      reason: 'NonZeroExitCode',
      details: { causes: [{ reason: 'ExitCode', message: '2' }] },
    });
    expect(exitStatus({ error: 'boom' }, [])).toMatchObject({ status: 'Failure', message: 'boom', code: 500 });
  });

  it('reads terminal sizes and ignores malformed ones', () => {
    expect(parseResize(Buffer.from('{"Width":120,"Height":40}'))).toEqual({ width: 120, height: 40 });
    expect(parseResize(Buffer.from('{"Width":"x"}'))).toBeUndefined();
    expect(parseResize(Buffer.from('nope'))).toBeUndefined();
  });
});
