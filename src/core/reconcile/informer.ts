/**
 * An informer keeps an in-memory, indexed copy of everything under a key prefix: it lists
 * the prefix (in pages, all at one revision), then watches from that revision. When the
 * watch ends with 'Compacted' or 'WatchTooSlow' it lists again and tells its handlers
 * what changed while it was not looking, as if it had seen every event — so a controller
 * that only enqueues keys from handlers never misses an object.
 *
 * Handlers run synchronously inside the informer loop; they should only enqueue keys.
 */
import type { Clock } from '../clock.js';
import { isKosError, KosError } from '../errors.js';
import { silentLogger, type Logger } from '../log.js';
import type { KeyValue, RangeOptions, Store, Watch, WatchEvent } from '../store/types.js';
import { IndexedCache, type CachedObject, type IndexFunc } from './cache.js';
import { sleepUnlessAborted, unlessAborted } from './cancel.js';

export type { CachedObject, IndexFunc } from './cache.js';

export interface InformerOptions<T> {
  store: Store;
  /** Every key starting with this is cached. */
  prefix: string;
  /**
   * Bytes to object. A value that fails to decode is logged and treated as absent.
   * `previous` is the key's cached object: a decoder may hand it back when the new value
   * means the same to it, so the cache keeps the object it already has.
   */
  decode: (value: Uint8Array, kv: KeyValue, previous: T | undefined) => T;
  clock: Clock;
  logger?: Logger;
  /** Keys per range page while listing (default 500). */
  pageSize?: number;
  /** Wait before listing again after an unexpected store error (default 1 s). */
  retryMs?: number;
  /** Passed to the store watch: how far behind the informer may fall. */
  maxBuffered?: number;
  /** Cache only some of the prefix's objects (see InformerSelection). */
  select?: InformerSelection<T>;
}

/**
 * Which objects an informer caches, as a field selector does for a watch: any other is
 * to it as if absent, and an object that stops matching is a delete. The bytes are asked
 * first, so that most values it does not want are never decoded.
 */
export interface InformerSelection<T> {
  /** False only for a value that cannot match; true may still be refused by `object`. */
  bytes(value: Uint8Array): boolean;
  object(object: T): boolean;
}

export interface InformerHandler<T> {
  onAdd?(key: string, object: T): void;
  onUpdate?(key: string, oldObject: T, newObject: T): void;
  onDelete?(key: string, lastObject: T): void;
}

export class Informer<T> {
  readonly prefix: string;
  private readonly store: Store;
  private readonly decode: (value: Uint8Array, kv: KeyValue, previous: T | undefined) => T;
  private readonly clock: Clock;
  private readonly log: Logger;
  private readonly pageSize: number;
  private readonly retryMs: number;
  private readonly maxBuffered: number | undefined;
  private readonly select: InformerSelection<T> | undefined;
  private readonly cache = new IndexedCache<T>();
  private readonly handlers = new Set<InformerHandler<T>>();
  private synced = false;
  private syncWaiters: { resolve: () => void; reject: (e: Error) => void }[] = [];
  private revision = 0;
  private relists = 0;
  private abort: AbortController | undefined;
  private watch: Watch | undefined;
  private loop: Promise<void> | undefined;

  constructor(opts: InformerOptions<T>) {
    this.store = opts.store;
    this.prefix = opts.prefix;
    this.decode = opts.decode;
    this.clock = opts.clock;
    this.log = (opts.logger ?? silentLogger()).child({ component: 'informer', prefix: opts.prefix });
    this.pageSize = opts.pageSize ?? 500;
    this.retryMs = opts.retryMs ?? 1000;
    this.maxBuffered = opts.maxBuffered;
    this.select = opts.select;
  }

  /** Begin listing and watching in the background. Starting a running informer is a no-op. */
  start(): void {
    if (this.abort) return;
    const abort = new AbortController();
    this.abort = abort;
    this.loop = this.run(abort.signal);
  }

