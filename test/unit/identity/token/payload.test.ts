import { describe, expect, it } from 'vitest';
import { mkdtempSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodePayload, encodePayload, methodOrder, type TokenPayload } from '../../../../src/openstack/identity/token/payload.js';
import { KeyRepository } from '../../../../src/openstack/identity/token/keys.js';
import { open, seal } from '../../../../src/openstack/identity/token/sealer.js';
import { isoFromMicros, microsFromIso } from '../../../../src/openstack/identity/token/micros.js';

const sample: TokenPayload = {
  userId: '0123456789abcdef0123456789abcdef',
  methods: ['token', 'password'],
  scope: { kind: 'project', id: 'fedcba9876543210fedcba9876543210' },
  issuedAt: 1_767_225_600_123_456,
  expiresAt: 1_767_229_200_123_456,
  auditIds: ['mclQh-TX0j1VvZMJoZwItw', 'AAAAAAAAAAAAAAAAAAAAAA'],
  appCredId: 'not-a-hex-id',
};

function keys(): KeyRepository {
  const repo = new KeyRepository({ dir: join(mkdtempSync(join(tmpdir(), 'kos-k-')), 'keys') });
  repo.load();
  return repo;
}

describe('token payload', () => {
  it('round-trips every field, non-hex ids included', () => {
    expect(decodePayload(encodePayload(sample))).toEqual(sample);
    const domainScoped: TokenPayload = { ...sample, scope: { kind: 'domain', id: 'default' }, trustId: 'abc' };
    delete domainScoped.appCredId;
    expect(decodePayload(encodePayload(domainScoped))).toEqual(domainScoped);
    const system: TokenPayload = { ...sample, scope: { kind: 'system' }, auditIds: ['x'] };
    expect(decodePayload(encodePayload(system))).toEqual(system);
  });

  it('is compact: hex ids and audit ids take 16 bytes', () => {
    const p = { ...sample };
    delete p.appCredId;
    expect(encodePayload(p).length).toBeLessThan(100);
  });

  it('lists methods highest bit first, as Keystone does', () => {
    expect(methodOrder(['password', 'token', 'password'])).toEqual(['token', 'password']);
    expect(methodOrder(['password', 'application_credential'])).toEqual(['application_credential', 'password']);
  });

  it('formats and parses microsecond times', () => {
    expect(isoFromMicros(1_767_225_600_123_456)).toBe('2026-01-01T00:00:00.123456Z');
    expect(microsFromIso('2026-01-01T00:00:00.123456Z')).toBe(1_767_225_600_123_456);
    expect(microsFromIso('2026-01-01T00:00:00')).toBe(1_767_225_600_000_000);
    expect(microsFromIso('2026-01-01T01:00:00+01:00')).toBe(1_767_225_600_000_000);
    expect(microsFromIso('yesterday')).toBeUndefined();
  });
});

describe('sealed tokens', () => {
  it('open what was sealed and refuse any tampering', () => {
    const k = keys();
    const token = seal(k, encodePayload(sample));
    expect(token).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodePayload(open(k, token)!)).toEqual(sample);
    const raw = Buffer.from(token, 'base64url');
    for (const at of [0, 3, 10, raw.length - 20, raw.length - 1]) {
      const bad = Buffer.from(raw);
      bad[at] = bad[at]! ^ 0x01;
      expect(open(k, bad.toString('base64url'))).toBeUndefined();
    }
    expect(open(k, token.slice(0, -4))).toBeUndefined();
    expect(open(k, 'not a token')).toBeUndefined();
  });

  it('are not readable with another repository’s keys', () => {
    const token = seal(keys(), encodePayload(sample));
    expect(open(keys(), token)).toBeUndefined();
  });

  it('survive rotations until their key is dropped', () => {
    const k = keys();
    const token = seal(k, encodePayload(sample));
    expect(k.indexes()).toEqual([0, 1]);
    k.rotate();
    expect(k.indexes()).toEqual([0, 1, 2]);
    expect(open(k, token)).toBeDefined();
    k.rotate();
    // max 3 keys: staged 0, primary 3, secondary 2 — key 1 is gone.
    expect(k.indexes()).toEqual([0, 2, 3]);
    expect(open(k, token)).toBeUndefined();
  });

  it('keep key files private', () => {
    const k = keys();
    const dir = k.dir;
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    for (const f of readdirSync(dir)) expect(statSync(join(dir, f)).mode & 0o777).toBe(0o600);
  });
});
