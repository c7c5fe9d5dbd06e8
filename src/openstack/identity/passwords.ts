/**
 * Password and secret hashing with scrypt from Node's crypto. The default cost (N = 2^16,
 * r = 8) takes about as long as Keystone's default bcrypt at 12 rounds on this class of
 * machine; it runs on libuv's thread pool, so it never blocks the event loop.
 */
import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

export interface PasswordHasher {
  hash(secret: string): Promise<string>;
  verify(secret: string, encoded: string): Promise<boolean>;
}

function scryptAsync(secret: string, salt: Buffer, keylen: number, opts: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scrypt(secret, salt, keylen, opts, (err, key) => (err ? reject(err) : resolve(key))),
  );
}

export class ScryptHasher implements PasswordHasher {
  constructor(private readonly costExponent = 16) {}

  async hash(secret: string): Promise<string> {
    const N = 2 ** this.costExponent;
    const r = 8;
    const p = 1;
    const salt = randomBytes(16);
    const key = await scryptAsync(secret, salt, 32, { N, r, p, maxmem: 256 * N * r });
    return `scrypt$${N}$${r}$${p}$${salt.toString('base64url')}$${key.toString('base64url')}`;
  }

  async verify(secret: string, encoded: string): Promise<boolean> {
    const parts = encoded.split('$');
    if (parts.length !== 6 || parts[0] !== 'scrypt') return false;
    const [, nS, rS, pS, saltS, keyS] = parts as [string, string, string, string, string, string];
    const N = Number(nS);
    const r = Number(rS);
    const p = Number(pS);
    const expected = Buffer.from(keyS, 'base64url');
    const key = await scryptAsync(secret, Buffer.from(saltS, 'base64url'), expected.length, {
      N,
      r,
      p,
      maxmem: 256 * N * r,
    });
    return key.length === expected.length && timingSafeEqual(key, expected);
  }
}
