/**
 * The `continue` token of a paged range: opaque to callers, it carries the key the next
 * page starts at and the revision every page is read at, so a listing stays one
 * consistent snapshot even while writes go on between pages. Because that snapshot never
 * changes, it also carries how many keys remain: the count is computed once per listing,
 * not once per page.
 */
import { badRequest } from '../errors.js';

export interface ContinueState {
  /** The prefix the listing was started with; a token is only good for its own prefix. */
  prefix: string;
  /** First key of the next page (inclusive). */
  start: string;
  /** Revision the whole listing is read at. */
  revision: number;
  /** Keys from `start` to the end of the prefix at `revision`. */
  remaining: number;
}

interface Wire {
  v: 1;
  p: string;
  s: string;
  r: number;
  c: number;
}

export function encodeContinue(state: ContinueState): string {
  const wire: Wire = { v: 1, p: state.prefix, s: state.start, r: state.revision, c: state.remaining };
  return Buffer.from(JSON.stringify(wire), 'utf8').toString('base64url');
}

export function decodeContinue(token: string, prefix: string): ContinueState {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  } catch {
    throw badRequest('invalid continue token');
  }
  if (!isWire(parsed)) throw badRequest('invalid continue token');
  if (parsed.p !== prefix) throw badRequest('continue token belongs to another prefix');
  return { prefix: parsed.p, start: parsed.s, revision: parsed.r, remaining: parsed.c };
}

function isWire(x: unknown): x is Wire {
  if (typeof x !== 'object' || x === null) return false;
  const w = x as Record<string, unknown>;
  return (
    w.v === 1 &&
    typeof w.p === 'string' &&
    typeof w.s === 'string' &&
    typeof w.r === 'number' &&
    Number.isSafeInteger(w.r) &&
    w.r > 0 &&
    typeof w.c === 'number' &&
    Number.isSafeInteger(w.c) &&
    w.c >= 0 &&
    w.s.startsWith(w.p)
  );
}
