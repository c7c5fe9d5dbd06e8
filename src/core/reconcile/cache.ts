/**
 * The informer's in-memory copy of a key prefix, with secondary indexes ("pods by node",
 * "ports by network") so controllers answer such questions without scanning or reading
 * the store. It only stores; deciding what changed is the informer's job.
 */

export interface CachedObject<T> {
  key: string;
  object: T;
  createRevision: number;
  modRevision: number;
  version: number;
}

/** The values an object is filed under in one index; an object may have none or many. */
export type IndexFunc<T> = (object: T, key: string) => string[];

interface Index<T> {
  fn: IndexFunc<T>;
  /** index value → keys filed under it */
  keys: Map<string, Set<string>>;
  /** key → the values it is filed under, to unfile it without calling fn on the old object */
  values: Map<string, string[]>;
}

export class IndexedCache<T> {
  private readonly items = new Map<string, CachedObject<T>>();
  private readonly indexes = new Map<string, Index<T>>();

  get(key: string): CachedObject<T> | undefined {
    return this.items.get(key);
  }

  get size(): number {
    return this.items.size;
  }

  entries(): CachedObject<T>[] {
    return [...this.items.values()];
  }

  keys(): string[] {
    return [...this.items.keys()];
  }

  /**
   * Insert or replace an entry; returns the previous one. Index values are computed
   * before anything changes, so an index function that throws leaves the cache intact.
   */
  set(entry: CachedObject<T>): CachedObject<T> | undefined {
    const computed = new Map<string, string[]>();
    for (const [name, index] of this.indexes) computed.set(name, unique(index.fn(entry.object, entry.key)));
    const prev = this.items.get(entry.key);
    if (prev) this.unfile(entry.key);
    this.items.set(entry.key, entry);
    for (const [name, values] of computed) {
      const index = this.indexes.get(name);
      if (index) file(index, entry.key, values);
    }
    return prev;
  }

  delete(key: string): CachedObject<T> | undefined {
    const prev = this.items.get(key);
    if (!prev) return undefined;
    this.unfile(key);
    this.items.delete(key);
    return prev;
  }

  /** Add an index; objects already cached are filed at once. Names are unique. */
  addIndex(name: string, fn: IndexFunc<T>): void {
    if (this.indexes.has(name)) throw new Error(`index ${name} already exists`);
    const index: Index<T> = { fn, keys: new Map(), values: new Map() };
    for (const item of this.items.values()) file(index, item.key, unique(fn(item.object, item.key)));
    this.indexes.set(name, index);
  }

  /** Entries filed under value in the named index, in key order. */
  byIndex(name: string, value: string): CachedObject<T>[] {
    const index = this.indexes.get(name);
    // Asking an index that was never added is a programming error, not an empty answer.
    if (!index) throw new Error(`no index named ${name}`);
    const keys = [...(index.keys.get(value) ?? [])].sort();
    const out: CachedObject<T>[] = [];
    for (const k of keys) {
      const item = this.items.get(k);
      if (item) out.push(item);
    }
    return out;
  }

  private unfile(key: string): void {
    for (const index of this.indexes.values()) {
      for (const v of index.values.get(key) ?? []) {
        const set = index.keys.get(v);
        set?.delete(key);
        if (set?.size === 0) index.keys.delete(v);
      }
      index.values.delete(key);
    }
  }
}

function file<T>(index: Index<T>, key: string, values: string[]): void {
  index.values.set(key, values);
  for (const v of values) {
    let set = index.keys.get(v);
    if (!set) {
      set = new Set();
      index.keys.set(v, set);
    }
    set.add(key);
  }
}

function unique(values: string[]): string[] {
  return [...new Set(values)];
}
