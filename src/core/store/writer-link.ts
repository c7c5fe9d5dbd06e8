/**
 * How the store reaches its writer (sqlite-writer.ts). Inline, the writer shares the
 * store's connection and a group commits within the call. On a thread, the writer owns
 * a connection on a worker thread: the inserts, the commit and SQLite's checkpoints then
 * run beside the event loop instead of in it, which on a busy cluster is a sixth of the
 * loop's time. Either way a group is acknowledged only once it has committed.
 */
import { Worker } from 'node:worker_threads';
import { workerEntry } from '../worker-entry.js';
import type { Db, Durability } from './sqlite-schema.js';
import { SqliteWriter, type WriteBatch, type WriteResult } from './sqlite-writer.js';

export interface WriterLink {
  apply(batch: WriteBatch): Promise<WriteResult[]>;
  close(): Promise<void>;
}

/** Messages to the writer thread, and its answers. */
export type ToWriter = { type: 'apply'; seq: number; batch: WriteBatch } | { type: 'close' };
export type FromWriter = { type: 'applied'; seq: number; results: WriteResult[] } | { type: 'failed'; message: string };

export interface WriterThreadData {
  path: string;
  durability: Durability;
}

export function inlineWriter(db: Db): WriterLink {
  const writer = new SqliteWriter(db);
  return {
    apply: (batch) => Promise.resolve(writer.apply(batch)),
    // The connection belongs to the store, which closes it.
    close: () => Promise.resolve(),
  };
}

export function threadWriter(data: WriterThreadData): WriterLink {
  const entry = workerEntry(new URL('./sqlite-writer-thread.ts', import.meta.url), 'sqlite-writer-thread');
  const worker = new Worker(entry.file, { workerData: { ...entry.workerData, ...data } });
  const waiting = new Map<number, { resolve: (r: WriteResult[]) => void; reject: (e: Error) => void }>();
  let seq = 0;
  let failure: Error | undefined;
  const failAll = (error: Error) => {
    failure ??= error;
    for (const w of waiting.values()) w.reject(error);
    waiting.clear();
  };
  worker.on('message', (msg: FromWriter) => {
    if (msg.type === 'applied') {
      const w = waiting.get(msg.seq);
      waiting.delete(msg.seq);
      w?.resolve(msg.results);
    } else if (msg.type === 'failed') {
      failAll(new Error(`store writer failed: ${msg.message}`));
    }
  });
  worker.on('error', (e) => failAll(e));
  worker.on('exit', (code) => failAll(new Error(`store writer exited (code ${code})`)));
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
  return {
    apply(batch) {
      if (failure) return Promise.reject(failure);
      const id = ++seq;
      return new Promise<WriteResult[]>((resolve, reject) => {
        waiting.set(id, { resolve, reject });
        // The values are the store's own copies and not read again here: hand their
        // memory to the writer rather than copy it.
        const transfer: ArrayBuffer[] = [];
        for (const op of batch.ops) if ('value' in op && op.value.byteLength > 0) transfer.push(op.value.buffer as ArrayBuffer);
        worker.postMessage({ type: 'apply', seq: id, batch } satisfies ToWriter, transfer);
      });
    },
    async close() {
      if (!failure) worker.postMessage({ type: 'close' } satisfies ToWriter);
      await exited;
    },
  };
}