  /** Stop watching and wait for the loop to finish. The cache keeps its last contents. */
  async stop(): Promise<void> {
    const abort = this.abort;
    if (!abort) return;
    abort.abort();
    this.watch?.close();
    await this.loop;
    this.abort = undefined;
    this.loop = undefined;
    if (!this.synced) {
      const waiters = this.syncWaiters.splice(0);
      for (const w of waiters) w.reject(new KosError('Unavailable', `informer ${this.prefix} stopped before it synced`));
    }
  }

  /** True once the first full list has been loaded. */
  hasSynced(): boolean {
    return this.synced;
  }

  waitForSync(): Promise<void> {
    if (this.synced) return Promise.resolve();
    return new Promise((resolve, reject) => this.syncWaiters.push({ resolve, reject }));
  }

  /** The store revision the cache reflects: the last list, or the last event seen since. */
  lastRevision(): number {
    return this.revision;
  }

  /** Times the informer listed the prefix (the first list included). */
  listCount(): number {
    return this.relists;
  }

  get(key: string): T | undefined {
    return this.cache.get(key)?.object;
  }

  /** The cached object with its store metadata (revisions for resourceVersion, CAS). */
  getEntry(key: string): CachedObject<T> | undefined {
    return this.cache.get(key);
  }

  size(): number {
    return this.cache.size;
  }

  list(): T[] {
    return this.cache.entries().map((e) => e.object);
  }

  entries(): CachedObject<T>[] {
    return this.cache.entries();
  }

  keys(): string[] {
    return this.cache.keys();
  }

  addIndex(name: string, fn: IndexFunc<T>): void {
    this.cache.addIndex(name, fn);
  }

  byIndex(name: string, value: string): T[] {
    return this.cache.byIndex(name, value).map((e) => e.object);
  }

  /** Keys filed under value in the named index: what a controller enqueues. */
  keysByIndex(name: string, value: string): string[] {
    return this.cache.byIndex(name, value).map((e) => e.key);
  }

  /**
   * Register handlers; the returned function removes them. Objects already cached are
   * replayed as adds, so a controller started late (a new leader) still sees them all.
   */
  addHandler(handler: InformerHandler<T>): () => void {
    this.handlers.add(handler);
    if (this.synced) {
      for (const e of this.cache.entries()) this.call(handler, (h) => h.onAdd?.(e.key, e.object));
    }
    return () => {
      this.handlers.delete(handler);
    };
  }

