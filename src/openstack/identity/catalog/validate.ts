/**
 * Request-body checking for the catalog and delegation APIs: a TypeBox schema gives both
 * the check and the TypeScript type, and a failure becomes Keystone's 400 wording
 * ("Invalid input for field 'enabled': …") naming the first offending field.
 */
import { Type, type Static, type TSchema } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { KosError } from '../../../core/errors.js';
import { member } from '../wire.js';

/** `{"region": {...}}` → the checked inner object, typed by its schema. */
export function parseMember<S extends TSchema>(body: unknown, name: string, schema: S): Static<S> {
  return check(member(body, name), schema, name);
}

/** Check any value against a schema (used for bodies that are not a single member). */
export function check<S extends TSchema>(value: unknown, schema: S, root: string): Static<S> {
  const first = Value.Errors(schema, value).First();
  if (first) {
    const field = first.path === '' ? root : first.path.slice(1).replaceAll('/', '.');
    throw new KosError('BadRequest', `Invalid input for field '${field}': ${first.message}. ${JSON.stringify(first.value) ?? 'undefined'} was given.`);
  }
  return value as Static<S>;
}

/** Keystone's ValidationError: "Expecting to find <attribute> in <target>. …" */
export function expectingError(attribute: string, target: string): KosError {
  return new KosError(
    'BadRequest',
    `Expecting to find ${attribute} in ${target}. The server could not comply with the request since it is either malformed or otherwise incorrect. The client is assumed to be in error.`,
  );
}

/** A PATCH body that would change nothing is refused, as Keystone's minProperties: 1 does. */
export function requireSomething(patch: Record<string, unknown>, name: string): void {
  if (Object.keys(patch).length === 0) {
    throw new KosError('BadRequest', `Invalid input for field '${name}': {} does not have enough properties.`);
  }
}

/** An `id` in a PATCH body must match the one in the URL (Keystone's _require_matching_id). */
export function requireMatchingId(patch: Record<string, unknown>, urlId: string): void {
  if ('id' in patch && patch.id !== urlId) {
    throw new KosError('BadRequest', `Cannot change ID. The server could not comply with the request since it is either malformed or otherwise incorrect. The client is assumed to be in error.`);
  }
}

export const Nullable = <S extends TSchema>(s: S) => Type.Union([s, Type.Null()]);

/** Attributes a caller sent beyond the declared ones: Keystone keeps them as `extra`. */
export function extraOf(input: Record<string, unknown>, known: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(input)) if (!known.includes(k) && k !== 'links') out[k] = v;
  return out;
}
