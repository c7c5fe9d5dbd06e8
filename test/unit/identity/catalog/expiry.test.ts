import { describe, expect, it } from 'vitest';
import { KosError } from '../../../../src/core/errors.js';
import { expiryMs, parseExpiration, parseIsoTime, withoutZone } from '../../../../src/openstack/identity/delegation/expiry.js';

describe('expiry times', () => {
  it('keeps the microseconds a client sent and normalises to UTC with Z', () => {
    expect(parseIsoTime('2026-03-01T10:20:30.123456')).toBe('2026-03-01T10:20:30.123456Z');
    expect(parseIsoTime('2026-03-01T10:20:30Z')).toBe('2026-03-01T10:20:30.000000Z');
    expect(parseIsoTime('2026-03-01T10:20:30.5+02:00')).toBe('2026-03-01T08:20:30.500000Z');
    expect(parseIsoTime('2026-03-01')).toBe('2026-03-01T00:00:00.000000Z');
  });

  it('rejects what is not a time', () => {
    for (const bad of ['bad.123Z', '2026-13-01T00:00:00', '2026-02-30T00:00:00', 'tomorrow', '']) {
      expect(parseIsoTime(bad)).toBeUndefined();
    }
  });

  it('answers 400 for a malformed or past expiry, as Keystone does', () => {
    const now = Date.UTC(2026, 0, 1);
    expect(() => parseExpiration('bad.123Z', now)).toThrowError(/Timestamp not in expected format/);
    try {
      parseExpiration('2025-12-31T23:59:59', now);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(KosError);
      expect((e as KosError).status).toBe(400);
      expect((e as KosError).message).toMatch(/^The 'expires_at' must not be before now/);
    }
    const ok = parseExpiration('2026-01-01T01:00:00.000001', now);
    expect(expiryMs(ok)).toBe(now + 3_600_000);
    expect(withoutZone(ok)).toBe('2026-01-01T01:00:00.000001');
  });
});
