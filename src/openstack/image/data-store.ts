/**
 * The `file` store: image data as files under <dataDir>/images, staged data (the import
 * API's glance-direct) under <dataDir>/images/staging. Data is streamed through the md5
 * and sha512 digests on its way to disk, never held whole in memory; a file appears
 * under its final name only once complete (write to a temporary name, then rename).
 */
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream, mkdirSync, type ReadStream } from 'node:fs';
import { rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { KosError } from '../../core/errors.js';

export interface StoredData {
  size: number;
  checksum: string;
  os_hash_algo: 'sha512';
  os_hash_value: string;
  /** The first bytes, for the format inspector (virtual size). */
  head: Buffer;
}

export const STORE_ID = 'file';

export class ImageDataStore {
  private readonly dir: string;
  private readonly stagingDir: string;

  constructor(dataDir: string, private readonly maxBytes = 64 * 1024 ** 3) {
    this.dir = join(dataDir, 'images');
    this.stagingDir = join(this.dir, 'staging');
    mkdirSync(this.stagingDir, { recursive: true, mode: 0o700 });
  }

  private path(id: string, staged: boolean): string {
    return join(staged ? this.stagingDir : this.dir, id);
  }

  /** Stream `source` into the image's file (or its staging file), digesting on the way. */
  async write(id: string, source: Readable, staged = false): Promise<StoredData> {
    const md5 = createHash('md5');
    const sha512 = createHash('sha512');
    let size = 0;
    let head = Buffer.alloc(0);
    const max = this.maxBytes;
    const digest = new Transform({
      transform(chunk: Buffer, _enc, done) {
        size += chunk.length;
        if (size > max) {
          done(new KosError('PayloadTooLarge', `Image exceeds the storage quota: ${max} bytes.`));
          return;
        }
        if (head.length < 512) head = Buffer.concat([head, chunk.subarray(0, 512 - head.length)]);
        md5.update(chunk);
        sha512.update(chunk);
        done(null, chunk);
      },
    });
    const final = this.path(id, staged);
    const temp = `${final}.part`;
    try {
      await pipeline(source, digest, createWriteStream(temp, { mode: 0o600 }));
      await rename(temp, final);
    } catch (e) {
      await rm(temp, { force: true });
      throw e;
    }
    return { size, checksum: md5.digest('hex'), os_hash_algo: 'sha512', os_hash_value: sha512.digest('hex'), head };
  }

  /** Move staged data into the store, digesting it (the import step of glance-direct). */
  async importStaged(id: string): Promise<StoredData> {
    const staged = this.path(id, true);
    const data = await this.write(id, createReadStream(staged));
    await rm(staged, { force: true });
    return data;
  }

  async hasStaged(id: string): Promise<boolean> {
    return (await stat(this.path(id, true)).catch(() => undefined)) !== undefined;
  }

  /** The location Glance reports for data in this store. */
  urlOf(id: string): string {
    return `file://${this.path(id, false)}`;
  }

  read(id: string, range?: { start: number; end: number }): ReadStream {
    return createReadStream(this.path(id, false), range);
  }

  async size(id: string): Promise<number | undefined> {
    return (await stat(this.path(id, false)).catch(() => undefined))?.size;
  }

  async remove(id: string): Promise<void> {
    await Promise.all([rm(this.path(id, false), { force: true }), rm(this.path(id, true), { force: true })]);
  }
}
