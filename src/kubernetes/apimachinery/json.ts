/**
 * Helpers for values that came out of JSON.parse: the patch and selector code works on
 * plain parsed documents (objects, arrays, strings, numbers, booleans, null), never on
 * class instances, so these guards and copies only need to know those shapes.
 */
export type JsonMap = Record<string, unknown>;

/** True for a parsed JSON object (not an array, not null). */
export function isJsonMap(value: unknown): value is JsonMap {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A deep copy, so patching never mutates the caller's document. */
export function cloneJson<T>(value: T): T {
  return structuredClone(value);
}

/** Structural equality of two parsed JSON values; key order does not matter. */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    return a.every((item, i) => jsonEqual(item, b[i]));
  }
  if (isJsonMap(a)) {
    if (!isJsonMap(b)) return false;
    const keys = Object.keys(a);
    if (keys.length !== Object.keys(b).length) return false;
    return keys.every((k) => Object.hasOwn(b, k) && jsonEqual(a[k], b[k]));
  }
  return false;
}

/** Own-property lookup that ignores inherited names such as `constructor`. */
export function ownValue(map: JsonMap, key: string): unknown {
  return Object.hasOwn(map, key) ? map[key] : undefined;
}

/** Reads a dotted path of object members (`spec.nodeName`); undefined when any hop is missing. */
export function valueAtPath(root: unknown, path: readonly string[]): unknown {
  let cur: unknown = root;
  for (const part of path) {
    if (!isJsonMap(cur)) return undefined;
    cur = ownValue(cur, part);
  }
  return cur;
}

/**
 * Sets a member by name even when the name is `__proto__`: keys come from request bodies,
 * and a plain assignment would change the object's prototype instead of adding a member.
 */
export function setOwn(map: JsonMap, key: string, value: unknown): void {
  Object.defineProperty(map, key, { value, writable: true, enumerable: true, configurable: true });
}
