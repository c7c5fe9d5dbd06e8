/**
 * SPDY/3 name/value header blocks (§2.6.10): a 32-bit pair count, then each name and
 * value with a 32-bit length; names are lowercase, several values of one name are joined
 * with NUL. Blocks are zlib-compressed with the SPDY dictionary, and each direction of a
 * session is ONE zlib stream (every block ends with a sync flush), so a compressor and a
 * decompressor live as long as their session.
 */
import { constants, createDeflate, createInflate, type Deflate, type Inflate } from 'node:zlib';
import { spdyHeaderDictionary } from './dictionary.js';
import { SpdyProtocolError } from './frames.js';

/** Header names (lowercase) to values (several values NUL-joined, as on the wire). */
export type SpdyHeaders = ReadonlyMap<string, string>;

/** The uncompressed bytes of a header block. */
export function packHeaders(headers: Iterable<readonly [string, string]>): Buffer {
  const pairs = [...headers];
  const parts: Buffer[] = [Buffer.alloc(4)];
  parts[0]?.writeUInt32BE(pairs.length);
  for (const [name, value] of pairs) {
    for (const text of [name.toLowerCase(), value]) {
      const bytes = Buffer.from(text, 'utf8');
      const len = Buffer.alloc(4);
      len.writeUInt32BE(bytes.length);
      parts.push(len, bytes);
    }
  }
  return Buffer.concat(parts);
}

/** Reads an uncompressed header block; a malformed or duplicated entry is a protocol error. */
export function unpackHeaders(block: Buffer): Map<string, string> {
  let at = 0;
  const read32 = (what: string): number => {
    if (at + 4 > block.length) throw new SpdyProtocolError(`header block ends inside ${what}`);
    const n = block.readUInt32BE(at);
    at += 4;
    return n;
  };
  const readText = (what: string): string => {
    const len = read32(`the length of ${what}`);
    if (at + len > block.length) throw new SpdyProtocolError(`header block ends inside ${what}`);
    const text = block.toString('utf8', at, at + len);
    at += len;
    return text;
  };
  const count = read32('the pair count');
  const headers = new Map<string, string>();
  for (let i = 0; i < count; i++) {
    const name = readText('a name');
    const value = readText('a value');
    if (name === '') throw new SpdyProtocolError('header block has an empty name');
    if (name !== name.toLowerCase()) throw new SpdyProtocolError(`header name "${name}" is not lowercase`);
    if (headers.has(name)) throw new SpdyProtocolError(`header "${name}" appears twice`);
    headers.set(name, value);
  }
  if (at !== block.length) throw new SpdyProtocolError('header block has bytes after its last pair');
  return headers;
}

/**
 * Runs chunks through a long-lived zlib stream one at a time: each call writes its bytes,
 * sync-flushes, and gets exactly the output of that flush. Calls are queued so two blocks
 * never interleave in the shared stream.
 */
class FlushingCodec {
  private queue: Promise<unknown> = Promise.resolve();
  private output: Buffer[] = [];
  private failure: Error | undefined;
  /** The pending call's rejection: a zlib error ends the stream without calling flush's callback. */
  private rejectPending: ((e: Error) => void) | undefined;

  constructor(private readonly zlib: Deflate | Inflate) {
    zlib.on('data', (chunk: Buffer) => this.output.push(chunk));
    zlib.on('error', (e: Error) => {
      this.failure = e;
      this.rejectPending?.(e);
    });
  }

  run(input: Buffer): Promise<Buffer> {
    const next = this.queue.then(
      () =>
        new Promise<Buffer>((resolve, reject) => {
          if (this.failure) return reject(this.failure);
          this.output = [];
          this.rejectPending = reject;
          this.zlib.write(input);
          this.zlib.flush(constants.Z_SYNC_FLUSH, () => {
            this.rejectPending = undefined;
            if (this.failure) return reject(this.failure);
            resolve(Buffer.concat(this.output));
            this.output = [];
          });
        }),
    );
    this.queue = next.catch(() => undefined);
    return next;
  }

  close(): void {
    this.zlib.close();
  }
}

/** Compresses the header blocks one side of a session sends. */
export class HeaderCompressor {
  private readonly codec = new FlushingCodec(createDeflate({ dictionary: spdyHeaderDictionary }));

  compress(headers: Iterable<readonly [string, string]>): Promise<Buffer> {
    return this.codec.run(packHeaders(headers));
  }

  close(): void {
    this.codec.close();
  }
}

/** Decompresses the header blocks one side of a session receives. */
export class HeaderDecompressor {
  private readonly codec = new FlushingCodec(createInflate({ dictionary: spdyHeaderDictionary }));

  async decompress(block: Buffer): Promise<Map<string, string>> {
    let raw: Buffer;
    try {
      raw = await this.codec.run(block);
    } catch (e) {
      throw new SpdyProtocolError(`header block does not decompress: ${e instanceof Error ? e.message : String(e)}`);
    }
    return unpackHeaders(raw);
  }

  close(): void {
    this.codec.close();
  }
}
