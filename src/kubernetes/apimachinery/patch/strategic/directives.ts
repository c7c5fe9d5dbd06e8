/**
 * The directives a strategic merge patch may carry besides plain fields:
 *   `$patch: replace | delete` (in a map or a list item; `merge` is refused as the server refuses it),
 *   `$retainKeys: [..]` (drop every other key of the map),
 *   `$setElementOrder/<list>: [..]` (the final order of a merged list),
 *   `$deleteFromPrimitiveList/<list>: [..]` (values to remove from a merged list of scalars).
 */
import { isJsonMap, setOwn } from '../../json.js';
import { errBadPatchFormatForPrimitiveList, errBadPatchFormatForSetElementOrderList } from './errors.js';

export const DIRECTIVE_MARKER = '$patch';
export const REPLACE = 'replace';
export const DELETE = 'delete';
export const MERGE = 'merge';
export const RETAIN_KEYS = '$retainKeys';
export const SET_ELEMENT_ORDER_PREFIX = '$setElementOrder';
export const DELETE_FROM_PRIMITIVE_LIST_PREFIX = '$deleteFromPrimitiveList';

export const hasDirectiveMarker = (item: unknown): boolean => isJsonMap(item) && Object.hasOwn(item, DIRECTIVE_MARKER);

/** `$setElementOrder/containers` → `containers`, refusing any other spelling of the prefix. */
export function listKeyOf(directiveKey: string, prefix: string): string {
  const slash = directiveKey.indexOf('/');
  if (slash < 0 || directiveKey.slice(0, slash) !== prefix) {
    throw prefix === DELETE_FROM_PRIMITIVE_LIST_PREFIX
      ? errBadPatchFormatForPrimitiveList()
      : errBadPatchFormatForSetElementOrderList();
  }
  return directiveKey.slice(slash + 1);
}

/**
 * Strips directives from a value about to be stored as is: maps carrying `$patch` vanish
 * (the returned flag says whether to keep the value at all).
 */
export function removeDirectives(value: unknown): { value: unknown; keep: boolean } {
  if (Array.isArray(value)) {
    const kept: unknown[] = [];
    for (const item of value) {
      const r = removeDirectives(item);
      if (r.keep) kept.push(r.value);
    }
    return { value: kept, keep: true };
  }
  if (isJsonMap(value)) {
    if (Object.hasOwn(value, DIRECTIVE_MARKER)) return { value: undefined, keep: false };
    for (const key of Object.keys(value)) {
      const r = removeDirectives(value[key]);
      if (r.keep) setOwn(value, key, r.value);
      else delete value[key];
    }
    return { value, keep: true };
  }
  return { value, keep: true };
}

/** Removes every null member, at any depth: a null for a field that does not exist deletes nothing. */
export function discardNulls(value: unknown): void {
  if (Array.isArray(value)) {
    for (const item of value) discardNulls(item);
  } else if (isJsonMap(value)) {
    for (const key of Object.keys(value)) {
      if (value[key] === null) delete value[key];
      else discardNulls(value[key]);
    }
  }
}
