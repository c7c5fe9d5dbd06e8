/**
 * Applying a strategic merge patch to a stored object, with the API server's answers for
 * patches that cannot apply. Neither argument is modified.
 */
import { badRequest } from '../../errors.js';
import { cloneJson, isJsonMap } from '../../json.js';
import type { JsonMap } from '../../json.js';
import { StrategicMergeError } from './errors.js';
import { mergeMap } from './merge.js';
import type { PatchSchema } from './patch-meta.js';

/**
 * Merges `patch` into `original` under `schema` (see patchMetaFor). Throws KosError
 * BadRequest (or a 422 hint, for lists of lists) as the server answers.
 */
export function applyStrategicMergePatch(original: JsonMap, patch: unknown, schema: PatchSchema): JsonMap {
  if (!isJsonMap(patch)) {
    const kind = patch === null ? 'null' : Array.isArray(patch) ? 'array' : typeof patch === 'boolean' ? 'bool' : typeof patch;
    // A JSON null decodes to an empty patch in Go, which changes nothing.
    if (patch === null) return cloneJson(original);
    throw badRequest(`json: cannot unmarshal ${kind} into Go value of type map[string]interface {}`);
  }
  try {
    return mergeMap(cloneJson(original), cloneJson(patch), schema);
  } catch (e) {
    if (e instanceof StrategicMergeError) throw e.toKosError();
    throw e;
  }
}
