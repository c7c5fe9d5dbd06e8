/**
 * Glance's list query: filters, `sort=a:asc,b:desc` or `sort_key`/`sort_dir`, and
 * limit/marker pagination with a `next` link. Generic over what is listed: a caller gives
 * the attribute getter, the sortable keys and the filters it understands.
 */
import { KosError } from '../../core/errors.js';

export type SortDir = 'asc' | 'desc';
export interface SortKey {
  key: string;
  dir: SortDir;
}

export type Query = Record<string, string | string[]>;

export const firstOf = (v: string | string[] | undefined): string | undefined => (Array.isArray(v) ? v[0] : v);
export const allOf = (v: string | string[] | undefined): string[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

/** The sort order a query asks for; Glance's default is newest first, id as tie-breaker. */
export function parseSort(query: Query, sortable: ReadonlySet<string>): SortKey[] {
  const check = (key: string): string => {
    if (!sortable.has(key)) throw new KosError('BadRequest', `Unsupported sort_key value ${key}`);
    return key;
  };
  const checkDir = (dir: string): SortDir => {
    if (dir !== 'asc' && dir !== 'desc') throw new KosError('BadRequest', `Unsupported sort_dir value ${dir}`);
    return dir;
  };
  const sort = firstOf(query.sort);
  const sortKeys = allOf(query.sort_key);
  const sortDirs = allOf(query.sort_dir);
  if (sort !== undefined) {
    if (sortKeys.length > 0 || sortDirs.length > 0) {
      throw new KosError('BadRequest', 'The sort and sort_key/sort_dir parameters cannot be used together.');
    }
    return sort.split(',').map((part) => {
      const [key = '', dir = 'asc'] = part.trim().split(':');
      return { key: check(key.trim()), dir: checkDir(dir.trim()) };
    });
  }
  if (sortKeys.length > 0) {
    const dirs = sortDirs.map(checkDir);
    return sortKeys.map((key, i) => ({ key: check(key), dir: dirs[i] ?? dirs[0] ?? 'desc' }));
  }
  const dir = sortDirs.length > 0 ? checkDir(sortDirs[0]!) : 'desc';
  return [{ key: 'created_at', dir }];
}

type Comparable = string | number | boolean | null | undefined;

function compare(a: Comparable, b: Comparable): number {
  // Nulls sort first ascending, as in Glance's SQL backend.
  if (a === b) return 0;
  if (a === null || a === undefined) return -1;
  if (b === null || b === undefined) return 1;
  return a < b ? -1 : 1;
}

export function sortBy<T extends { id: string }>(items: T[], keys: SortKey[], get: (o: T, key: string) => Comparable): T[] {
  const all = keys.some((k) => k.key === 'id') ? keys : [...keys, { key: 'id', dir: keys[0]?.dir ?? 'desc' }];
  return [...items].sort((x, y) => {
    for (const { key, dir } of all) {
      const c = key === 'id' ? compare(x.id, y.id) : compare(get(x, key), get(y, key));
      if (c !== 0) return dir === 'asc' ? c : -c;
    }
    return 0;
  });
}

export interface Page<T> {
  items: T[];
  /** The marker for the next page, when there may be one. */
  nextMarker?: string;
}

/** A page after `marker` (400 when the marker is unknown, as Glance answers). */
export function paginate<T extends { id: string }>(sorted: T[], limitText: string | undefined, marker: string | undefined, maxLimit = 1000): Page<T> {
  let limit = 25;
  if (limitText !== undefined) {
    if (!/^\d+$/.test(limitText)) throw new KosError('BadRequest', 'limit param must be an integer');
    limit = Math.min(Number(limitText), maxLimit);
  }
  let start = 0;
  if (marker !== undefined) {
    const at = sorted.findIndex((o) => o.id === marker);
    if (at < 0) throw new KosError('BadRequest', `marker ${marker} could not be found.`);
    start = at + 1;
  }
  const items = sorted.slice(start, start + limit);
  const last = items[items.length - 1];
  return { items, ...(items.length === limit && last && start + limit < sorted.length ? { nextMarker: last.id } : {}) };
}

/** `size_min=10` style integer query values. */
export function intParam(query: Query, name: string): number | undefined {
  const v = firstOf(query[name]);
  if (v === undefined) return undefined;
  if (!/^-?\d+$/.test(v)) throw new KosError('BadRequest', `${name} param must be an integer`);
  return Number(v);
}
