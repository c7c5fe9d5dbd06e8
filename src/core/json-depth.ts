/**
 * How deep a parsed JSON value nests. JSON.parse takes any depth, but code that walks a
 * document recursively (validation, patching, pruning) overflows the stack on a body
 * nested thousands deep; decoders refuse such bodies up front, as Go's decoders do.
 */
export const MAX_JSON_DEPTH = 1000;

/** True when `value` nests deeper than `max` objects or arrays. Iterative: any depth is safe. */
export function exceedsJsonDepth(value: unknown, max = MAX_JSON_DEPTH): boolean {
  const stack: [unknown, number][] = [[value, 1]];
  while (stack.length > 0) {
    const [v, depth] = stack.pop()!;
    if (typeof v !== 'object' || v === null) continue;
    if (depth > max) return true;
    for (const child of Array.isArray(v) ? v : Object.values(v)) {
      if (typeof child === 'object' && child !== null) stack.push([child, depth + 1]);
    }
  }
  return false;
}
