/**
 * The newest value of the keys this store wrote lately, kept from the events of its own
 * commits, so that a read at the head — the read an update makes before its
 * compare-and-swap — skips SQLite and hands back the very bytes the watchers got (whose
 * decoded form the Kubernetes registry has already parsed once).
 *
 * Only this store's own writes fill it, in commit order, so it is never behind what this
 * handle committed. A stray second handle's writes are not seen here; compare-and-swap
 * still catches them (the unique index), and a write that lost such a race drops its
 * key from the cache. Bounded by the bytes of the values it holds, oldest first out.
 */
import type { KeyValue, WatchEvent } from './types.js';

/** A deleted key: a read answers "absent" without asking SQLite. */
const gone = null;

export class LatestCache {
  private readonly entries = new Map<string, KeyValue | typeof gone>();
  private bytes = 0;

  constructor(private readonly maxBytes: number) {}

  /** The cached newest value: a KeyValue, `null` for a deleted key, undefined if unknown. */
  get(key: string): KeyValue | null | undefined {
    return this.entries.get(key);
  }

  /** Take in a committed group's events, in revision order. */
  apply(events: readonly WatchEvent[]): void {
    for (const e of events) this.set(e.kv.key, e.type === 'put' ? e.kv : gone);
  }

  /** Forget a key (its write lost a race to another handle). */
  forget(key: string): void {
    const old = this.entries.get(key);
    if (old === undefined) return;
    this.bytes -= sizeOf(key, old);
    this.entries.delete(key);
  }

  private set(key: string, value: KeyValue | typeof gone): void {
    this.forget(key);
    // Map order is insertion order: re-inserting makes this key the newest.
    this.entries.set(key, value);
    this.bytes += sizeOf(key, value);
    if (this.bytes <= this.maxBytes) return;
    for (const [k, v] of this.entries) {
      if (this.bytes <= this.maxBytes * 0.9) break;
      this.entries.delete(k);
      this.bytes -= sizeOf(k, v);
    }
  }
}

function sizeOf(key: string, value: KeyValue | typeof gone): number {
  return key.length * 2 + (value ? value.value.byteLength : 0) + 64;
}
