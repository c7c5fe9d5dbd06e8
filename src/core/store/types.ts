/**
 * The store contract: etcd semantics over keys and revisions. Every backend (SQLite now,
 * etcd later) implements Store; nothing of a backend's own types crosses this file.
 *
 * Keys are strings such as `/openstack/identity/projects/<id>` or
 * `/kubernetes/<cluster>/pods/<ns>/<name>`. Values are bytes; typed access lives in
 * `typed.ts`. Every write gets the next store-wide revision.
 */

export interface KeyValue {
  key: string;
  value: Uint8Array;
  /** Revision at which this key was (last) created. */
  createRevision: number;
  /** Revision of the write that produced this value. */
  modRevision: number;
  /** Number of writes since creation, 1 for a fresh key (etcd's version). */
  version: number;
  /** Lease that owns the key, 0 for none. */
  lease: number;
}

export interface RangeOptions {
  /** At most this many keys (0 or absent: no limit). */
  limit?: number;
  /** Opaque token from a previous page; the read continues at that page's revision. */
  continue?: string;
  /** Read the state as of this revision (must not be compacted). */
  revision?: number;
  /** Only count, do not return values. */
  countOnly?: boolean;
}

export interface RangeResult {
  kvs: KeyValue[];
  /** The revision the read was served at. */
  revision: number;
  /** Keys under the prefix at that revision, this page included. */
  count: number;
  /** Present when more keys follow; pass back as `continue`. */
  continue?: string;
}

export interface PutOptions {
  /** Attach the key to a lease: it is deleted when the lease expires or is revoked. */
  lease?: number;
}

export interface DeleteOptions {
  /** Delete only if the key's modRevision is this (compare-and-swap). */
  expectedModRevision?: number;
}

export type WatchEventType = 'put' | 'delete';

export interface WatchEvent {
  type: WatchEventType;
  /** For a put, the new value; for a delete, the key with the last value it had. */
  kv: KeyValue;
  /** The value before this event, if the key existed. */
  prevKv?: KeyValue;
  /** Revision of this event (equal to kv.modRevision for puts). */
  revision: number;
}

export interface WatchOptions {
  /** Deliver every event with a revision greater than this one. */
  afterRevision: number;
  /** Events buffered for a slow consumer before the watch is cut off (default 10 000). */
  maxBuffered?: number;
  /**
   * false: the consumer does not read prevKv (it keeps the previous state itself), so a
   * store may leave it out; a store served to another thread then does not send it.
   * Default true, as etcd's WithPrevKV.
   */
  prevKv?: boolean;
}

/**
 * A watch is an async iterable of batches of events in revision order. It ends with an
 * error: KosError 'Compacted' when `afterRevision` is below the compaction point,
 * 'WatchTooSlow' when the consumer fell more than `maxBuffered` events behind. Consumers
 * answer both by listing again.
 */
export interface Watch extends AsyncIterable<WatchEvent[]> {
  /** Stop the watch; the iterator finishes. */
  close(): void;
}

export interface Lease {
  id: number;
  ttlSeconds: number;
}

export interface Store {
  get(key: string, opts?: { revision?: number }): Promise<KeyValue | undefined>;
  range(prefix: string, opts?: RangeOptions): Promise<RangeResult>;
  /** Fails with 'AlreadyExists' if the key exists. */
  create(key: string, value: Uint8Array, opts?: PutOptions): Promise<KeyValue>;
  /**
   * Replace the value if the key's modRevision equals expectedModRevision. Fails with
   * 'NotFound' if the key is absent and 'Conflict' if it changed meanwhile.
   */
  update(key: string, value: Uint8Array, expectedModRevision: number, opts?: PutOptions): Promise<KeyValue>;
  /** Returns the deleted key's last value; fails 'NotFound' or 'Conflict'. */
  delete(key: string, opts?: DeleteOptions): Promise<KeyValue>;
  watch(prefix: string, opts: WatchOptions): Watch;
  grantLease(ttlSeconds: number): Promise<Lease>;
  /** Extend a lease by its TTL from now; fails 'NotFound' once it has expired. */
  keepAlive(leaseId: number): Promise<Lease>;
  revokeLease(leaseId: number): Promise<void>;
  /** Forget history at and below revision; later reads below it fail 'Compacted'. */
  compact(revision: number): Promise<void>;
  /** The revision of the latest write. */
  currentRevision(): Promise<number>;
  /** The revision below which history is gone (0 before any compaction). */
  compactedRevision(): Promise<number>;
  close(): Promise<void>;
}

/** The end of a prefix range: the smallest key greater than every key with the prefix. */
export function prefixEnd(prefix: string): string {
  return prefix + '\uffff';
}
