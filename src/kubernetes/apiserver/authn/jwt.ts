/**
 * Compact JWS (JWT) signing and verification over node:crypto, for the two algorithms
 * the real API server signs service account tokens with: ES256 (P-256, the signature as
 * r||s, not DER) and RS256. Only what service account tokens need; no `none`, no HMAC.
 */
import { createHash, sign, verify, type KeyObject } from 'node:crypto';

export type JwtAlgorithm = 'ES256' | 'RS256';

export interface JwtVerificationKey {
  alg: JwtAlgorithm;
  /** Key id in the header, so verifiers pick the right key after a rotation. */
  kid: string;
  publicKey: KeyObject;
}

export interface JwtSigningKey extends JwtVerificationKey {
  privateKey: KeyObject;
}

export interface DecodedJwt {
  header: Record<string, unknown>;
  claims: Record<string, unknown>;
}

export class JwtError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'JwtError';
  }
}

const b64url = (data: Buffer | string): string => Buffer.from(data).toString('base64url');

const signOptions = (key: KeyObject, alg: JwtAlgorithm) => (alg === 'ES256' ? { key, dsaEncoding: 'ieee-p1363' as const } : key);

/** The key id the real server derives: base64url(SHA-256(DER SubjectPublicKeyInfo)). */
export function keyIdOf(publicKey: KeyObject): string {
  return createHash('sha256').update(publicKey.export({ type: 'spki', format: 'der' })).digest('base64url');
}

export function signJwt(key: JwtSigningKey, claims: Record<string, unknown>): string {
  const header = b64url(JSON.stringify({ alg: key.alg, kid: key.kid }));
  const payload = b64url(JSON.stringify(claims));
  const input = `${header}.${payload}`;
  const signature = sign('sha256', Buffer.from(input), signOptions(key.privateKey, key.alg));
  return `${input}.${b64url(signature)}`;
}

const jsonPart = (part: string): Record<string, unknown> | undefined => {
  try {
    const v = JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as unknown;
    return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
};

/** Header and claims without checking anything; undefined when the string is no JWT at all. */
export function decodeJwt(token: string): DecodedJwt | undefined {
  const parts = token.split('.');
  if (parts.length !== 3 || parts.some((p) => !/^[A-Za-z0-9_-]*$/.test(p))) return undefined;
  const header = jsonPart(parts[0]!);
  const claims = jsonPart(parts[1]!);
  return header && claims ? { header, claims } : undefined;
}

/** Check the signature against the key the header names (or any key of its algorithm). */
export function verifyJwtSignature(token: string, keys: readonly JwtVerificationKey[]): DecodedJwt {
  const decoded = decodeJwt(token);
  if (!decoded) throw new JwtError('malformed token');
  const { alg, kid } = decoded.header;
  const candidates = keys.filter((k) => k.alg === alg && (kid === undefined || k.kid === kid));
  if (candidates.length === 0) throw new JwtError(`no key for algorithm ${String(alg)}${kid === undefined ? '' : ` and key id ${String(kid)}`}`);
  const lastDot = token.lastIndexOf('.');
  const input = Buffer.from(token.slice(0, lastDot));
  const signature = Buffer.from(token.slice(lastDot + 1), 'base64url');
  const ok = candidates.some((k) => verify('sha256', input, signOptions(k.publicKey, k.alg), signature));
  if (!ok) throw new JwtError('invalid signature');
  return decoded;
}
