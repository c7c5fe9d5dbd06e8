import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../../src/core/clock.js';
import { silentLogger } from '../../../src/core/log.js';
import { startCompactor } from '../../../src/core/store/compactor.js';
import { openSqliteStore } from '../../../src/core/store/sqlite.js';

const enc = new TextEncoder();

describe('compactor', () => {
  it('compacts to the revision seen one interval earlier', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kos-compactor-'));
    const clock = new VirtualClock();
    const store = openSqliteStore({ path: join(dir, 'db'), clock });
    try {
      const compactor = startCompactor({ store, clock, log: silentLogger(), intervalMs: 1000 });
      const a = await store.create('/k/a', enc.encode('1'));
      const b = await store.update('/k/a', enc.encode('2'), a.modRevision);
      await clock.advance(1000); // first tick remembers the revision, compacts nothing
      expect(await store.compactedRevision()).toBe(0);
      expect(new TextDecoder().decode((await store.get('/k/a', { revision: a.modRevision }))!.value)).toBe('1');
      await store.update('/k/a', enc.encode('3'), b.modRevision);
      await clock.advance(1000); // second tick compacts to what the first saw
      expect(await store.compactedRevision()).toBe(b.modRevision);
      await expect(store.get('/k/a', { revision: a.modRevision })).rejects.toMatchObject({ kind: 'Compacted' });
      expect(new TextDecoder().decode((await store.get('/k/a'))!.value)).toBe('3');
      compactor.stop();
    } finally {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
