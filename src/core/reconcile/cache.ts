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

/** The keys filed under one index value, with their key-ordered list kept until they change. */
interface Filed {
  keys: Set<string>;
  /** Sorted copy of keys; undefined after a change, rebuilt by the next byIndex. */
  sorted: string[] | undefined;
}

interface Index<T> {
  fn: IndexFunc<T>;
  /** index value → keys filed under it */
  keys: Map<string, Filed>;
  /** key → the values it is filed under, to unfile it without calling fn on the old object */
  values: Map<string, string[]>;
}

export class IndexedCache<T> {
  private readonly items = new Map<string, CachedObject<T>>();
  private readonly indexes = new Map<string, Index<T>>();
  /** The same indexes in the order added, for the per-event loop. */
  private readonly indexList: Index<T>[] = [];

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
    // This runs for every event of a busy informer: a plain array, not a Map per call.
    const indexes = this.indexList;
    const computed: string[][] = new Array<string[]>(indexes.length);
    for (let i = 0; i < indexes.length; i++) computed[i] = unique(indexes[i]!.fn(entry.object, entry.key));
    const prev = this.items.get(entry.key);
    this.items.set(entry.key, entry);
    for (let i = 0; i < indexes.length; i++) {
      const index = indexes[i]!;
      const values = computed[i]!;
      // Most updates (a status write) leave every index value as it was: nothing to refile,
      // and the sorted lists byIndex keeps stay valid.
      const before = index.values.get(entry.key);
      if (before && sameValues(before, values)) continue;
      if (before) unfileFrom(index, entry.key);
      file(index, entry.key, values);
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
    this.indexList.push(index);
  }

  /** Entries filed under value in the named index, in key order. */
  byIndex(name: string, value: string): CachedObject<T>[] {
    const index = this.indexes.get(name);
    // Asking an index that was never added is a programming error, not an empty answer.
    if (!index) throw new Error(`no index named ${name}`);
    const filed = index.keys.get(value);
    if (!filed) return [];
    // Sorting on every call made a lookup in a large namespace O(n log n); the sorted list
    // is kept until a key joins or leaves this value.
    filed.sorted ??= [...filed.keys].sort();
    const keys = filed.sorted;
    const out: CachedObject<T>[] = [];
    for (const k of keys) {
      const item = this.items.get(k);
      if (item) out.push(item);
    }
    return out;
  }

  private unfile(key: string): void {
    for (const index of this.indexes.values()) unfileFrom(index, key);
  }
}

function unfileFrom<T>(index: Index<T>, key: string): void {
  for (const v of index.values.get(key) ?? []) {
    const filed = index.keys.get(v);
    if (!filed) continue;
    filed.keys.delete(key);
    filed.sorted = undefined;
    if (filed.keys.size === 0) index.keys.delete(v);
  }
  index.values.delete(key);
}

function file<T>(index: Index<T>, key: string, values: string[]): void {
  index.values.set(key, values);
  for (const v of values) {
    let filed = index.keys.get(v);
    if (!filed) {
      filed = { keys: new Set(), sorted: undefined };
      index.keys.set(v, filed);
    }
    filed.keys.add(key);
    filed.sorted = undefined;
  }
}

function sameValues(a: string[], b: string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function unique(values: string[]): string[] {
  // Nearly every object is filed under none or one value.
  if (values.length < 2) return values;
  return [...new Set(values)];
}
