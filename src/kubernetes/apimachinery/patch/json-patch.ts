/**
 * JSON patch (RFC 6902): add, remove, replace, move, copy and test, applied in order to a
 * copy of the document; the first failure aborts the whole patch.
 *
 * Status codes follow the API server's patch handler: a body that is not a list of
 * operations is 400 BadRequest, more than 10000 operations is 413, and an operation that
 * does not apply (a failed `test` included) is 422 Invalid with the server's generic
 * message. Like the library the server uses, negative array indices count from the end
 * and `add`/`replace` without a value write null.
 */
import { badRequest, tooLarge, unprocessable } from '../errors.js';
import { cloneJson, isJsonMap, jsonEqual, setOwn } from '../json.js';
import type { JsonMap } from '../json.js';
import { parsePointer, PointerSyntaxError } from './json-pointer.js';

export const MAX_JSON_PATCH_OPERATIONS = 10000;

export interface JsonPatchOperation {
  readonly op: string;
  readonly path?: string;
  readonly from?: string;
  /** Absent and null differ only for `test` of a missing member. */
  readonly value?: unknown;
  readonly hasValue: boolean;
}

/** Why an operation did not apply; becomes a 422 at the boundary. */
class OperationError extends Error {}

/** Decodes a parsed request body into operations, with the server's 400/413 answers. */
export function decodeJsonPatch(body: unknown): JsonPatchOperation[] {
  if (!Array.isArray(body)) {
    throw badRequest(`json: cannot unmarshal ${goJsonKind(body)} into Go value of type jsonpatch.Patch`);
  }
  if (body.length > MAX_JSON_PATCH_OPERATIONS) {
    throw tooLarge(`The allowed maximum operations in a JSON patch is ${MAX_JSON_PATCH_OPERATIONS}, got ${body.length}`);
  }
  return body.map((item) => {
    if (!isJsonMap(item)) {
      throw badRequest(`json: cannot unmarshal ${goJsonKind(item)} into Go value of type jsonpatch.Operation`);
    }
    const text = (name: string): string | undefined => (typeof item[name] === 'string' ? item[name] : undefined);
    return {
      op: text('op') ?? 'unknown',
      path: text('path'),
      from: text('from'),
      value: item['value'],
      hasValue: Object.hasOwn(item, 'value'),
    };
  });
}

/** How encoding/json names a value it could not decode. */
function goJsonKind(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'object') return 'object';
  return typeof value === 'boolean' ? 'bool' : typeof value;
}

/** Applies the operations to a copy of `doc`; throws a 422 KosError when one does not apply. */
export function applyJsonPatch(doc: unknown, operations: readonly JsonPatchOperation[]): unknown {
  let root = cloneJson(doc);
  try {
    for (const op of operations) root = applyOperation(root, op);
  } catch (e) {
    if (e instanceof OperationError || e instanceof PointerSyntaxError) throw unprocessable(e.message);
    throw e;
  }
  return root;
}

/** Decodes and applies in one step, for a request body already parsed from JSON. */
export function applyJsonPatchBody(doc: unknown, body: unknown): unknown {
  return applyJsonPatch(doc, decodeJsonPatch(body));
}

function required(op: JsonPatchOperation, member: 'path' | 'from'): string {
  const value = op[member];
  if (value === undefined) throw new OperationError(`${op.op} operation missing ${member} field`);
  return value;
}

function applyOperation(root: unknown, op: JsonPatchOperation): unknown {
  const value = op.hasValue ? cloneJson(op.value ?? null) : null;
  switch (op.op) {
    case 'add':
      return add(root, required(op, 'path'), value, 'add');
    case 'remove':
      remove(root, required(op, 'path'), 'remove');
      return root;
    case 'replace':
      return replace(root, required(op, 'path'), value);
    case 'move': {
      const from = required(op, 'from');
      const path = required(op, 'path');
      const moved = get(root, from, 'move');
      remove(root, from, 'move');
      return add(root, path, moved, 'move');
    }
    case 'copy': {
      const copied = cloneJson(get(root, required(op, 'from'), 'copy'));
      return add(root, required(op, 'path'), copied, 'copy');
    }
    case 'test':
      test(root, required(op, 'path'), op);
      return root;
    default:
      throw new OperationError(`Unexpected kind: ${op.op}`);
  }
}

type Parent = { kind: 'object'; map: JsonMap; key: string } | { kind: 'array'; list: unknown[]; token: string };

