/**
 * The field selector string form (`metadata.name=x,status.phase!=Running`): terms split on
 * unescaped commas, each split at its first `!=`, `==` or `=`, values unescaped (`\,`
 * `\=` `\\`). Terms come back sorted, as the server sorts them before anything else, so
 * the first unsupported field it reports is the same one.
 */
import { badRequest } from '../errors.js';

export type FieldOperator = '=' | '!=';

export interface FieldTerm {
  readonly field: string;
  readonly operator: FieldOperator;
  readonly value: string;
}

/** Splits on commas not preceded by a backslash; escapes stay in place for unescapeValue. */
function splitTerms(selector: string): string[] {
  if (selector.length === 0) return [];
  const terms: string[] = [];
  let start = 0;
  let inEscape = false;
  for (let i = 0; i < selector.length; i++) {
    const c = selector.charAt(i);
    if (inEscape) inEscape = false;
    else if (c === '\\') inEscape = true;
    else if (c === ',') {
      terms.push(selector.slice(start, i));
      start = i + 1;
    }
  }
  terms.push(selector.slice(start));
  return terms;
}

const termOperators = ['!=', '==', '='] as const;

/** The left-hand side has no escaping, so the first operator found is the split point. */
function splitTerm(term: string): { lhs: string; op: (typeof termOperators)[number]; rhs: string } | undefined {
  for (let i = 0; i < term.length; i++) {
    for (const op of termOperators) {
      if (term.startsWith(op, i)) return { lhs: term.slice(0, i), op, rhs: term.slice(i + op.length) };
    }
  }
  return undefined;
}

/** fields.UnescapeValue, with the server's messages (it prints the offending rune as a number). */
export function unescapeFieldValue(s: string): string {
  if (!/[\\,=]/.test(s)) return s;
  let out = '';
  let inEscape = false;
  for (const c of s) {
    if (inEscape) {
      if (c !== '\\' && c !== ',' && c !== '=') {
        throw badRequest(`invalid field selector: invalid escape sequence: \\${c}`);
      }
      out += c;
      inEscape = false;
    } else if (c === '\\') {
      inEscape = true;
    } else if (c === ',' || c === '=') {
      throw badRequest(`invalid field selector: unescaped character in value: ${c.codePointAt(0) ?? 0}`);
    } else {
      out += c;
    }
  }
  if (inEscape) throw badRequest('invalid field selector: invalid escape sequence: \\');
  return out;
}

/** fields.EscapeValue: the inverse of unescapeFieldValue. */
export const escapeFieldValue = (s: string): string => s.replace(/[\\,=]/g, (c) => `\\${c}`);

/** Parses the `fieldSelector` query parameter into its terms; empty terms are skipped. */
export function parseFieldTerms(selector: string): FieldTerm[] {
  const terms: FieldTerm[] = [];
  for (const part of splitTerms(selector).sort()) {
    if (part === '') continue;
    const split = splitTerm(part);
    if (!split) throw badRequest(`invalid selector: '${selector}'; can't understand '${part}'`);
    terms.push({ field: split.lhs, operator: split.op === '!=' ? '!=' : '=', value: unescapeFieldValue(split.rhs) });
  }
  return terms;
}
