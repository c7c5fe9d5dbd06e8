import { createDeflate, constants } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { spdyHeaderDictionary } from '../../../../src/kubernetes/apiserver/streaming/spdy/dictionary.js';
import { HeaderCompressor, HeaderDecompressor, packHeaders, unpackHeaders } from '../../../../src/kubernetes/apiserver/streaming/spdy/header-block.js';

describe('name/value header blocks', () => {
  it('packs counts and lengths as 32-bit big-endian, names lowercased', () => {
    expect(packHeaders([['StreamType', 'data']]).toString('hex')).toBe('00000001' + '0000000a' + Buffer.from('streamtype').toString('hex') + '00000004' + Buffer.from('data').toString('hex'));
    expect(unpackHeaders(packHeaders([['port', '80'], ['requestid', '0']]))).toEqual(new Map([['port', '80'], ['requestid', '0']]));
    expect(unpackHeaders(packHeaders([]))).toEqual(new Map());
  });

  it('refuses uppercase names, duplicates and truncation', () => {
    const upper = Buffer.concat([Buffer.from('00000001000000014100000000', 'hex')]);
    expect(() => unpackHeaders(upper)).toThrow('header name "A" is not lowercase');
    expect(() => unpackHeaders(packHeaders([['a', '1'], ['a', '2']]))).toThrow('header "a" appears twice');
    expect(() => unpackHeaders(packHeaders([['port', '80']]).subarray(0, 12))).toThrow(/header block ends inside/);
  });
});

describe('header compression', () => {
  it('round-trips several blocks through one zlib context, later blocks reusing earlier ones', async () => {
    const c = new HeaderCompressor();
    const d = new HeaderDecompressor();
    const blocks = [
      [['streamtype', 'error'], ['port', '8080'], ['requestid', '0']],
      [['streamtype', 'data'], ['port', '8080'], ['requestid', '0']],
      [],
    ] as const;
    const sizes: number[] = [];
    for (const block of blocks) {
      const compressed = await c.compress(block);
      sizes.push(compressed.length);
      expect(await d.decompress(compressed)).toEqual(new Map(block));
    }
    // The second block differs from the first in one value: the shared window makes it cheap.
    expect(sizes[1]).toBeLessThan(sizes[0] ?? 0);
    c.close();
    d.close();
  });

  it('reads blocks from an independent deflater primed with the SPDY dictionary (as Go compresses)', async () => {
    const deflate = createDeflate({ dictionary: spdyHeaderDictionary, level: 9 });
    const out: Buffer[] = [];
    deflate.on('data', (b: Buffer) => out.push(b));
    const compressOne = (raw: Buffer): Promise<Buffer> =>
      new Promise((resolve) => {
        out.length = 0;
        deflate.write(raw);
        deflate.flush(constants.Z_SYNC_FLUSH, () => resolve(Buffer.concat(out)));
      });
    const d = new HeaderDecompressor();
    const first = await compressOne(packHeaders([['streamtype', 'stdout']]));
    // A zlib header with FDICT set: the peer must know the dictionary.
    expect((first[1] ?? 0) & 0x20).toBe(0x20);
    expect(await d.decompress(first)).toEqual(new Map([['streamtype', 'stdout']]));
    expect(await d.decompress(await compressOne(packHeaders([['streamtype', 'stderr']])))).toEqual(new Map([['streamtype', 'stderr']]));
    deflate.close();
    d.close();
  });

  it('reports garbage as a protocol error', async () => {
    const d = new HeaderDecompressor();
    await expect(d.decompress(Buffer.from('not zlib at all'))).rejects.toThrow(/header block does not decompress/);
    d.close();
  });
});
