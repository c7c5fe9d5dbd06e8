/**
 * PATCH: a Content-Type mapped to one of apimachinery's patch algorithms. Server-side
 * apply (`application/apply-patch+yaml`) is handled before this (`./apply`); it reaches
 * here only for the scale subresource, which answers 415; any other type is 415 listing
 * the accepted ones.
 */
import { MAX_JSON_DEPTH, exceedsJsonDepth } from '../../core/json-depth.js';
import {
  applyJsonPatchBody,
  applyMergePatchToObject,
  applyStrategicMergePatch,
  isJsonMap,
  patchMetaFor,
} from '../apimachinery/index.js';
import { badRequest, failure, unsupportedMediaType } from './status.js';

export const patchContentTypes = [
  'application/json-patch+json',
  'application/merge-patch+json',
  'application/strategic-merge-patch+json',
  'application/apply-patch+yaml',
] as const;

/** The kind a patch applies to: strategic merge needs its merge keys. */
export interface PatchTarget {
  group: string;
  version: string;
  kind: string;
}

const utf8 = new TextDecoder();

function parsePatch(raw: Uint8Array): unknown {
  let patch: unknown;
  try {
    patch = JSON.parse(utf8.decode(raw)) as unknown;
  } catch (e) {
    throw badRequest(`error decoding patch: ${e instanceof Error ? e.message : 'invalid JSON'}`);
  }
  if (exceedsJsonDepth(patch)) throw badRequest(`error decoding patch: exceeded max depth of ${MAX_JSON_DEPTH}`);
  return patch;
}

/**
 * A strategic patch that deletes the last element of a list leaves `[]` behind; the real
 * server's typed round trip then drops it (list fields are `omitempty`), so `env` vanishes
 * rather than reading `env: []`. Do the same for lists the patch emptied.
 */
function dropEmptiedLists(before: unknown, after: unknown): unknown {
  if (!isJsonMap(before) || !isJsonMap(after)) return after;
  for (const [key, value] of Object.entries(after)) {
    const old = before[key];
    if (Array.isArray(value)) {
      if (value.length === 0 && Array.isArray(old) && old.length > 0) delete after[key];
      else if (Array.isArray(old)) dropEmptiedListsIn(old, value);
    } else {
      dropEmptiedLists(old, value);
    }
  }
  return after;
}

/** Elements of a patched list matched to the original by position or by `name`. */
function dropEmptiedListsIn(before: unknown[], after: unknown[]): void {
  for (const [i, item] of after.entries()) {
    if (!isJsonMap(item)) continue;
    const byName = typeof item.name === 'string' ? before.find((b) => isJsonMap(b) && b.name === item.name) : undefined;
    dropEmptiedLists(byName ?? before[i], item);
  }
}

/** The patched document, a fresh value; `current` is never mutated. */
export function applyPatch(contentType: string, current: unknown, patch: Uint8Array, target: PatchTarget): unknown {
  const type = contentType.split(';')[0]!.trim().toLowerCase();
  if (!isJsonMap(current)) throw badRequest('the object to patch is not a JSON object');
  switch (type) {
    case 'application/merge-patch+json':
      return applyMergePatchToObject(current, parsePatch(patch));
    case 'application/json-patch+json':
      return applyJsonPatchBody(current, parsePatch(patch));
    case 'application/strategic-merge-patch+json':
      return dropEmptiedLists(current, applyStrategicMergePatch(current, parsePatch(patch), patchMetaFor(target)));
    case 'application/apply-patch+yaml':
      throw failure(415, 'UnsupportedMediaType', 'server-side apply (application/apply-patch+yaml) is not supported for this subresource');
    default:
      throw unsupportedMediaType(type, [...patchContentTypes]);
  }
}
