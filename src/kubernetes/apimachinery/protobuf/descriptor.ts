/**
 * Message descriptors as data. Each Kubernetes message is written as one compact string
 * of comma-separated fields, `<number> <jsonName> <type><flags>`:
 *
 * - type: `s` string, `i` int32, `l` int64, `b` bool, `y` bytes (base64 in JSON),
 *   `@Name` a message of the same package or `@pkg.Name` of another one
 *   (`@meta.v1.Time`); a `[]` prefix for repeated, `{}` for map<string, T>.
 * - flags, from the Go field: `*` pointer (presence on the wire is kept even for a
 *   zero value), `?` omitempty, `!` omitzero, `^` embedded inline (its fields merge
 *   into the parent; the JSON name is written `-`).
 *
 * A message whose Go type is a named slice (`type ExtraValue []string`) is written as
 * its element type alone, `[]s`: on the wire it wraps the list in field 1, in JSON it is
 * the bare array.
 *
 * The flags exist because the goal is the JSON object Go's encoder would write for the
 * decoded struct: that is exactly the body older kubectl versions sent as JSON.
 */

export type ScalarKind = 'string' | 'int32' | 'int64' | 'bool' | 'bytes';

export type ValueType =
  | { readonly kind: 'scalar'; readonly scalar: ScalarKind }
  | { readonly kind: 'message'; readonly message: string };

export interface FieldDescriptor {
  readonly number: number;
  /** The JSON key; empty for an inline field. */
  readonly jsonName: string;
  readonly value: ValueType;
  readonly cardinality: 'single' | 'repeated' | 'map';
  readonly pointer: boolean;
  readonly omitEmpty: boolean;
  readonly omitZero: boolean;
  readonly inline: boolean;
}

export type MessageDescriptor =
  | { readonly kind: 'struct'; readonly name: string; readonly fields: ReadonlyMap<number, FieldDescriptor> }
  | { readonly kind: 'slice'; readonly name: string; readonly element: ValueType };

/** One proto package's messages, keyed by short name, in the compact syntax. */
export interface PackageTable {
  /** Our key for the package, e.g. `apps.v1`; qualified message names start with it. */
  readonly package: string;
  /** The API group/version whose kinds live here, e.g. `apps/v1` or `v1`. */
  readonly groupVersion: string;
  /** Top-level kinds that may arrive as a request body. */
  readonly kinds: readonly string[];
  readonly messages: Readonly<Record<string, string>>;
}

const scalarCodes: Readonly<Record<string, ScalarKind>> = {
  s: 'string', i: 'int32', l: 'int64', b: 'bool', y: 'bytes',
};

function parseValueType(code: string, pkg: string, where: string): ValueType {
  const scalar = scalarCodes[code];
  if (scalar !== undefined) return { kind: 'scalar', scalar };
  if (!code.startsWith('@') || code.length < 2) throw new Error(`${where}: bad type '${code}'`);
  const ref = code.slice(1);
  // A dotted reference is already qualified; a bare one lives in the same package.
  return { kind: 'message', message: ref.includes('.') ? ref : `${pkg}.${ref}` };
}

const fieldPattern = /^(\d+) (-|[A-Za-z][\w]*) (\[\]|\{\})?([a-z]|@[\w.]+)([*?!^]*)$/;

function parseField(text: string, pkg: string, where: string): FieldDescriptor {
  const m = fieldPattern.exec(text.trim());
  if (m === null) throw new Error(`${where}: cannot parse field '${text}'`);
  const [, num = '', jsonName = '', container, code = '', flags = ''] = m;
  const inline = flags.includes('^');
  if (inline !== (jsonName === '-')) throw new Error(`${where}: inline fields, and only they, are named '-'`);
  return {
    number: Number(num),
    jsonName: inline ? '' : jsonName,
    value: parseValueType(code, pkg, where),
    cardinality: container === '[]' ? 'repeated' : container === '{}' ? 'map' : 'single',
    pointer: flags.includes('*'),
    omitEmpty: flags.includes('?'),
    omitZero: flags.includes('!'),
    inline,
  };
}

export function parseMessage(pkg: string, name: string, spec: string): MessageDescriptor {
  const qualified = `${pkg}.${name}`;
  if (spec.startsWith('[]')) {
    return { kind: 'slice', name: qualified, element: parseValueType(spec.slice(2), pkg, qualified) };
  }
  const fields = new Map<number, FieldDescriptor>();
  for (const part of spec.split(',')) {
    const field = parseField(part, pkg, qualified);
    if (fields.has(field.number)) throw new Error(`${qualified}: field ${field.number} twice`);
    fields.set(field.number, field);
  }
  return { kind: 'struct', name: qualified, fields };
}
