/**
 * Sealing a payload into a token string and opening it again: AES-256-GCM with a random
 * 96-bit nonce, the header authenticated as associated data, base64url on the wire.
 *
 *   token = base64url( u8 format | u32 key fingerprint | nonce[12] | ciphertext | tag[16] )
 *
 * The fingerprint picks the key in one lookup; any change to any byte fails the tag check.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { KeyRepository } from './keys.js';

const FORMAT = 0x4b; // 'K'
const HEADER = 5;
const NONCE = 12;
const TAG = 16;

export function seal(keys: KeyRepository, plaintext: Buffer): string {
  const key = keys.primary();
  const header = Buffer.alloc(HEADER);
  header.writeUInt8(FORMAT, 0);
  header.writeUInt32BE(key.fingerprint, 1);
  const nonce = randomBytes(NONCE);
  const cipher = createCipheriv('aes-256-gcm', key.secret, nonce);
  cipher.setAAD(header);
  const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return Buffer.concat([header, nonce, body, cipher.getAuthTag()]).toString('base64url');
}

/** The plaintext, or undefined when the token is malformed, tampered with, or its key is gone. */
export function open(keys: KeyRepository, token: string): Buffer | undefined {
  if (token.length < 40 || token.length > 2048 || !/^[A-Za-z0-9_-]+$/.test(token)) return undefined;
  const raw = Buffer.from(token, 'base64url');
  if (raw.length < HEADER + NONCE + TAG + 1 || raw.readUInt8(0) !== FORMAT) return undefined;
  const key = keys.find(raw.readUInt32BE(1));
  if (!key) return undefined;
  const header = raw.subarray(0, HEADER);
  const nonce = raw.subarray(HEADER, HEADER + NONCE);
  const tag = raw.subarray(raw.length - TAG);
  const body = raw.subarray(HEADER + NONCE, raw.length - TAG);
  try {
    const decipher = createDecipheriv('aes-256-gcm', key.secret, nonce);
    decipher.setAAD(header);
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(body), decipher.final()]);
  } catch {
    return undefined;
  }
}
