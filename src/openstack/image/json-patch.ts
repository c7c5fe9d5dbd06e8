/**
 * Glance's image PATCH: a JSON-patch list in either media type —
 * `openstack-images-v2.1-json-patch` ({"op": "replace", "path": "/name", "value": …}) or
 * the older v2.0 form ({"replace": "/name", "value": …}). Only add, replace and remove
 * exist; a path is one attribute (`/name`, `/tags`, a property) or, for tags and
 * locations, an element of one.
 */
import { KosError } from '../../core/errors.js';

export type PatchOp = 'add' | 'replace' | 'remove';

export interface PatchStep {
  op: PatchOp;
  /** The attribute the path names (JSON-pointer unescaped). */
  attribute: string;
  /** `/tags/2` → '2'; `/tags/-` → '-'. */
  index?: string;
  value?: unknown;
}

const OPS: readonly PatchOp[] = ['add', 'replace', 'remove'];

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

const unescape = (s: string): string => s.replaceAll('~1', '/').replaceAll('~0', '~');

function parsePath(path: unknown): { attribute: string; index?: string } {
  if (typeof path !== 'string' || !path.startsWith('/') || path.length < 2) {
    throw new KosError('BadRequest', `Json path should start with a '/', end with no '/', no 2 subsequent '/' are allowed.`);
  }
  const parts = path.slice(1).split('/');
  if (parts.some((p) => p === '') || parts.length > 2) {
    throw new KosError('BadRequest', `Json path should start with a '/', end with no '/', no 2 subsequent '/' are allowed.`);
  }
  const [attribute = '', index] = parts.map(unescape);
  return index === undefined ? { attribute } : { attribute, index };
}

/** The steps of a PATCH body, or a 400 saying what is wrong with it. */
export function parsePatch(body: unknown): PatchStep[] {
  if (!Array.isArray(body)) {
    throw new KosError('BadRequest', 'Request body must be a JSON array of operation objects.');
  }
  return body.map((raw): PatchStep => {
    if (!isObject(raw)) throw new KosError('BadRequest', 'Operations must be JSON objects.');
    let op: unknown = raw.op;
    let path: unknown = raw.path;
    if (op === undefined) {
      const named = OPS.filter((o) => o in raw);
      if (named.length !== 1) throw new KosError('BadRequest', 'Operation objects must contain exactly one member named "add", "remove", or "replace".');
      op = named[0];
      path = raw[named[0]!];
    }
    if (typeof op !== 'string' || !(OPS as readonly string[]).includes(op)) {
      throw new KosError('BadRequest', `Invalid operation: \`${String(op)}\`: Operation objects must contain exactly one member named "add", "remove", or "replace".`);
    }
    const step: PatchStep = { op: op as PatchOp, ...parsePath(path) };
    if (op !== 'remove') {
      if (!('value' in raw)) throw new KosError('BadRequest', `Operation "${op}" requires a member named "value".`);
      step.value = raw.value;
    }
    return step;
  });
}
