import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ensureClusterPki } from '../../../../src/kubernetes/pki/index.js';

describe('ensureClusterPki', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });
  const tempDir = (): string => {
    const d = mkdtempSync(join(tmpdir(), 'kos-pki-'));
    dirs.push(d);
    return d;
  };

  it('keeps the serving certificate across restarts on the same hosts', async () => {
    const dataDir = tempDir();
    const first = await ensureClusterPki({ dataDir, cluster: 'c', hosts: ['127.0.0.1'] });
    const again = await ensureClusterPki({ dataDir, cluster: 'c', hosts: ['127.0.0.1'] });
    expect(again.serving).toEqual(first.serving);
    expect(again.admin).toEqual(first.admin);
    expect(again.caPem).toBe(first.caPem);
  });

  it('issues a new serving certificate when the hosts change', async () => {
    const dataDir = tempDir();
    const first = await ensureClusterPki({ dataDir, cluster: 'c', hosts: ['127.0.0.1'] });
    const moved = await ensureClusterPki({ dataDir, cluster: 'c', hosts: ['10.1.2.3', 'kos.example'] });
    expect(moved.serving.certPem).not.toBe(first.serving.certPem);
    const back = await ensureClusterPki({ dataDir, cluster: 'c', hosts: ['10.1.2.3', 'kos.example'] });
    expect(back.serving).toEqual(moved.serving);
  });
});
