/**
 * The label selector grammar of the API server:
 *
 *   selector    ::= requirement | requirement "," selector
 *   requirement ::= ["!"] KEY [ ("in" | "notin") "(" VALUES ")" | ("=" | "==" | "!=" | ">" | "<") VALUE ]
 *
 * Commas inside `( … )` separate values, not requirements. The errors are the server's
 * (`unable to parse requirement: …`, `found 'x', expected: …`).
 */
import { labelKeyProblem, newRequirement, RequirementError, BINARY_OPERATORS } from './requirement.js';
import type { Operator, Requirement } from './requirement.js';
import { tokenize } from './lexer.js';
import type { Token, TokenKind } from './lexer.js';

/** A selector string the server would refuse; the message is the server's. */
export class SelectorParseError extends Error {
  override readonly name = 'SelectorParseError';
}

/** Where a literal is read: in value position `in` and `notin` are plain identifiers. */
type Context = 'keyAndOperator' | 'values';

const operatorOfToken: Partial<Record<TokenKind, Operator>> = {
  in: 'in',
  notIn: 'notin',
  equals: '=',
  doubleEquals: '==',
  notEquals: '!=',
  greaterThan: 'gt',
  lessThan: 'lt',
};

class Parser {
  private position = 0;
  // The server validates a key while parsing with no field path, which prints as <nil>.
  private readonly keyPath = '<nil>';

  constructor(private readonly tokens: readonly Token[]) {}

  private read(context: Context, advance: boolean): Token {
    const token = this.tokens[Math.min(this.position, this.tokens.length - 1)] ?? { kind: 'end', literal: '' };
    if (advance) this.position++;
    if (context === 'values' && (token.kind === 'in' || token.kind === 'notIn')) {
      return { kind: 'identifier', literal: token.literal };
    }
    return token;
  }

  private lookahead(context: Context): Token {
    return this.read(context, false);
  }

  private consume(context: Context): Token {
    return this.read(context, true);
  }

  parse(): Requirement[] {
    const requirements: Requirement[] = [];
    for (;;) {
      const next = this.lookahead('values');
      if (next.kind === 'end') return requirements;
      if (next.kind !== 'identifier' && next.kind !== 'doesNotExist') {
        throw new SelectorParseError(`found '${next.literal}', expected: !, identifier, or 'end of string'`);
      }
      try {
        requirements.push(this.parseRequirement());
      } catch (e) {
        if (e instanceof SelectorParseError || e instanceof RequirementError) {
          throw new SelectorParseError(`unable to parse requirement: ${e.message}`);
        }
        throw e;
      }
      const after = this.consume('values');
      if (after.kind === 'end') return requirements;
      if (after.kind !== 'comma') {
        throw new SelectorParseError(`found '${after.literal}', expected: ',' or 'end of string'`);
      }
      const following = this.lookahead('values');
      if (following.kind !== 'identifier' && following.kind !== 'doesNotExist') {
        throw new SelectorParseError(`found '${following.literal}', expected: identifier after ','`);
      }
    }
  }

  private parseRequirement(): Requirement {
    const { key, operator } = this.parseKeyAndInferOperator();
    if (operator === 'exists' || operator === '!') return newRequirement(key, operator, []);
    const op = this.parseOperator();
    const values = op === 'in' || op === 'notin' ? this.parseValues() : this.parseExactValue();
    return newRequirement(key, op, [...values].sort());
  }

  private parseKeyAndInferOperator(): { key: string; operator: Operator | undefined } {
    let operator: Operator | undefined;
    let token = this.consume('values');
    if (token.kind === 'doesNotExist') {
      operator = '!';
      token = this.consume('values');
    }
    if (token.kind !== 'identifier') throw new SelectorParseError(`found '${token.literal}', expected: identifier`);
    const problem = labelKeyProblem(token.literal, this.keyPath);
    if (problem) throw new SelectorParseError(problem);
    const next = this.lookahead('values').kind;
    if ((next === 'end' || next === 'comma') && operator !== '!') operator = 'exists';
    return { key: token.literal, operator };
  }

  private parseOperator(): Operator {
    const token = this.consume('keyAndOperator');
    const op = operatorOfToken[token.kind];
    if (!op) throw new SelectorParseError(`found '${token.literal}', expected: ${BINARY_OPERATORS.join(', ')}`);
    return op;
  }

  private parseValues(): Set<string> {
    const open = this.consume('values');
    if (open.kind !== 'openPar') throw new SelectorParseError(`found '${open.literal}' expected: '('`);
    const first = this.lookahead('values');
    if (first.kind === 'identifier' || first.kind === 'comma') {
      const values = this.parseIdentifiersList();
      if (this.consume('values').kind !== 'closePar') {
        throw new SelectorParseError(`found '${first.literal}', expected: ')'`);
      }
      return values;
    }
    if (first.kind === 'closePar') {
      this.consume('values');
      return new Set(['']);
    }
    throw new SelectorParseError(`found '${first.literal}', expected: ',', ')' or identifier`);
  }

  /** A comma-separated list where empty entries (`(a,,b)`, `(,a)`) stand for the empty value. */
  private parseIdentifiersList(): Set<string> {
    const values = new Set<string>();
    for (;;) {
      const token = this.consume('values');
      if (token.kind === 'identifier') {
        values.add(token.literal);
        const next = this.lookahead('values');
        if (next.kind === 'comma') continue;
        if (next.kind === 'closePar') return values;
        throw new SelectorParseError(`found '${next.literal}', expected: ',' or ')'`);
      }
      if (token.kind === 'comma') {
        if (values.size === 0) values.add('');
        const next = this.lookahead('values').kind;
        if (next === 'closePar' || next === 'comma') values.add('');
        if (next === 'closePar') return values;
        continue;
      }
      throw new SelectorParseError(`found '${token.literal}', expected: ',', or identifier`);
    }
  }

  private parseExactValue(): Set<string> {
    const next = this.lookahead('values');
    if (next.kind === 'end' || next.kind === 'comma') return new Set(['']);
    const token = this.consume('values');
    if (token.kind === 'identifier') return new Set([token.literal]);
    throw new SelectorParseError(`found '${token.literal}', expected: identifier`);
  }
}

/** Parses the string form into requirements sorted by key (stable, like the server's output). */
export function parseRequirements(selector: string): Requirement[] {
  const requirements = new Parser(tokenize(selector)).parse();
  return requirements.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}
