/** Shared test plumbing for the store: temp directories, byte helpers, watch collection. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SystemClock, type Clock } from '../../../src/core/clock.js';
import { openSqliteStore } from '../../../src/core/store/sqlite.js';
import type { Store, Watch, WatchEvent } from '../../../src/core/store/types.js';

const encoder = new TextEncoder();
const decoder = new TextDecoder();

export const b = (s: string): Uint8Array => encoder.encode(s);
export const s = (bytes: Uint8Array): string => decoder.decode(bytes);

/**
 * Where the stores of these tests run their writes: inline by default; the store suites
 * run again with KOS_STORE_WRITER=thread (see thread-writer.test.ts).
 */
export const writerMode: 'inline' | 'thread' = process.env.KOS_STORE_WRITER === 'thread' ? 'thread' : 'inline';

/** A fresh directory under the OS temp dir, and a way to remove it. */
export function tempDir(): { dir: string; dbPath: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'kos-store-'));
  return { dir, dbPath: join(dir, 'kos.db'), cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A store in a fresh temp dir; `reopen` closes it and opens the same file again. */
export async function withStore<R>(
  fn: (ctx: { store: Store; dbPath: string; reopen: (clock?: Clock) => Promise<Store> }) => Promise<R>,
  clock: Clock = new SystemClock(),
): Promise<R> {
  const { dbPath, cleanup } = tempDir();
  let store = openSqliteStore({ path: dbPath, clock, writer: writerMode });
  const reopen = async (next: Clock = clock): Promise<Store> => {
    await store.close();
    store = openSqliteStore({ path: dbPath, clock: next, writer: writerMode });
    return store;
  };
  try {
    return await fn({ store, dbPath, reopen });
  } finally {
    await store.close();
    cleanup();
  }
}

/** Read batches until `count` events arrived (or fail after timeoutMs). */
export async function take(watch: Watch, count: number, timeoutMs = 5_000): Promise<WatchEvent[]> {
  const out: WatchEvent[] = [];
  const it = watch[Symbol.asyncIterator]();
  const deadline = Date.now() + timeoutMs;
  while (out.length < count) {
    let timer: NodeJS.Timeout | undefined;
    const next = await Promise.race([
      it.next(),
      new Promise<'timeout'>((resolve) => {
        timer = setTimeout(() => resolve('timeout'), Math.max(0, deadline - Date.now()));
      }),
    ]);
    clearTimeout(timer);
    if (next === 'timeout') throw new Error(`timed out with ${out.length} of ${count} events`);
    if (next.done) break;
    out.push(...next.value);
  }
  return out;
}

/** The error a promise rejects with (fails the test if it resolves). */
export async function rejection(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (e) {
    return e;
  }
  throw new Error('expected a rejection');
}

export async function putMany(store: Store, prefix: string, n: number): Promise<void> {
  for (let i = 0; i < n; i++) await store.create(`${prefix}${String(i).padStart(5, '0')}`, b(`v${i}`));
}

/** The batch of an iterator step; fails if the watch ended instead. */
export function batchOf(step: IteratorResult<WatchEvent[]>): WatchEvent[] {
  if (step.done) throw new Error('watch ended');
  return step.value;
}
