/**
 * What a token carries, and its compact binary form. Nothing else about a token exists
 * anywhere: names, roles and the catalog are looked up again at every validation, so a
 * renamed project or a revoked role shows at once.
 *
 * Layout (all integers big-endian):
 *   u8 version | u16 methods bitmask | id user | u8 scope kind [id scope target]
 *   f64 issued_at µs | f64 expires_at µs | u8 audit id count, ids… | u8 flags [id trust] [id app cred]
 * An id is a tag and its bytes: 1 = 32 lower-case hex digits as 16 bytes, 2 = 22-char
 * base64url (an audit id) as 16 bytes, 0 = any other string as u8 length + UTF-8.
 */

export type TokenScope =
  | { kind: 'unscoped' }
  | { kind: 'project'; id: string }
  | { kind: 'domain'; id: string }
  | { kind: 'system' };

export interface TokenPayload {
  userId: string;
  /** Authentication methods, in Keystone's canonical order (see methodOrder). */
  methods: string[];
  scope: TokenScope;
  /** µs since the epoch. */
  issuedAt: number;
  expiresAt: number;
  /** The token's own audit id, then the audit id of the chain it was rescoped from. */
  auditIds: string[];
  trustId?: string;
  appCredId?: string;
}

/** Bit positions of the methods; Keystone lists a token's methods highest bit first. */
const methodBits = ['external', 'password', 'token', 'oauth1', 'mapped', 'application_credential', 'totp', 'openid', 'saml2', 'kerberos'] as const;

export const knownMethods: ReadonlySet<string> = new Set(methodBits);

/** Methods as a token lists them: unique, highest bit first. */
export function methodOrder(methods: Iterable<string>): string[] {
  const set = new Set(methods);
  return [...methodBits].reverse().filter((m) => set.has(m));
}

const VERSION = 1;
const scopeKinds = ['unscoped', 'project', 'domain', 'system'] as const;
const FLAG_TRUST = 1;
const FLAG_APP_CRED = 2;

class Writer {
  private buf = Buffer.alloc(160);
  private at = 0;

  private room(n: number): void {
    if (this.at + n <= this.buf.length) return;
    const bigger = Buffer.alloc(Math.max(this.buf.length * 2, this.at + n));
    this.buf.copy(bigger, 0, 0, this.at);
    this.buf = bigger;
  }

  u8(v: number): void {
    this.room(1);
    this.buf.writeUInt8(v, this.at);
    this.at += 1;
  }

  u16(v: number): void {
    this.room(2);
    this.buf.writeUInt16BE(v, this.at);
    this.at += 2;
  }

  f64(v: number): void {
    this.room(8);
    this.buf.writeDoubleBE(v, this.at);
    this.at += 8;
  }

  bytes(b: Buffer): void {
    this.room(b.length);
    b.copy(this.buf, this.at);
    this.at += b.length;
  }

  id(s: string): void {
    if (/^[0-9a-f]{32}$/.test(s)) {
      this.u8(1);
      this.bytes(Buffer.from(s, 'hex'));
    } else if (s.length === 22 && /^[A-Za-z0-9_-]+$/.test(s) && Buffer.from(s, 'base64url').toString('base64url') === s) {
      this.u8(2);
      this.bytes(Buffer.from(s, 'base64url'));
    } else {
      const utf8 = Buffer.from(s, 'utf8');
      if (utf8.length > 255) throw new Error('identifier too long for a token');
      this.u8(0);
      this.u8(utf8.length);
      this.bytes(utf8);
    }
  }

  done(): Buffer {
    return this.buf.subarray(0, this.at);
  }
}

/** A malformed payload: the caller treats the token as invalid. */
export class PayloadError extends Error {}

class Reader {
  private at = 0;
  constructor(private readonly buf: Buffer) {}

  private need(n: number): void {
    if (this.at + n > this.buf.length) throw new PayloadError('token payload truncated');
  }

  u8(): number {
    this.need(1);
    return this.buf.readUInt8(this.at++);
  }

  u16(): number {
    this.need(2);
    const v = this.buf.readUInt16BE(this.at);
    this.at += 2;
    return v;
  }

  f64(): number {
    this.need(8);
    const v = this.buf.readDoubleBE(this.at);
    this.at += 8;
    return v;
  }

  private take(n: number): Buffer {
    this.need(n);
    const b = this.buf.subarray(this.at, this.at + n);
    this.at += n;
    return b;
  }

  id(): string {
    const tag = this.u8();
    if (tag === 1) return this.take(16).toString('hex');
    if (tag === 2) return this.take(16).toString('base64url');
    if (tag === 0) return this.take(this.u8()).toString('utf8');
    throw new PayloadError(`unknown identifier tag ${tag}`);
  }

  end(): void {
    if (this.at !== this.buf.length) throw new PayloadError('trailing bytes in token payload');
  }
}

export function encodePayload(p: TokenPayload): Buffer {
  const w = new Writer();
  w.u8(VERSION);
  let mask = 0;
  for (const m of p.methods) {
    const bit = methodBits.indexOf(m as (typeof methodBits)[number]);
    if (bit < 0) throw new Error(`unknown authentication method ${m}`);
    mask |= 1 << bit;
  }
  w.u16(mask);
  w.id(p.userId);
  w.u8(scopeKinds.indexOf(p.scope.kind));
  if (p.scope.kind === 'project' || p.scope.kind === 'domain') w.id(p.scope.id);
  w.f64(p.issuedAt);
  w.f64(p.expiresAt);
  w.u8(p.auditIds.length);
  for (const a of p.auditIds) w.id(a);
  w.u8((p.trustId ? FLAG_TRUST : 0) | (p.appCredId ? FLAG_APP_CRED : 0));
  if (p.trustId) w.id(p.trustId);
  if (p.appCredId) w.id(p.appCredId);
  return w.done();
}

export function decodePayload(buf: Buffer): TokenPayload {
  const r = new Reader(buf);
  const version = r.u8();
  if (version !== VERSION) throw new PayloadError(`unknown token payload version ${version}`);
  const mask = r.u16();
  const methods = methodOrder(methodBits.filter((_, bit) => (mask & (1 << bit)) !== 0));
  const userId = r.id();
  const kind = scopeKinds[r.u8()];
  let scope: TokenScope;
  switch (kind) {
    case 'project':
    case 'domain':
      scope = { kind, id: r.id() };
      break;
    case 'unscoped':
    case 'system':
      scope = { kind };
      break;
    default:
      throw new PayloadError('unknown token scope');
  }
  const issuedAt = r.f64();
  const expiresAt = r.f64();
  const auditCount = r.u8();
  const auditIds: string[] = [];
  for (let i = 0; i < auditCount; i++) auditIds.push(r.id());
  const flags = r.u8();
  const payload: TokenPayload = { userId, methods, scope, issuedAt, expiresAt, auditIds };
  if (flags & FLAG_TRUST) payload.trustId = r.id();
  if (flags & FLAG_APP_CRED) payload.appCredId = r.id();
  r.end();
  return payload;
}
