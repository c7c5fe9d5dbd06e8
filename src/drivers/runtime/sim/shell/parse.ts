/**
 * The sim shell's grammar: simple commands joined by `;`, `&&`, `||` or newlines, words
 * with single and double quotes, backslash escapes and `$VAR` / `${VAR}` / `$?`
 * expansion. Pipes, redirections and control flow are outside it (a documented limit).
 */

export type Connector = ';' | '&&' | '||';

export interface SimpleCommand {
  /** Words before expansion: each a list of literal and variable parts. */
  words: Word[];
  /** How this command is joined to the one before it (`;` for the first). */
  after: Connector;
}

export type WordPart = { literal: string } | { variable: string };
export type Word = WordPart[];

export class ShellSyntaxError extends Error {}

const isSpace = (c: string): boolean => c === ' ' || c === '\t';
const nameChar = /[A-Za-z0-9_]/;

export function parseScript(script: string): SimpleCommand[] {
  const commands: SimpleCommand[] = [];
  let words: Word[] = [];
  let word: Word | undefined;
  let after: Connector = ';';
  let i = 0;
  const lit = (s: string): void => {
    word ??= [];
    const last = word.at(-1);
    if (last && 'literal' in last) last.literal += s;
    else word.push({ literal: s });
  };
  const endWord = (): void => {
    if (word) words.push(word);
    word = undefined;
  };
  const endCommand = (next: Connector): void => {
    endWord();
    if (words.length > 0) commands.push({ words, after });
    else if (next !== ';') throw new ShellSyntaxError(`syntax error near unexpected token \`${next}'`);
    words = [];
    after = next;
  };
  const variable = (): void => {
    // i points after '$'
    if (script[i] === '{') {
      const end = script.indexOf('}', i);
      if (end < 0) throw new ShellSyntaxError('bad substitution');
      word ??= [];
      word.push({ variable: script.slice(i + 1, end) });
      i = end + 1;
      return;
    }
    if (script[i] === '?') {
      word ??= [];
      word.push({ variable: '?' });
      i++;
      return;
    }
    let name = '';
    while (i < script.length && nameChar.test(script[i]!)) name += script[i++];
    if (name) {
      word ??= [];
      word.push({ variable: name });
    } else lit('$');
  };
  while (i < script.length) {
    const c = script[i]!;
    if (isSpace(c)) {
      endWord();
      i++;
    } else if (c === '\n' || c === ';') {
      endCommand(';');
      i++;
    } else if (c === '&' && script[i + 1] === '&') {
      endCommand('&&');
      i += 2;
    } else if (c === '|' && script[i + 1] === '|') {
      endCommand('||');
      i += 2;
    } else if (c === '#' && !word) {
      while (i < script.length && script[i] !== '\n') i++;
    } else if (c === "'") {
      const end = script.indexOf("'", i + 1);
      if (end < 0) throw new ShellSyntaxError("unexpected EOF while looking for matching `''");
      lit(script.slice(i + 1, end));
      i = end + 1;
    } else if (c === '"') {
      i++;
      word ??= [];
      for (;;) {
        if (i >= script.length) throw new ShellSyntaxError('unexpected EOF while looking for matching `"\'');
        const d = script[i]!;
        if (d === '"') break;
        if (d === '\\' && i + 1 < script.length && '"\\$`'.includes(script[i + 1]!)) {
          lit(script[i + 1]!);
          i += 2;
        } else if (d === '$') {
          i++;
          variable();
        } else {
          lit(d);
          i++;
        }
      }
      i++;
    } else if (c === '\\' && i + 1 < script.length) {
      lit(script[i + 1]!);
      i += 2;
    } else if (c === '$') {
      i++;
      variable();
    } else {
      lit(c);
      i++;
    }
  }
  endWord();
  if (words.length > 0) commands.push({ words, after });
  else if (after !== ';') throw new ShellSyntaxError('syntax error: unexpected end of file');
  return commands;
}

/** A word with its variables replaced from env (unset ones are empty). */
export function expandWord(word: Word, lookup: (name: string) => string | undefined): string {
  return word.map((p) => ('literal' in p ? p.literal : (lookup(p.variable) ?? ''))).join('');
}
