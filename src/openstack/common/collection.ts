/**
 * A write-through cache of one kind of object: loaded from the store at start, every
 * write goes to the store first and to memory after it is acknowledged. Reads never touch
 * the store, which keeps hot paths (token validation, policy checks) in memory.
 *
 * Correct while one kos process owns the data dir (the CLI enforces that). A split
 * deployment replaces the load with an informer over the same prefix.
 */
import { KosError } from '../../core/errors.js';
import type { Store } from '../../core/store/types.js';

const encoder = new TextEncoder();
const decoder = new TextDecoder();

export interface Identified {
  id: string;
}

interface Entry<T> {
  object: T;
  modRevision: number;
}

export class Collection<T extends Identified> {
  private readonly items = new Map<string, Entry<T>>();
  private readonly indexes = new Map<string, { fn: (o: T) => string[]; map: Map<string, Set<string>> }>();
  /** Bumped on every change: caches derived from this collection compare it. */
  generation = 0;

  constructor(
    private readonly store: Store,
    readonly prefix: string,
    readonly noun: string,
  ) {}

  key(id: string): string {
    return `${this.prefix}${id}`;
  }

  /** Read everything under the prefix into memory. */
  async load(): Promise<void> {
    this.items.clear();
    for (const idx of this.indexes.values()) idx.map.clear();
    let cont: string | undefined;
    do {
      const page = await this.store.range(this.prefix, { limit: 1000, ...(cont ? { continue: cont } : {}) });
      for (const kv of page.kvs) {
        const object = JSON.parse(decoder.decode(kv.value)) as T;
        this.remember(object, kv.modRevision);
      }
      cont = page.continue;
    } while (cont);
    this.generation++;
  }

  /** Maintain a secondary index: `fn` gives the index values of an object. */
  addIndex(name: string, fn: (o: T) => string[]): void {
    const map = new Map<string, Set<string>>();
    this.indexes.set(name, { fn, map });
    for (const { object } of this.items.values()) this.indexAdd(name, object);
  }

  get(id: string): T | undefined {
    return this.items.get(id)?.object;
  }

  /** The object, or NotFound with Keystone's wording ("Could not find project: x."). */
  require(id: string): T {
    const found = this.get(id);
    if (!found) throw new KosError('NotFound', `Could not find ${this.noun}: ${id}.`);
    return found;
  }

  has(id: string): boolean {
    return this.items.has(id);
  }

  list(filter?: (o: T) => boolean): T[] {
    const out: T[] = [];
    for (const { object } of this.items.values()) if (!filter || filter(object)) out.push(object);
    return out;
  }

  byIndex(name: string, value: string): T[] {
    const idx = this.indexes.get(name);
    if (!idx) throw new Error(`no index ${name} on ${this.noun}`);
    const ids = idx.map.get(value);
    if (!ids) return [];
    const out: T[] = [];
    for (const id of ids) {
      const o = this.items.get(id)?.object;
      if (o) out.push(o);
    }
    return out;
  }

  get size(): number {
    return this.items.size;
  }

  async create(object: T): Promise<T> {
    try {
      const kv = await this.store.create(this.key(object.id), encoder.encode(JSON.stringify(object)));
      this.remember(object, kv.modRevision);
    } catch (e) {
      if (e instanceof KosError && e.kind === 'AlreadyExists') {
        throw new KosError('Conflict', `Conflict occurred attempting to store ${this.noun} - Duplicate ID, ${object.id}.`);
      }
      throw e;
    }
    this.generation++;
    return object;
  }

  /** Apply `mutate` to the current object and write it with compare-and-swap, retrying on conflict. */
  async update(id: string, mutate: (current: T) => T): Promise<T> {
    for (let attempt = 0; attempt < 8; attempt++) {
      const entry = this.items.get(id);
      if (!entry) throw new KosError('NotFound', `Could not find ${this.noun}: ${id}.`);
      const next = mutate(structuredClone(entry.object));
      try {
        const kv = await this.store.update(this.key(id), encoder.encode(JSON.stringify(next)), entry.modRevision);
        this.forget(id);
        this.remember(next, kv.modRevision);
        this.generation++;
        return next;
      } catch (e) {
        if (!(e instanceof KosError && e.kind === 'Conflict')) throw e;
        await this.reload(id);
      }
    }
    throw new KosError('Conflict', `${this.noun} ${id} is being changed concurrently; try again.`);
  }

  async delete(id: string): Promise<T> {
    const entry = this.items.get(id);
    if (!entry) throw new KosError('NotFound', `Could not find ${this.noun}: ${id}.`);
    try {
      await this.store.delete(this.key(id));
    } catch (e) {
      if (!(e instanceof KosError && e.kind === 'NotFound')) throw e;
    }
    this.forget(id);
    this.generation++;
    return entry.object;
  }

  /** Delete if present; true when something was deleted. */
  async deleteIfExists(id: string): Promise<boolean> {
    if (!this.items.has(id)) return false;
    await this.delete(id);
    return true;
  }

  private async reload(id: string): Promise<void> {
    const kv = await this.store.get(this.key(id));
    this.forget(id);
    if (kv) this.remember(JSON.parse(decoder.decode(kv.value)) as T, kv.modRevision);
  }

  private remember(object: T, modRevision: number): void {
    this.items.set(object.id, { object, modRevision });
    for (const name of this.indexes.keys()) this.indexAdd(name, object);
  }

  private forget(id: string): void {
    const entry = this.items.get(id);
    if (!entry) return;
    for (const { fn, map } of this.indexes.values()) {
      for (const v of fn(entry.object)) map.get(v)?.delete(id);
    }
    this.items.delete(id);
  }

  private indexAdd(name: string, object: T): void {
    const idx = this.indexes.get(name)!;
    for (const v of idx.fn(object)) {
      let set = idx.map.get(v);
      if (!set) idx.map.set(v, (set = new Set()));
      set.add(object.id);
    }
  }
}

/**
 * Serializes async sections: checks that span several objects (a unique name, a role
 * that must still exist) hold because no other write interleaves with them.
 */
export class Mutex {
  private tail: Promise<void> = Promise.resolve();

  run<R>(fn: () => Promise<R>): Promise<R> {
    const result = this.tail.then(fn);
    this.tail = result.then(
      () => undefined,
      () => undefined,
    );
    return result;
  }
}
