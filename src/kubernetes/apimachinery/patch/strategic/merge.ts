/**
 * The strategic merge itself (apimachinery's mergeMap / mergeSlice with the options the
 * API server applies patches with): both arguments are owned by the merge and mutated.
 */
import { isJsonMap, setOwn } from '../../json.js';
import type { JsonMap } from '../../json.js';
import {
  DELETE,
  DELETE_FROM_PRIMITIVE_LIST_PREFIX,
  DIRECTIVE_MARKER,
  hasDirectiveMarker,
  listKeyOf,
  MERGE,
  REPLACE,
  RETAIN_KEYS,
  SET_ELEMENT_ORDER_PREFIX,
  discardNulls,
  removeDirectives,
} from './directives.js';
import {
  errBadArgType,
  errBadPatchFormatForRetainKeys,
  errBadPatchType,
  errNoListOfLists,
  errNoMergeKey,
  StrategicMergeError,
} from './errors.js';
import { goFormat } from './go-format.js';
import { normalizeElementOrder, partitionByPresence } from './list-order.js';
import { childSchema, fieldMeta } from './patch-meta.js';
import type { PatchSchema } from './patch-meta.js';

type Kind = 'map' | 'list' | 'string' | 'number' | 'boolean' | 'null';

function kindOf(value: unknown): Kind {
  if (value === null || value === undefined) return 'null';
  if (Array.isArray(value)) return 'list';
  if (isJsonMap(value)) return 'map';
  return typeof value === 'number' ? 'number' : typeof value === 'boolean' ? 'boolean' : 'string';
}

/** The value to store for a patch value that has nothing to merge with. */
function asNewValue(patchValue: unknown): { value: unknown; keep: boolean } {
  discardNulls(patchValue);
  return removeDirectives(patchValue);
}

export function mergeMap(original: JsonMap, patch: JsonMap, schema: PatchSchema): JsonMap {
  if (Object.hasOwn(patch, DIRECTIVE_MARKER)) return mapDirective(patch);
  applyRetainKeys(original, patch);
  applySetElementOrder(original, patch, schema);

  for (const rawKey of Object.keys(patch)) {
    const patchValue = patch[rawKey];
    const isDeleteList = rawKey.startsWith(DELETE_FROM_PRIMITIVE_LIST_PREFIX);
    const key = isDeleteList ? listKeyOf(rawKey, DELETE_FROM_PRIMITIVE_LIST_PREFIX) : rawKey;

    if (patchValue === null) {
      delete original[key];
      continue;
    }
    if (!Object.hasOwn(original, key) || kindOf(original[key]) !== kindOf(patchValue)) {
      // Nothing to merge with: take the patch's value (a deletion list adds nothing).
      if (!isDeleteList) {
        const fresh = asNewValue(patchValue);
        if (fresh.keep) setOwn(original, key, fresh.value);
        else delete original[key];
      }
      continue;
    }
    const current = original[key];
    const meta = fieldMeta(schema, key);
    if (isJsonMap(current) && isJsonMap(patchValue)) {
      if (meta.strategy === REPLACE) {
        setOwn(original, key, asNewValue(patchValue).value);
      } else {
        setOwn(original, key, mergeMap(current, patchValue, childSchema(schema, key)));
      }
    } else if (Array.isArray(current) && Array.isArray(patchValue)) {
      setOwn(original, key, mergeListField(current, patchValue, schema, key, isDeleteList));
    } else {
      const fresh = removeDirectives(patchValue);
      if (fresh.keep) setOwn(original, key, fresh.value);
      else delete original[key];
    }
  }
  return original;
}

/** `$patch` in a map: `replace` keeps just the patch, `delete` empties the map. */
function mapDirective(patch: JsonMap): JsonMap {
  const directive = patch[DIRECTIVE_MARKER];
  if (directive === REPLACE) {
    delete patch[DIRECTIVE_MARKER];
    return asNewValue(patch).value as JsonMap;
  }
  if (directive === DELETE) return {};
  throw errBadPatchType(directive, patch);
}

function mergeListField(current: unknown[], patchValue: unknown[], schema: PatchSchema, key: string, isDeleteList: boolean): unknown[] {
  const meta = fieldMeta(schema, key);
  if (meta.strategy === MERGE || isDeleteList) {
    return mergeList(current, patchValue, childSchema(schema, key), meta.mergeKey, isDeleteList);
  }
  return asNewValue(patchValue).value as unknown[];
}

