/** Shared test plumbing for the store: temp directories, byte helpers, watch collection. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MessageChannel } from 'node:worker_threads';
import { SystemClock, type Clock } from '../../../src/core/clock.js';
import { RemoteStore } from '../../../src/core/store/remote-store.js';
import { openSqliteStore } from '../../../src/core/store/sqlite.js';
import { serveStore, type StoreHost } from '../../../src/core/store/store-host.js';
import type { Store, Watch, WatchEvent } from '../../../src/core/store/types.js';

const encoder = new TextEncoder();
const decoder = new TextDecoder();

export const b = (s: string): Uint8Array => encoder.encode(s);
export const s = (bytes: Uint8Array): string => decoder.decode(bytes);

/**
 * How the stores of these tests are reached: inline by default; the store suites run
 * again with KOS_STORE_WRITER=thread (writer on a worker thread, see
 * thread-writer.test.ts) and KOS_STORE_WRITER=remote (every call across a port to an
 * inline store, see remote-store.test.ts).
 */
export const storeMode: 'inline' | 'thread' | 'remote' =
  process.env.KOS_STORE_WRITER === 'thread' ? 'thread' : process.env.KOS_STORE_WRITER === 'remote' ? 'remote' : 'inline';
/** Where the SQLite store itself runs its writes. */
export const writerMode: 'inline' | 'thread' = storeMode === 'thread' ? 'thread' : 'inline';

/** A fresh directory under the OS temp dir, and a way to remove it. */
export function tempDir(): { dir: string; dbPath: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'kos-store-'));
  return { dir, dbPath: join(dir, 'kos.db'), cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * A store over a MessageChannel: the SQLite store served on one port, a RemoteStore on
 * the other. Closing it closes both ends and then the store, as its owner would.
 */
class BridgedStore extends RemoteStore {
  private readonly ports: MessageChannel;
  private readonly host: StoreHost;

  constructor(private readonly served: Store) {
    const ports = new MessageChannel();
    super(ports.port2);
    this.ports = ports;
    this.host = serveStore(served, ports.port1);
    // A port that listens keeps the process alive; the runner must not wait for it.
    ports.port1.unref();
    ports.port2.unref();
  }

  override async close(): Promise<void> {
    await super.close();
    this.host.close();
    await this.served.close();
    this.ports.port1.close();
    this.ports.port2.close();
  }
}

function openStore(dbPath: string, clock: Clock): Store {
  const store = openSqliteStore({ path: dbPath, clock, writer: writerMode });
  return storeMode === 'remote' ? new BridgedStore(store) : store;
}

/** A store in a fresh temp dir; `reopen` closes it and opens the same file again. */
export async function withStore<R>(
  fn: (ctx: { store: Store; dbPath: string; reopen: (clock?: Clock) => Promise<Store> }) => Promise<R>,
  clock: Clock = new SystemClock(),
): Promise<R> {
  const { dbPath, cleanup } = tempDir();
  let store = openStore(dbPath, clock);
  const reopen = async (next: Clock = clock): Promise<Store> => {
    await store.close();
    store = openStore(dbPath, next);
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
