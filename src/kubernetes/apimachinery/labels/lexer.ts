/**
 * The tokenizer of the label selector string form, token for token the server's: it
 * decides what `a!=b`, `!a`, `x in (a,,b)` and `a=in` mean, so error messages name the
 * same offending token the real API server names.
 */
export type TokenKind =
  | 'error'
  | 'end'
  | 'closePar'
  | 'comma'
  | 'doesNotExist'
  | 'doubleEquals'
  | 'equals'
  | 'greaterThan'
  | 'identifier'
  | 'in'
  | 'lessThan'
  | 'notEquals'
  | 'notIn'
  | 'openPar';

export interface Token {
  readonly kind: TokenKind;
  readonly literal: string;
}

const literalTokens: ReadonlyMap<string, TokenKind> = new Map<string, TokenKind>([
  [')', 'closePar'],
  [',', 'comma'],
  ['!', 'doesNotExist'],
  ['==', 'doubleEquals'],
  ['=', 'equals'],
  ['>', 'greaterThan'],
  ['in', 'in'],
  ['<', 'lessThan'],
  ['!=', 'notEquals'],
  ['notin', 'notIn'],
  ['(', 'openPar'],
]);

const isWhitespace = (ch: string): boolean => ch === ' ' || ch === '\t' || ch === '\r' || ch === '\n';
const isSpecialSymbol = (ch: string): boolean => '=!(),><'.includes(ch) && ch.length === 1;

/** Splits the whole selector into tokens, ending with one `end` token. */
export function tokenize(input: string): Token[] {
  const tokens: Token[] = [];
  let pos = 0;

  const scanIdentifierOrKeyword = (): Token => {
    const start = pos;
    while (pos < input.length) {
      const ch = input.charAt(pos);
      if (isSpecialSymbol(ch) || isWhitespace(ch)) break;
      pos++;
    }
    const text = input.slice(start, pos);
    return { kind: literalTokens.get(text) ?? 'identifier', literal: text };
  };

  // Greedy over runs of symbols, but stops once the run stops being a known operator:
  // `!=` is one token, `=(` is `=` then `(`.
  const scanSpecialSymbol = (): Token => {
    let buffer = '';
    let last: Token | undefined;
    while (pos < input.length) {
      const ch = input.charAt(pos);
      if (!isSpecialSymbol(ch)) break;
      buffer += ch;
      pos++;
      const kind = literalTokens.get(buffer);
      if (kind) {
        last = { kind, literal: buffer };
      } else if (last) {
        pos--;
        break;
      }
    }
    return last ?? { kind: 'error', literal: `error expected: keyword found '${buffer}'` };
  };

  for (;;) {
    while (pos < input.length && isWhitespace(input.charAt(pos))) pos++;
    if (pos >= input.length) {
      tokens.push({ kind: 'end', literal: '' });
      return tokens;
    }
    tokens.push(isSpecialSymbol(input.charAt(pos)) ? scanSpecialSymbol() : scanIdentifierOrKeyword());
  }
}