/** `$retainKeys: [..]`: every key of the patch must be listed; the map keeps only listed keys. */
function applyRetainKeys(original: JsonMap, patch: JsonMap): void {
  if (!Object.hasOwn(patch, RETAIN_KEYS)) return;
  const retain = patch[RETAIN_KEYS];
  delete patch[RETAIN_KEYS];
  if (!Array.isArray(retain)) throw errBadPatchFormatForRetainKeys();
  const kept = new Set(retain);
  for (const [k, v] of Object.entries(patch)) {
    if (v === null || k.startsWith(DELETE_FROM_PRIMITIVE_LIST_PREFIX) || k.startsWith(SET_ELEMENT_ORDER_PREFIX)) continue;
    if (!kept.has(k)) throw errBadPatchFormatForRetainKeys();
  }
  for (const k of Object.keys(original)) if (!kept.has(k)) delete original[k];
}

function elementKind(...lists: readonly (readonly unknown[])[]): Kind {
  let found: Kind | undefined;
  for (const list of lists) {
    for (const item of list) {
      const kind = kindOf(item);
      if (found === undefined) {
        if (kind === 'list') throw errNoListOfLists();
        found = kind;
      } else if (kind !== found) {
        throw new StrategicMergeError(`list element types are not identical: ${goFormat(lists)}`);
      }
    }
  }
  if (found === undefined) throw new StrategicMergeError('no elements in any of the given slices');
  return found;
}

/** Merges two lists of a `merge` field: maps by merge key, scalars as a set. */
export function mergeList(
  original: unknown[],
  patch: unknown[],
  itemSchema: PatchSchema,
  mergeKey: string | undefined,
  isDeleteList: boolean,
): unknown[] {
  if (original.length === 0 && patch.length === 0) return original;
  const kind = elementKind(original, patch);
  if (kind !== 'map') {
    if (isDeleteList) return original.filter((v) => !patch.includes(v));
    const merged: unknown[] = [];
    for (const v of [...original, ...patch]) if (!merged.includes(v)) merged.push(v);
    const { named, rest } = partitionByPresence(merged, patch, undefined);
    return normalizeElementOrder(named, rest, patch, original, undefined);
  }
  if (!mergeKey) throw new StrategicMergeError(`cannot merge lists without merge key for ${itemSchema.name}`);
  const special = applySpecialItems(original, patch, mergeKey);
  const merged = mergeItemsByKey(special.original, special.patch, itemSchema, mergeKey);
  const { named, rest } = partitionByPresence(merged, special.patch, mergeKey);
  return normalizeElementOrder(named, rest, special.patch, special.original, mergeKey);
}

/** Items carrying `$patch`: `delete` removes matches from the original, `replace` makes the rest of the patch the list. */
function applySpecialItems(original: unknown[], patch: unknown[], mergeKey: string): { original: unknown[]; patch: unknown[] } {
  let result = original;
  const plain: unknown[] = [];
  let replace = false;
  for (const item of patch) {
    if (!isJsonMap(item) || !Object.hasOwn(item, DIRECTIVE_MARKER)) {
      plain.push(item);
      continue;
    }
    const directive = item[DIRECTIVE_MARKER];
    if (directive === DELETE) {
      if (!Object.hasOwn(item, mergeKey)) throw errNoMergeKey(item, mergeKey);
      const id = item[mergeKey];
      result = result.filter((candidate) => {
        if (!isJsonMap(candidate)) throw new StrategicMergeError(`value for key ${goFormat(candidate)} is not a map`);
        return candidate[mergeKey] !== id;
      });
    } else if (directive === REPLACE) {
      replace = true;
    } else if (directive === MERGE) {
      throw new StrategicMergeError('merging lists cannot yet be specified in the patch');
    } else {
      throw errBadPatchType(directive, item);
    }
  }
  if (replace) return { original: asNewValue(plain).value as unknown[], patch: [] };
  return { original: result, patch: plain };
}

