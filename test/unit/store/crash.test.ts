import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { SystemClock } from '../../../src/core/clock.js';
import { openSqliteStore } from '../../../src/core/store/sqlite.js';
import { s, tempDir } from './helpers.js';

const writer = fileURLToPath(new URL('./fixtures/writer.ts', import.meta.url));
const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));

/**
 * Run the writer, SIGKILL it `afterMs` after its first acknowledged write, and return
 * the complete lines it printed. tsx is loaded into the child itself (`node --import
 * tsx`) rather than through the tsx CLI, which would run the script in a grandchild that
 * the SIGKILL of its parent leaves running.
 */
function runAndKill(dbPath: string, afterMs: number, mode: 'inline' | 'thread'): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', writer, dbPath, mode], {
      cwd: repoRoot,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    let timer: NodeJS.Timeout | undefined;
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      out += chunk;
      timer ??= setTimeout(() => child.kill('SIGKILL'), afterMs);
    });
    child.stderr.on('data', (chunk: Buffer) => {
      err += chunk.toString();
    });
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      if (signal !== 'SIGKILL') reject(new Error(`writer exited with ${code ?? signal}: ${err}`));
      // The last line may have been cut mid-way by the kill: keep complete lines only.
      else resolve(out.split('\n').slice(0, -1));
    });
  });
}

describe('sqlite store: durability', () => {
  // Inline, and with the writes committed on the store's writer thread (as `kos up` runs).
  it.each(['inline', 'thread'] as const)('keeps every acknowledged write when the process is SIGKILLed (%s writer)', async (mode) => {
    const { dbPath, cleanup } = tempDir();
    try {
      const lines = await runAndKill(dbPath, 500, mode);
      const keys = lines.filter((l) => l.startsWith('key ')).map((l) => l.slice(4));
      const counters = lines.filter((l) => l.startsWith('counter ')).map((l) => Number(l.slice(8)));
      // The child really was killed mid-stream, after a good number of writes.
      expect(keys.length).toBeGreaterThan(50);
      const lastCounter = counters[counters.length - 1] ?? -1;

      const store = openSqliteStore({ path: dbPath, clock: new SystemClock() });
      try {
        const stored = new Set((await store.range('/crash/keys/')).kvs.map((kv) => kv.key));
        const missing = keys.filter((k) => !stored.has(k));
        expect(missing).toEqual([]);
        // At most one write (committed, not yet printed) beyond what was acknowledged.
        expect(stored.size - keys.length).toBeLessThanOrEqual(1);
        const counter = await store.get('/crash/counter');
        const value = Number(s(counter?.value ?? new Uint8Array()));
        expect(value === lastCounter || value === lastCounter + 2).toBe(true);
        // The store is writable after the crash.
        await store.create('/crash/after', new Uint8Array([1]));
      } finally {
        await store.close();
      }
    } finally {
      cleanup();
    }
  });
});
