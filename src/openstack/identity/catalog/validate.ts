/**
 * Request-body checking for the catalog and delegation APIs: a TypeBox schema gives both
 * the check and the TypeScript type, and a failure becomes Keystone's 400 wording
 * ("Invalid input for field 'enabled': …") naming the first offending field. Nullable and
 * extraOf are resources/body.ts's, shared by every identity API.
 */
import type { Static, TSchema } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { KosError } from '../../../core/errors.js';

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

