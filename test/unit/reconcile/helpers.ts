/** Small shared helpers for the reconcile tests: JSON values, settling, snapshots. */
import type { Informer } from '../../../src/core/reconcile/informer.js';
import type { KeyValue, Store } from '../../../src/core/store/types.js';

const encoder = new TextEncoder();
const decoder = new TextDecoder();

export const encode = (value: unknown): Uint8Array => encoder.encode(JSON.stringify(value));
export const decode = <T>(bytes: Uint8Array): T => JSON.parse(decoder.decode(bytes)) as T;

/** Let promise chains and setImmediate callbacks run; no time passes on any clock. */
export async function turns(n = 10): Promise<void> {
  for (let i = 0; i < n; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}

/** Poll a condition between event-loop turns; fail loudly rather than hang. */
export async function until(cond: () => boolean | Promise<boolean>, what: string, tries = 2000): Promise<void> {
  for (let i = 0; i < tries; i++) {
    if (await cond()) return;
    await turns(1);
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** Every key under prefix with its revision and decoded value, read straight from the store. */
export async function storeState(store: Store, prefix: string): Promise<Record<string, { modRevision: number; value: unknown }>> {
  const out: Record<string, { modRevision: number; value: unknown }> = {};
  const res = await store.range(prefix);
  for (const kv of res.kvs) out[kv.key] = { modRevision: kv.modRevision, value: decode<unknown>(kv.value) };
  return out;
}

/** The informer's cache in the same shape as storeState, for a one-line equality check. */
export function cacheState<T>(informer: Informer<T>): Record<string, { modRevision: number; value: unknown }> {
  const out: Record<string, { modRevision: number; value: unknown }> = {};
  for (const e of informer.entries().sort((a, b) => (a.key < b.key ? -1 : 1))) {
    out[e.key] = { modRevision: e.modRevision, value: e.object };
  }
  return out;
}

export const decodeKv = <T>(value: Uint8Array, _kv: KeyValue): T => decode<T>(value);

/** A store that forwards every call to inner except the ones overridden: for fault injection. */
export function wrapStore(inner: Store, overrides: Partial<Store>): Store {
  const base: Store = {
    get: (key, opts) => inner.get(key, opts),
    range: (prefix, opts) => inner.range(prefix, opts),
    create: (key, value, opts) => inner.create(key, value, opts),
    update: (key, value, rev, opts) => inner.update(key, value, rev, opts),
    delete: (key, opts) => inner.delete(key, opts),
    watch: (prefix, opts) => inner.watch(prefix, opts),
    grantLease: (ttl) => inner.grantLease(ttl),
    keepAlive: (id) => inner.keepAlive(id),
    revokeLease: (id) => inner.revokeLease(id),
    compact: (rev) => inner.compact(rev),
    currentRevision: () => inner.currentRevision(),
    compactedRevision: () => inner.compactedRevision(),
    close: () => inner.close(),
  };
  return { ...base, ...overrides };
}
