/**
 * The order of a merged list, as the server decides it: items named by the patch keep the
 * patch's (or `$setElementOrder`'s) relative order, items only on the server keep theirs,
 * and the two runs are interleaved by the server's order where both are known; an item new
 * to the server goes before the server-only items it cannot be placed among.
 */
import { isJsonMap } from '../../json.js';
import { DELETE, DIRECTIVE_MARKER } from './directives.js';
import { errBadArgType, errNoMergeKey } from './errors.js';

/** The identity of a list item: its merge key's value for maps, itself for scalars. */
function identity(item: unknown, mergeKey: string | undefined): unknown {
  if (!mergeKey) return item;
  return isJsonMap(item) ? item[mergeKey] : undefined;
}

export function indexOfItem(list: readonly unknown[], item: unknown, mergeKey: string | undefined): number {
  const id = identity(item, mergeKey);
  return list.findIndex((candidate) => identity(candidate, mergeKey) === id);
}

/** Every item of every list must be a map carrying the merge key. */
export function requireMergeKey(mergeKey: string, ...lists: readonly (readonly unknown[])[]): void {
  for (const list of lists) {
    for (const item of list) {
      if (!isJsonMap(item)) throw errBadArgType('map[string]interface {}', item);
      if (!Object.hasOwn(item, mergeKey)) throw errNoMergeKey(item, mergeKey);
    }
  }
}

/** Splits `items` into those named in `by` and the rest, each keeping its order. */
export function partitionByPresence(
  items: readonly unknown[],
  by: readonly unknown[],
  mergeKey: string | undefined,
): { named: unknown[]; rest: unknown[] } {
  if (mergeKey) requireMergeKey(mergeKey, items);
  const named: unknown[] = [];
  const rest: unknown[] = [];
  for (const item of items) (indexOfItem(by, item, mergeKey) >= 0 ? named : rest).push(item);
  return { named, rest };
}

/** Stable sort by position in `order`; `$patch: delete` items (maps only) go last. */
function sortByOrder(items: readonly unknown[], order: readonly unknown[], mergeKey: string | undefined): unknown[] {
  let toSort = [...items];
  let deletions: unknown[] = [];
  if (mergeKey) {
    requireMergeKey(mergeKey, items, order);
    deletions = toSort.filter((i) => isJsonMap(i) && i[DIRECTIVE_MARKER] === DELETE);
    toSort = toSort.filter((i) => !(isJsonMap(i) && i[DIRECTIVE_MARKER] === DELETE));
  }
  const position = (item: unknown): number => {
    const i = indexOfItem(order, item, mergeKey);
    return i < 0 ? Number.MAX_SAFE_INTEGER : i;
  };
  const sorted = toSort.map((item, i) => ({ item, i, p: position(item) })).sort((a, b) => a.p - b.p || a.i - b.i);
  return [...sorted.map((s) => s.item), ...deletions];
}

/** Interleaves server-only items (`left`) into patch items (`right`) by the server's order. */
function mergeSorted(left: readonly unknown[], right: readonly unknown[], serverOrder: readonly unknown[], mergeKey: string | undefined): unknown[] {
  const out: unknown[] = [];
  let i = 0;
  let j = 0;
  while (i < left.length || j < right.length) {
    if (j >= right.length) out.push(left[i++]);
    else if (i >= left.length) out.push(right[j++]);
    else {
      const li = indexOfItem(serverOrder, left[i], mergeKey);
      const ri = indexOfItem(serverOrder, right[j], mergeKey);
      if (li >= 0 && ri >= 0 && li < ri) out.push(left[i++]);
      else out.push(right[j++]);
    }
  }
  return out;
}

/**
 * normalizeElementOrder: `patchItems` sorted by `patchOrder`, `serverOnly` by `serverOrder`,
 * then interleaved.
 */
export function normalizeElementOrder(
  patchItems: readonly unknown[],
  serverOnly: readonly unknown[],
  patchOrder: readonly unknown[],
  serverOrder: readonly unknown[],
  mergeKey: string | undefined,
): unknown[] {
  const patchSorted = sortByOrder(patchItems, patchOrder, mergeKey);
  const serverSorted = sortByOrder(serverOnly, serverOrder, mergeKey);
  return mergeSorted(serverSorted, patchSorted, serverOrder, mergeKey);
}
