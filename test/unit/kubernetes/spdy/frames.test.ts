import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { spdyHeaderDictionary } from '../../../../src/kubernetes/apiserver/streaming/spdy/dictionary.js';
import { encodeFrame, FrameReader, SpdyProtocolError, type Frame } from '../../../../src/kubernetes/apiserver/streaming/spdy/frames.js';

describe('SPDY/3 header dictionary', () => {
  it('is the 1423 bytes of the spec', () => {
    expect(spdyHeaderDictionary.length).toBe(1423);
    expect(createHash('sha256').update(spdyHeaderDictionary).digest('hex')).toBe('51d27341373f923f3cd88e1eb7162aeaa3723d7585ff2399201dc06498407f02');
  });
});

describe('frame codec', () => {
  it('writes control and data frame headers bit-exactly', () => {
    expect(encodeFrame({ type: 'ping', id: 1 }).toString('hex')).toBe('800300060000000400000001');
    expect(encodeFrame({ type: 'data', streamId: 3, flags: 1, data: Buffer.from('hi') }).toString('hex')).toBe('00000003010000026869');
    expect(encodeFrame({ type: 'rstStream', streamId: 5, status: 5 }).toString('hex')).toBe('80030003000000080000000500000005');
    expect(encodeFrame({ type: 'windowUpdate', streamId: 0, delta: 0x10000 }).toString('hex')).toBe('80030009000000080000000000010000');
    expect(encodeFrame({ type: 'goAway', lastGoodStreamId: 7, status: 0 }).toString('hex')).toBe('80030007000000080000000700000000');
    // SYN_STREAM: ids, priority in the top 3 bits, slot, then the header block; FIN in the flags byte.
    expect(encodeFrame({ type: 'synStream', streamId: 1, associatedStreamId: 0, priority: 7, slot: 0, flags: 1, headerBlock: Buffer.from('ab') }).toString('hex')).toBe(
      '800300010100000c0000000100000000e0006162',
    );
  });

  const frames: Frame[] = [
    { type: 'data', streamId: 0x7fffffff, flags: 0, data: Buffer.from('payload') },
    { type: 'data', streamId: 1, flags: 1, data: Buffer.alloc(0) },
    { type: 'synStream', streamId: 9, associatedStreamId: 2, priority: 3, slot: 4, flags: 2, headerBlock: Buffer.from([1, 2, 3]) },
    { type: 'synReply', streamId: 9, flags: 1, headerBlock: Buffer.from([4, 5]) },
    { type: 'rstStream', streamId: 9, status: 3 },
    { type: 'settings', flags: 1, entries: [{ flags: 1, id: 7, value: 1 << 20 }, { flags: 0, id: 4, value: 100 }] },
    { type: 'ping', id: 0xfffffffe },
    { type: 'goAway', lastGoodStreamId: 11, status: 2 },
    { type: 'headers', streamId: 13, flags: 0, headerBlock: Buffer.from([9]) },
    { type: 'windowUpdate', streamId: 13, delta: 12345 },
    { type: 'unknown', controlType: 10, flags: 0, payload: Buffer.from('credential') },
  ];

  it('reads back every frame type it writes', () => {
    const reader = new FrameReader();
    expect(reader.push(Buffer.concat(frames.map(encodeFrame)))).toEqual(frames);
    expect(reader.buffered).toBe(0);
  });

  it('reassembles frames split at any byte (a WebSocket message boundary is not a frame boundary)', () => {
    const bytes = Buffer.concat(frames.map(encodeFrame));
    const reader = new FrameReader();
    const got: Frame[] = [];
    for (let i = 0; i < bytes.length; i += 3) got.push(...reader.push(bytes.subarray(i, i + 3)));
    expect(got).toEqual(frames);
  });

  it('refuses another SPDY version and truncated control frames', () => {
    const v2 = encodeFrame({ type: 'ping', id: 1 });
    v2.writeUInt16BE(0x8002, 0);
    expect(() => new FrameReader().push(v2)).toThrow(new SpdyProtocolError('unsupported SPDY version 2'));
    const short = Buffer.from('8003000300000004' + '00000001', 'hex');
    expect(() => new FrameReader().push(short)).toThrow(/RST_STREAM frame of 4 bytes is too short/);
  });
});