/** Walks to the container of the pointer's last token. */
function parentOf(root: unknown, pointer: string, opName: string): Parent {
  const tokens = parsePointer(pointer);
  const last = tokens.pop();
  if (last === undefined) throw new OperationError(`${opName} operation does not apply: the whole document is not a member`);
  let cur: unknown = root;
  for (const token of tokens) {
    cur = childOf(cur, token);
    if (cur === undefined) throw new OperationError(`${opName} operation does not apply: doc is missing path: "${pointer}"`);
  }
  if (isJsonMap(cur)) return { kind: 'object', map: cur, key: last };
  if (Array.isArray(cur)) return { kind: 'array', list: cur, token: last };
  throw new OperationError(`${opName} operation does not apply: doc is missing path: "${pointer}"`);
}

function childOf(container: unknown, token: string): unknown {
  if (isJsonMap(container)) return Object.hasOwn(container, token) ? container[token] : undefined;
  if (Array.isArray(container)) {
    const index = arrayIndex(token, container.length, false);
    return index === undefined ? undefined : container[index];
  }
  return undefined;
}

/** An index into a list of `length` items; negative counts from the end; `forInsert` allows `length`. */
function arrayIndex(token: string, length: number, forInsert: boolean): number | undefined {
  if (!/^-?\d+$/.test(token)) return undefined;
  let index = Number(token);
  const size = forInsert ? length + 1 : length;
  if (index < 0) index += size;
  return index >= 0 && index < size ? index : undefined;
}

function indexOrFail(token: string, length: number, forInsert: boolean): number {
  const index = arrayIndex(token, length, forInsert);
  if (index === undefined) {
    if (!/^-?\d+$/.test(token)) throw new OperationError(`value was not a proper array index: '${token}'`);
    throw new OperationError(`Unable to access invalid index: ${token}`);
  }
  return index;
}

function add(root: unknown, pointer: string, value: unknown, opName: string): unknown {
  if (pointer === '') return value;
  const parent = parentOf(root, pointer, opName);
  if (parent.kind === 'object') {
    setOwn(parent.map, parent.key, value);
  } else if (parent.token === '-') {
    parent.list.push(value);
  } else {
    parent.list.splice(indexOrFail(parent.token, parent.list.length, true), 0, value);
  }
  return root;
}

function remove(root: unknown, pointer: string, opName: string): void {
  const parent = parentOf(root, pointer, opName);
  if (parent.kind === 'object') {
    if (!Object.hasOwn(parent.map, parent.key)) {
      throw new OperationError(`Unable to remove nonexistent key: ${parent.key}: missing value`);
    }
    delete parent.map[parent.key];
  } else {
    parent.list.splice(indexOrFail(parent.token, parent.list.length, false), 1);
  }
}

function replace(root: unknown, pointer: string, value: unknown): unknown {
  if (pointer === '') return value;
  const parent = parentOf(root, pointer, 'replace');
  if (parent.kind === 'object') {
    if (!Object.hasOwn(parent.map, parent.key)) {
      throw new OperationError(`replace operation does not apply: doc is missing key: ${pointer}: missing value`);
    }
    setOwn(parent.map, parent.key, value);
  } else {
    parent.list[indexOrFail(parent.token, parent.list.length, false)] = value;
  }
  return root;
}

function get(root: unknown, pointer: string, opName: string): unknown {
  if (pointer === '') return root;
  const parent = parentOf(root, pointer, opName);
  if (parent.kind === 'object') {
    if (!Object.hasOwn(parent.map, parent.key)) {
      throw new OperationError(`${opName} operation does not apply: doc is missing from path: ${pointer}: missing value`);
    }
    return parent.map[parent.key];
  }
  return parent.list[indexOrFail(parent.token, parent.list.length, false)];
}

function test(root: unknown, pointer: string, op: JsonPatchOperation): void {
  const expected = op.hasValue ? (op.value ?? null) : null;
  let actual: unknown;
  if (pointer === '') {
    actual = root;
  } else {
    const parent = parentOf(root, pointer, 'test');
    if (parent.kind === 'object') {
      // A missing member passes only a test for null, as in the server's library.
      actual = Object.hasOwn(parent.map, parent.key) ? parent.map[parent.key] : null;
    } else {
      actual = parent.list[indexOrFail(parent.token, parent.list.length, false)];
    }
  }
  if (!jsonEqual(actual, expected)) throw new OperationError(`testing value ${pointer} failed: test failed`);
}