function mergeItemsByKey(original: unknown[], patch: unknown[], itemSchema: PatchSchema, mergeKey: string): unknown[] {
  const merged = [...original];
  for (const item of patch) {
    if (!isJsonMap(item)) throw errBadArgType('map[string]interface {}', item);
    if (!Object.hasOwn(item, mergeKey)) throw errNoMergeKey(item, mergeKey);
    const at = merged.findIndex((candidate) => {
      if (!isJsonMap(candidate)) throw new StrategicMergeError(`value for key ${goFormat(candidate)} is not a map`);
      return candidate[mergeKey] === item[mergeKey];
    });
    const existing = at >= 0 ? merged[at] : undefined;
    if (isJsonMap(existing)) merged[at] = mergeMap(existing, item, itemSchema);
    else {
      const fresh = asNewValue(item);
      if (fresh.keep) merged.push(fresh.value);
    }
  }
  return merged;
}

/**
 * `$setElementOrder/<list>`: merges that list now (so the main loop skips it) and puts the
 * result in the order given, server-only items interleaved by their current order.
 */
function applySetElementOrder(original: JsonMap, patch: JsonMap, schema: PatchSchema): void {
  for (const directiveKey of Object.keys(patch)) {
    if (!directiveKey.startsWith(SET_ELEMENT_ORDER_PREFIX)) continue;
    const order = patch[directiveKey];
    delete patch[directiveKey];
    if (!Array.isArray(order)) throw errBadArgType('[]interface {}', order);
    const key = listKeyOf(directiveKey, SET_ELEMENT_ORDER_PREFIX);
    const meta = fieldMeta(schema, key);
    const hasOriginal = Object.hasOwn(original, key);
    const hasPatch = Object.hasOwn(patch, key);
    if (!hasOriginal && !hasPatch) continue;
    const originalList = hasOriginal ? original[key] : [];
    const patchList = hasPatch ? patch[key] : [];
    if (!Array.isArray(originalList)) throw errBadArgType('[]interface {}', originalList);
    if (!Array.isArray(patchList)) throw errBadArgType('[]interface {}', patchList);
    checkOrderCoversPatch(patchList, order, meta.mergeKey);

    let merged: unknown[];
    if (!hasPatch) merged = originalList;
    else if (!hasOriginal) merged = asNewValue(patchList).value as unknown[];
    else merged = mergeListField(originalList, patchList, schema, key, false);

    const { named, rest } = partitionByPresence(merged, order, meta.mergeKey);
    // The server also insists the lists hold one kind of element (and not lists).
    if (originalList.length + patchList.length > 0) elementKind(originalList, patchList);
    setOwn(original, key, normalizeElementOrder(named, rest, order, originalList, meta.mergeKey));
    delete patch[key];
  }
}

/** The patch's items (deletions aside) must appear in the order list, in the same relative order. */
function checkOrderCoversPatch(patchList: readonly unknown[], order: readonly unknown[], mergeKey: string | undefined): void {
  if (order.length === 0 || patchList.length === 0) return;
  let items = patchList;
  if (mergeKey) {
    for (const item of patchList) if (!isJsonMap(item)) throw errBadArgType('map[string]interface {}', item);
    items = patchList.filter((item) => !(isJsonMap(item) && item[DIRECTIVE_MARKER] === DELETE));
  }
  let p = 0;
  let o = 0;
  while (p < items.length && o < order.length) {
    const item = items[p];
    if (hasDirectiveMarker(item)) {
      p++;
      continue;
    }
    if (sameItem(item, order[o], mergeKey)) p++;
    o++;
  }
  if (p < items.length && o >= order.length) {
    throw new StrategicMergeError(
      `The order in patch list:\n${goFormat(patchList)}\n doesn't match ${SET_ELEMENT_ORDER_PREFIX} list:\n${goFormat(order)}\n`,
    );
  }
}

function sameItem(left: unknown, right: unknown, mergeKey: string | undefined): boolean {
  if (!mergeKey) return left === right;
  if (!isJsonMap(left)) throw errBadArgType('map[string]interface {}', left);
  if (!isJsonMap(right)) throw errBadArgType('map[string]interface {}', right);
  if (!Object.hasOwn(left, mergeKey)) throw errNoMergeKey(left, mergeKey);
  if (!Object.hasOwn(right, mergeKey)) throw errNoMergeKey(right, mergeKey);
  return left[mergeKey] === right[mergeKey];
}
