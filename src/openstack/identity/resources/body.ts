/**
 * Request bodies as Keystone checks them: the wrapper object must be there, every known
 * attribute is validated against its schema, and unknown attributes are kept (Keystone
 * stores them as "extra" and hands them back). One TypeBox schema per body gives both the
 * check and the TypeScript type.
 */
import { Type, type Static, type TSchema } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { KosError } from '../../../core/errors.js';
import { member } from '../wire.js';

type JsonObject = Record<string, unknown>;

/** The last segment of a TypeBox error path (`/project/name` → `name`). */
function fieldOf(path: string, fallback: string): string {
  const parts = path.split('/').filter((p) => p !== '');
  return parts[parts.length - 1] ?? fallback;
}

function show(value: unknown): string {
  if (typeof value === 'string') return value;
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

/** Throw Keystone's SchemaValidationError wording for the first problem `schema` finds. */
export function check<S extends TSchema>(schema: S, value: unknown, name: string): asserts value is Static<S> {
  const first = Value.Errors(schema, value).First();
  if (!first) return;
  const field = fieldOf(first.path, name);
  if (first.path === '') throw new KosError('BadRequest', `Invalid input for field '${name}': ${first.message}.`);
  throw new KosError('BadRequest', `Invalid input for field/attribute ${field}. Value: ${show(first.value)}. ${first.message}`);
}

/** A request member validated against `schema`; the object itself, extra attributes included. */
export function checked<S extends TSchema>(schema: S, obj: JsonObject, name: string): Static<S> & JsonObject {
  check(schema, obj, name);
  return obj as Static<S> & JsonObject;
}

/** `{"<name>": {...}}` validated against `schema`. */
export const readMember = <S extends TSchema>(body: unknown, name: string, schema: S): Static<S> & JsonObject =>
  checked(schema, member(body, name), name);

/** Every attribute of `obj` that is not one of `known`: what Keystone keeps as "extra". */
export function extraOf(obj: JsonObject, known: readonly string[]): JsonObject {
  const out: JsonObject = {};
  for (const [k, v] of Object.entries(obj)) if (!known.includes(k) && k !== 'links') out[k] = v;
  return out;
}

/** The spellings Keystone accepts for a boolean in a body or a query string. */
const trueWords = ['true', 'True', 'TRUE', '1', 'on', 'On', 'ON', 'yes', 'Yes', 'YES'];
const falseWords = ['false', 'False', 'FALSE', '0', 'off', 'Off', 'OFF', 'no', 'No', 'NO'];

export const Booleanish = Type.Union([Type.Boolean(), ...[...trueWords, ...falseWords].map((w) => Type.Literal(w))]);

export function toBool(value: boolean | string): boolean {
  return typeof value === 'boolean' ? value : trueWords.includes(value);
}

/** A resource name: 1..max characters with something other than whitespace. */
export const Name = (maxLength: number) => Type.String({ minLength: 1, maxLength, pattern: '\\S' });

/** An id given by a caller (domain_id, parent_id …). */
export const IdString = Type.String({ minLength: 1, maxLength: 64 });

export const Nullable = <S extends TSchema>(s: S) => Type.Union([s, Type.Null()]);

/** Resource options: a map of known option names; a null value removes the option. */
export function applyOptions(current: JsonObject, given: JsonObject | undefined): JsonObject {
  if (!given) return current;
  const next = { ...current };
  for (const [k, v] of Object.entries(given)) {
    if (v === null) delete next[k];
    else next[k] = v;
  }
  return next;
}

/** Keystone refuses a body whose `id` differs from the one in the path. */
export function requireMatchingId(obj: JsonObject, id: string): void {
  if (obj.id !== undefined && obj.id !== null && obj.id !== id) {
    throw new KosError('BadRequest', 'Cannot change ID');
  }
}
