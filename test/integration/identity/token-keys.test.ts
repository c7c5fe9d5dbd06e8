/**
 * Rotating the key repository on disk (`kos token-keys rotate`) reaches a running kos:
 * old tokens keep validating while their key is held, and stop once rotation drops it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rotateTokenKeys } from '../../../src/cli/token-keys.js';
import { issueToken, startTestKos } from '../../support/kos.js';

type Kos = Awaited<ReturnType<typeof startTestKos>>;

const settle = () => new Promise((r) => setTimeout(r, 300));

describe('token key rotation on disk', () => {
  let kos: Kos;
  beforeAll(async () => {
    kos = await startTestKos();
  });
  afterAll(async () => kos.cleanup());

  it('keeps old tokens until their key is dropped, and issues with the new primary', async () => {
    const validate = async (subject: string, caller: string) =>
      (await fetch(`${kos.authUrl}/auth/tokens`, { headers: { 'x-auth-token': caller, 'x-subject-token': subject } })).status;
    const before = await issueToken(kos.authUrl, 'admin', kos.adminPassword, 'admin');

    const out = process.stdout.write;
    process.stdout.write = () => true;
    try {
      rotateTokenKeys({ dataDir: kos.config.dataDir });
      await settle();
      const after = await issueToken(kos.authUrl, 'admin', kos.adminPassword, 'admin');
      // The first four bytes after the version byte carry the key's fingerprint.
      expect(Buffer.from(after, 'base64url').subarray(0, 5)).not.toEqual(Buffer.from(before, 'base64url').subarray(0, 5));
      expect(await validate(before, after)).toBe(200);

      // Three keys are kept: two more rotations drop the key `before` was sealed with.
      rotateTokenKeys({ dataDir: kos.config.dataDir });
      rotateTokenKeys({ dataDir: kos.config.dataDir });
      await settle();
      const fresh = await issueToken(kos.authUrl, 'admin', kos.adminPassword, 'admin');
      expect(await validate(before, fresh)).toBe(404);
      expect(await validate(fresh, fresh)).toBe(200);
    } finally {
      process.stdout.write = out;
    }
  });
});
