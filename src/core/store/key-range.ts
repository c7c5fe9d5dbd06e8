/**
 * Prefix ranges in the order SQLite's BINARY collation gives UTF-8 text, which is code
 * point order. `prefixEnd` in types.ts (prefix + U+FFFF) is fine for display but misses
 * keys that continue with a character above U+FFFF, so the backend uses this bound.
 */

/**
 * The smallest string greater than every string that starts with `prefix`, or undefined
 * when there is none (the empty prefix covers every key).
 */
export function prefixUpperBound(prefix: string): string | undefined {
  const points = Array.from(prefix);
  while (points.length > 0) {
    const last = points.pop() ?? '';
    const cp = last.codePointAt(0) ?? 0;
    if (cp < 0x10ffff) {
      // Surrogate code points are not characters; the next real one is U+E000.
      const next = cp + 1 >= 0xd800 && cp + 1 <= 0xdfff ? 0xe000 : cp + 1;
      return points.join('') + String.fromCodePoint(next);
    }
  }
  return undefined;
}

/** The first key strictly after `key` in the range order (etcd's `key + "\x00"`). */
export const keyAfter = (key: string): string => `${key}\u0000`;