  private async run(signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      try {
        const listed = await this.listAll(signal);
        if (!listed || signal.aborted) return;
        this.replace(listed.kvs, listed.revision);
        this.markSynced();
        await this.watchFrom(listed.revision, signal);
        if (signal.aborted) return;
        // Only close() ends a watch quietly; if we did not close it, the store went away.
        this.log.warn('watch ended unexpectedly; listing again');
        await sleepUnlessAborted(this.clock, this.retryMs, signal);
      } catch (err) {
        if (signal.aborted) return;
        if (isKosError(err) && (err.kind === 'Compacted' || err.kind === 'WatchTooSlow')) {
          // Both mean the events we missed are gone: the only way back is a fresh list.
          this.log.info({ reason: err.kind }, 'watch lost; listing again');
          continue;
        }
        this.log.warn({ err }, 'list/watch failed; retrying');
        await sleepUnlessAborted(this.clock, this.retryMs, signal);
      }
    }
  }

  /**
   * Read every key under the prefix at one revision, page by page; undefined if stopped
   * meanwhile (a store call that hangs must not hang stop()).
   */
  private async listAll(signal: AbortSignal): Promise<{ kvs: KeyValue[]; revision: number } | undefined> {
    this.relists++;
    const kvs: KeyValue[] = [];
    let cont: string | undefined;
    let revision: number | undefined;
    do {
      // Continuation pages are served at the first page's revision: one consistent snapshot.
      const opts: RangeOptions = cont === undefined ? { limit: this.pageSize } : { limit: this.pageSize, continue: cont };
      const read = await unlessAborted(this.store.range(this.prefix, opts), signal);
      if (!read) return undefined;
      revision ??= read.value.revision;
      kvs.push(...read.value.kvs);
      cont = read.value.continue;
    } while (cont !== undefined);
    return { kvs, revision };
  }

  private async watchFrom(revision: number, signal: AbortSignal): Promise<void> {
    const watch = this.store.watch(this.prefix, {
      afterRevision: revision,
      // The cache holds the previous state of every key.
      prevKv: false,
      ...(this.maxBuffered !== undefined ? { maxBuffered: this.maxBuffered } : {}),
    });
    this.watch = watch;
    try {
      if (signal.aborted) return;
      for await (const batch of watch) {
        for (const ev of batch) this.applyEvent(ev);
        const last = batch.at(-1);
        if (last) this.revision = Math.max(this.revision, last.revision);
      }
    } finally {
      watch.close();
      if (this.watch === watch) this.watch = undefined;
    }
  }

  /**
   * Make the cache equal to a fresh list, announcing the difference: keys gone are
   * deletes, new keys adds, keys whose revision moved updates.
   */
  private replace(kvs: KeyValue[], revision: number): void {
    const present = new Set(kvs.map((kv) => kv.key));
    for (const key of this.cache.keys()) {
      if (!present.has(key)) this.remove(key);
    }
    for (const kv of kvs) this.upsert(kv);
    this.revision = revision;
  }

  private applyEvent(ev: WatchEvent): void {
    if (ev.type === 'put') {
      this.upsert(ev.kv);
      return;
    }
    const cached = this.cache.get(ev.kv.key);
    // A delete older than what we hold is a replay from before our list; ignore it.
    if (cached && cached.modRevision <= ev.revision) this.remove(ev.kv.key);
  }

  private upsert(kv: KeyValue): void {
    const old = this.cache.get(kv.key);
    // Same revision: nothing changed (a relist). Older: a replayed event we already have.
    if (old && old.modRevision >= kv.modRevision) return;
    const select = this.select;
    if (select && !select.bytes(kv.value)) {
      if (old) this.remove(kv.key);
      return;
    }
    let entry: CachedObject<T>;
    try {
      const object = this.decode(kv.value, kv, old?.createRevision === kv.createRevision ? old.object : undefined);
      if (select && !select.object(object)) {
        if (old) this.remove(kv.key);
        return;
      }
      entry = { key: kv.key, object, createRevision: kv.createRevision, modRevision: kv.modRevision, version: kv.version };
      this.cache.set(entry);
    } catch (err) {
      // An object we cannot read is, to controllers, an object that is not there.
      this.log.error({ err, key: kv.key, modRevision: kv.modRevision }, 'cannot decode or index value; treating as absent');
      if (old) this.remove(kv.key);
      return;
    }
    if (!old) {
      this.emit((h) => h.onAdd?.(kv.key, entry.object));
    } else if (old.createRevision !== kv.createRevision) {
      // Deleted and created again while we were not watching: a different object.
      this.emit((h) => h.onDelete?.(kv.key, old.object));
      this.emit((h) => h.onAdd?.(kv.key, entry.object));
    } else {
      this.emit((h) => h.onUpdate?.(kv.key, old.object, entry.object));
    }
  }

  private remove(key: string): void {
    const old = this.cache.delete(key);
    if (old) this.emit((h) => h.onDelete?.(key, old.object));
  }

  private markSynced(): void {
    if (this.synced) return;
    this.synced = true;
    const waiters = this.syncWaiters.splice(0);
    for (const w of waiters) w.resolve();
  }

  private emit(fn: (h: InformerHandler<T>) => void): void {
    for (const h of [...this.handlers]) this.call(h, fn);
  }

  private call(h: InformerHandler<T>, fn: (h: InformerHandler<T>) => void): void {
    try {
      fn(h);
    } catch (err) {
      // One faulty handler must not stop the cache or starve the other handlers.
      this.log.error({ err }, 'informer handler threw');
    }
  }
}
