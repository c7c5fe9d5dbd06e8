/**
 * Reading a POST /v3/auth/tokens body: small typed accessors that answer 400 with
 * Keystone's wording when a part of the `auth` object is missing or of the wrong type.
 */
import { KosError } from '../../../core/errors.js';

export type Json = Record<string, unknown>;

export const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Keystone's ValidationError text for a missing attribute. */
export function expecting(attribute: string, target: string): KosError {
  return new KosError(
    'BadRequest',
    `Expecting to find ${attribute} in ${target}. The server could not comply with the request since it is either malformed or otherwise incorrect. The client is assumed to be in error.`,
  );
}

export function invalid(path: string, detail: string): KosError {
  return new KosError('BadRequest', `Invalid input for field '${path}': ${detail}`);
}

/** An optional object at `path`; 400 if present and not an object. */
export function optObject(parent: Json, key: string, path: string): Json | undefined {
  const v = parent[key];
  if (v === undefined) return undefined;
  if (!isObject(v)) throw invalid(path, `${JSON.stringify(v)} is not of type 'object'`);
  return v;
}

/** An optional string at `path`; 400 if present and not a string. */
export function optString(parent: Json, key: string, path: string): string | undefined {
  const v = parent[key];
  if (v === undefined) return undefined;
  if (typeof v !== 'string') throw invalid(path, `${JSON.stringify(v)} is not of type 'string'`);
  return v;
}

/** `{id}` or `{name}` reference (a domain); 400 when neither is present. */
export function idOrName(ref: Json, path: string): { id?: string; name?: string } {
  const id = optString(ref, 'id', `${path}/id`);
  const name = optString(ref, 'name', `${path}/name`);
  if (id === undefined && name === undefined) throw invalid(path, 'id or name must be present.');
  const out: { id?: string; name?: string } = {};
  if (id !== undefined) out.id = id;
  if (name !== undefined) out.name = name;
  return out;
}
