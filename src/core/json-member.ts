/**
 * Where one member of a JSON object's top level lies in its UTF-8 bytes, found without
 * parsing the rest: a reader that needs only `metadata` of a stored object parses that
 * slice instead of the whole document (and allocates nothing for the rest of it).
 *
 * Strings are skipped with the native `indexOf`, so the scan touches only the bytes
 * between strings. Input is trusted to be JSON (it is what the store holds); anything
 * the scan does not recognise gives `undefined`, and the caller parses the whole.
 */

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COLON = 0x3a;
const COMMA = 0x2c;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;

const isSpace = (b: number): boolean => b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09;

function skipSpace(bytes: Uint8Array, i: number): number {
  while (i < bytes.length && isSpace(bytes[i]!)) i++;
  return i;
}

/** The index after the string whose opening quote is at `i`, or -1. */
function skipString(bytes: Uint8Array, i: number): number {
  let at = i + 1;
  for (;;) {
    const close = bytes.indexOf(QUOTE, at);
    if (close < 0) return -1;
    // A quote is escaped when an odd number of backslashes precede it.
    let slashes = 0;
    while (bytes[close - 1 - slashes] === BACKSLASH) slashes++;
    if (slashes % 2 === 0) return close + 1;
    at = close + 1;
  }
}

/** The index after the value that starts at `i`, or -1. */
function skipValue(bytes: Uint8Array, i: number): number {
  const first = bytes[i];
  if (first === QUOTE) return skipString(bytes, i);
  if (first === OPEN_OBJECT || first === OPEN_ARRAY) {
    let depth = 0;
    while (i < bytes.length) {
      const b = bytes[i]!;
      if (b === QUOTE) {
        i = skipString(bytes, i);
        if (i < 0) return -1;
        continue;
      }
      if (b === OPEN_OBJECT || b === OPEN_ARRAY) depth++;
      else if (b === CLOSE_OBJECT || b === CLOSE_ARRAY) {
        if (--depth === 0) return i + 1;
      }
      i++;
    }
    return -1;
  }
  // A number, true, false or null: up to the next delimiter.
  while (i < bytes.length) {
    const b = bytes[i]!;
    if (b === COMMA || b === CLOSE_OBJECT || b === CLOSE_ARRAY || isSpace(b)) return i;
    i++;
  }
  return i;
}

/** Whether the bytes between `start` and `end` are exactly `name` (a plain ASCII name). */
function keyIs(bytes: Uint8Array, start: number, end: number, name: string): boolean {
  if (end - start !== name.length) return false;
  for (let k = 0; k < name.length; k++) if (bytes[start + k] !== name.charCodeAt(k)) return false;
  return true;
}

/**
 * The [start, end) byte span of the value of top-level member `name` (ASCII, without
 * escapes) of the JSON object in `bytes`; `undefined` when the object has no such member
 * or the bytes are not an object the scan understands.
 */
export function topLevelMember(bytes: Uint8Array, name: string): [number, number] | undefined {
  let i = skipSpace(bytes, 0);
  if (bytes[i] !== OPEN_OBJECT) return undefined;
  i = skipSpace(bytes, i + 1);
  if (bytes[i] === CLOSE_OBJECT) return undefined;
  while (i < bytes.length) {
    if (bytes[i] !== QUOTE) return undefined;
    const keyEnd = skipString(bytes, i);
    if (keyEnd < 0) return undefined;
    const match = keyIs(bytes, i + 1, keyEnd - 1, name);
    i = skipSpace(bytes, keyEnd);
    if (bytes[i] !== COLON) return undefined;
    const start = skipSpace(bytes, i + 1);
    const end = skipValue(bytes, start);
    if (end < 0) return undefined;
    if (match) return [start, end];
    i = skipSpace(bytes, end);
    if (bytes[i] !== COMMA) return undefined;
    i = skipSpace(bytes, i + 1);
  }
  return undefined;
}
