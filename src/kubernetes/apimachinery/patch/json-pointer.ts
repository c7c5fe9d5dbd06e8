/**
 * JSON Pointer (RFC 6901) as JSON patch uses it: `/a/b~1c/0` names member `a`, then member
 * `b/c`, then index 0. `~1` decodes before `~0`, so `~01` is the literal `~1`.
 */

export class PointerSyntaxError extends Error {
  override readonly name = 'PointerSyntaxError';
}

export const decodePointerToken = (token: string): string => token.replace(/~1/g, '/').replace(/~0/g, '~');

export const encodePointerToken = (token: string): string => token.replace(/~/g, '~0').replace(/\//g, '~1');

/** The reference tokens of a pointer; `""` is the whole document. */
export function parsePointer(pointer: string): string[] {
  if (pointer === '') return [];
  if (!pointer.startsWith('/')) throw new PointerSyntaxError(`JSON pointer must start with '/': "${pointer}"`);
  return pointer.slice(1).split('/').map(decodePointerToken);
}

export const formatPointer = (tokens: readonly string[]): string =>
  tokens.length === 0 ? '' : `/${tokens.map(encodePointerToken).join('/')}`;
