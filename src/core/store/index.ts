/** The store: the contract, the SQLite backend, typed access and instrumentation. */
export * from './types.js';
export { openSqliteStore, type SqliteStoreOptions } from './sqlite.js';
export type { Durability } from './sqlite-schema.js';
export { TypedStore, jsonCodec, getJson, createJson, updateJson, guaranteedUpdateJson, listJson } from './typed.js';
export type { Codec, Mutation, Versioned } from './typed.js';
export { instrumentStore } from './metrics.js';
