/**
 * Typed access to the store: objects in, objects out, revisions alongside. A codec turns
 * an object into bytes and back (JSON by default); `guaranteedUpdate` is the read–mutate–
 * compare-and-swap loop every controller and API handler uses to change an object that
 * others change too.
 */
import { isKosError, notFound } from '../errors.js';
import type { DeleteOptions, KeyValue, PutOptions, Store } from './types.js';

export interface Codec<T> {
  encode(obj: T): Uint8Array;
  decode(bytes: Uint8Array): T;
}

const utf8Encoder = new TextEncoder();
const utf8Decoder = new TextDecoder();

export function jsonCodec<T>(): Codec<T> {
  return {
    encode: (obj) => utf8Encoder.encode(JSON.stringify(obj)),
    decode: (bytes) => JSON.parse(utf8Decoder.decode(bytes)) as T,
  };
}

export interface Versioned<T> {
  key: string;
  object: T;
  modRevision: number;
  createRevision: number;
}

/** What a guaranteedUpdate mutation returns: the new object, or undefined for "no change". */
export type Mutation<T> = (current: T) => T | undefined | Promise<T | undefined>;

const defaultRetries = 10;
const defaultPageSize = 500;

export class TypedStore<T> {
  constructor(
    readonly store: Store,
    readonly codec: Codec<T> = jsonCodec<T>(),
  ) {}

  /** Decode a raw KeyValue, e.g. one from a watch event. */
  decode(kv: KeyValue): Versioned<T> {
    return { key: kv.key, object: this.codec.decode(kv.value), modRevision: kv.modRevision, createRevision: kv.createRevision };
  }

  async get(key: string, opts?: { revision?: number }): Promise<Versioned<T> | undefined> {
    const kv = await this.store.get(key, opts);
    return kv && this.decode(kv);
  }

  async create(key: string, object: T, opts?: PutOptions): Promise<Versioned<T>> {
    return this.decode(await this.store.create(key, this.codec.encode(object), opts));
  }

  async update(key: string, object: T, expectedModRevision: number, opts?: PutOptions): Promise<Versioned<T>> {
    return this.decode(await this.store.update(key, this.codec.encode(object), expectedModRevision, opts));
  }

  /** Delete and return the last value. */
  async delete(key: string, opts?: DeleteOptions): Promise<Versioned<T>> {
    return this.decode(await this.store.delete(key, opts));
  }

  /**
   * Read the object, apply `mutate` to a fresh copy and write it back if nobody changed
   * it meanwhile; on a conflict, read again and retry. `mutate` may run several times, so
   * it must only compute. Returning undefined leaves the object as it is. The key's lease
   * is kept. Fails 'NotFound' if the key is absent, 'Conflict' after `retries` lost races.
   */
  async guaranteedUpdate(key: string, mutate: Mutation<T>, retries = defaultRetries): Promise<Versioned<T>> {
    for (let attempt = 0; ; attempt++) {
      const kv = await this.store.get(key);
      if (!kv) throw notFound(`key ${key} not found`);
      const next = await mutate(this.codec.decode(kv.value));
      if (next === undefined) return this.decode(kv);
      try {
        const opts = kv.lease ? { lease: kv.lease } : undefined;
        return this.decode(await this.store.update(key, this.codec.encode(next), kv.modRevision, opts));
      } catch (e) {
        if (!isKosError(e) || e.kind !== 'Conflict' || attempt >= retries) throw e;
      }
    }
  }

  /** Every object under the prefix, paged through at one consistent revision. */
  async list(prefix: string, pageSize = defaultPageSize): Promise<{ items: Versioned<T>[]; revision: number }> {
    const items: Versioned<T>[] = [];
    let page = await this.store.range(prefix, { limit: pageSize });
    for (;;) {
      for (const kv of page.kvs) items.push(this.decode(kv));
      if (!page.continue) return { items, revision: page.revision };
      page = await this.store.range(prefix, { limit: pageSize, continue: page.continue });
    }
  }
}

// Shorthands for one-off JSON access.

export const getJson = <T>(store: Store, key: string): Promise<Versioned<T> | undefined> => new TypedStore<T>(store).get(key);

export const createJson = <T>(store: Store, key: string, object: T, opts?: PutOptions): Promise<Versioned<T>> =>
  new TypedStore<T>(store).create(key, object, opts);

export const updateJson = <T>(store: Store, key: string, object: T, expectedModRevision: number): Promise<Versioned<T>> =>
  new TypedStore<T>(store).update(key, object, expectedModRevision);

export const guaranteedUpdateJson = <T>(store: Store, key: string, mutate: Mutation<T>, retries?: number): Promise<Versioned<T>> =>
  new TypedStore<T>(store).guaranteedUpdate(key, mutate, retries);

export const listJson = <T>(store: Store, prefix: string, pageSize?: number): Promise<{ items: Versioned<T>[]; revision: number }> =>
  new TypedStore<T>(store).list(prefix, pageSize);
