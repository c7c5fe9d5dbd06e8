/**
 * JSON merge patch (RFC 7386): objects merge member by member, null removes a member,
 * anything else (arrays included) replaces what was there.
 */
import { badRequest, invalid } from '../errors.js';
import { cloneJson, isJsonMap, setOwn } from '../json.js';
import type { JsonMap } from '../json.js';

/** RFC 7386 MergePatch(target, patch); neither argument is modified. */
export function applyMergePatch(target: unknown, patch: unknown): unknown {
  if (!isJsonMap(patch)) return cloneJson(patch);
  const result: JsonMap = isJsonMap(target) ? { ...target } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete result[key];
    else setOwn(result, key, applyMergePatch(Object.hasOwn(result, key) ? result[key] : undefined, value));
  }
  return result;
}

/**
 * A merge patch applied to a stored object, with the server's answers for patches that
 * cannot yield an object: null or a scalar is 400 `Invalid JSON Patch`; an array decodes to
 * no object and is 422.
 */
export function applyMergePatchToObject(obj: JsonMap, patch: unknown): JsonMap {
  if (patch === null || (typeof patch !== 'object' && !Array.isArray(patch))) throw badRequest('Invalid JSON Patch');
  const result = applyMergePatch(obj, patch);
  if (!isJsonMap(result)) {
    // The server's NewInvalid with an empty kind and name, pointing at the patch.
    throw invalid(` "" is invalid: patch: Invalid value: ${JSON.stringify(JSON.stringify(result))}: the patched document is not an object`);
  }
  return result;
}
