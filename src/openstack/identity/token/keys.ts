/**
 * The token key repository, laid out like `keystone-manage fernet_setup` leaves it: one
 * file per key in `keyDir`, named by a number. `0` is the staged key, the highest number
 * is the primary key (every new token is encrypted with it), and the numbers between are
 * secondary keys (still accepted, never used to encrypt). Staged and secondary keys are
 * accepted so that tokens minted before a rotation — or by a peer that rotated first —
 * keep validating.
 *
 * Rotation (`rotate()`; `kos` exposes it as a command): the staged key becomes the new
 * primary under the next number, a fresh staged key is written, and the oldest secondary
 * keys are removed until at most `maxActiveKeys` remain (staged and primary included).
 * A token encrypted with a removed key stops validating; with the defaults (3 keys,
 * rotation less often than the token lifetime) no live token is lost.
 *
 * Files are 0600 in a 0700 directory and written atomically (temp file + rename).
 */
import { createHash, randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, watch, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const KEY_BYTES = 32;

export interface TokenKey {
  /** The key's number in the repository: 0 staged, highest primary. */
  index: number;
  secret: Buffer;
  /** First 4 bytes of SHA-256(secret): written into each token so decryption needs no search. */
  fingerprint: number;
}

export interface KeyRepositoryOptions {
  dir: string;
  /** Keys kept by rotation, staged and primary included (Keystone's max_active_keys). */
  maxActiveKeys?: number;
}

const fingerprintOf = (secret: Buffer): number => createHash('sha256').update(secret).digest().readUInt32BE(0);

export class KeyRepository {
  private keys: TokenKey[] = [];
  private readonly byFingerprint = new Map<number, TokenKey>();
  readonly maxActiveKeys: number;

  constructor(private readonly opts: KeyRepositoryOptions) {
    this.maxActiveKeys = Math.max(2, opts.maxActiveKeys ?? 3);
  }

  get dir(): string {
    return this.opts.dir;
  }

  /** Read the repository, creating it (a staged and a primary key) when empty. */
  load(): void {
    mkdirSync(this.opts.dir, { recursive: true, mode: 0o700 });
    chmodSync(this.opts.dir, 0o700);
    this.readAll();
    if (!this.keys.some((k) => k.index === 0)) this.writeKey(0, randomBytes(KEY_BYTES));
    if (!this.keys.some((k) => k.index > 0)) this.writeKey(1, randomBytes(KEY_BYTES));
    this.readAll();
  }

  /**
   * Re-read the repository whenever its files change, so `kos token-keys rotate` (or a
   * peer sharing the directory) takes effect in a running kos without a restart. The
   * watcher never keeps the process alive.
   */
  watch(onChange: (indexes: number[]) => void = () => {}): { close(): void } {
    let pending: NodeJS.Timeout | undefined;
    const watcher = watch(this.opts.dir, { persistent: false }, () => {
      // A rotation writes several files; read once they have all landed.
      clearTimeout(pending);
      pending = setTimeout(() => {
        try {
          this.readAll();
          onChange(this.indexes());
        } catch {
          /* a half-written repository: the next event reads it again */
        }
      }, 50);
      pending.unref();
    });
    return { close: () => watcher.close() };
  }

  /** The key new tokens are encrypted with. */
  primary(): TokenKey {
    const top = this.keys[this.keys.length - 1];
    if (!top || top.index === 0) throw new Error('token key repository has no primary key');
    return top;
  }

  /** An accepted key by its fingerprint (staged, primary or secondary). */
  find(fingerprint: number): TokenKey | undefined {
    return this.byFingerprint.get(fingerprint);
  }

  /** Key numbers, ascending (0 is staged, the last is primary). */
  indexes(): number[] {
    return this.keys.map((k) => k.index);
  }

  /** Promote the staged key, stage a new one, drop the oldest secondaries. Returns the new primary's number. */
  rotate(): number {
    this.readAll();
    const staged = this.keys.find((k) => k.index === 0);
    const next = (this.keys[this.keys.length - 1]?.index ?? 0) + 1;
    this.writeKey(next, staged ? staged.secret : randomBytes(KEY_BYTES));
    this.writeKey(0, randomBytes(KEY_BYTES));
    this.readAll();
    const secondaries = this.keys.filter((k) => k.index !== 0 && k.index !== next);
    const excess = this.keys.length - this.maxActiveKeys;
    for (const old of secondaries.slice(0, Math.max(0, excess))) rmSync(join(this.opts.dir, String(old.index)));
    this.readAll();
    return next;
  }

  private readAll(): void {
    const keys: TokenKey[] = [];
    for (const name of readdirSync(this.opts.dir)) {
      if (!/^\d+$/.test(name)) continue;
      const secret = Buffer.from(readFileSync(join(this.opts.dir, name), 'utf8').trim(), 'base64url');
      if (secret.length !== KEY_BYTES) throw new Error(`token key ${join(this.opts.dir, name)} is not a ${KEY_BYTES}-byte key`);
      keys.push({ index: Number(name), secret, fingerprint: fingerprintOf(secret) });
    }
    keys.sort((a, b) => a.index - b.index);
    this.keys = keys;
    this.byFingerprint.clear();
    for (const k of keys) this.byFingerprint.set(k.fingerprint, k);
  }

  private writeKey(index: number, secret: Buffer): void {
    const file = join(this.opts.dir, String(index));
    const tmp = `${file}.tmp`;
    writeFileSync(tmp, secret.toString('base64url'), { mode: 0o600 });
    chmodSync(tmp, 0o600);
    renameSync(tmp, file);
  }
}
