/**
 * The one list helper of every Nova collection: sort by keys, page with limit and marker
 * (a marker that is not in the list is Nova's 400 "marker [x] not found"), and the
 * `<plural>_links` next link when a page is full.
 */
import { badRequest } from './errors.js';

export type Scalar = string | number | boolean | null | undefined;

export interface PageQuery {
  limit?: string | undefined;
  marker?: string | undefined;
}

export interface SortSpec<T> {
  keys: { key: string; dir: 'asc' | 'desc' }[];
  valueOf(o: T, key: string): Scalar;
}

export function sortItems<T>(items: T[], spec: SortSpec<T>): T[] {
  const cmp = (a: Scalar, b: Scalar): number => {
    if (a === b) return 0;
    if (a === null || a === undefined) return -1;
    if (b === null || b === undefined) return 1;
    return a < b ? -1 : 1;
  };
  return [...items].sort((x, y) => {
    for (const { key, dir } of spec.keys) {
      const c = cmp(spec.valueOf(x, key), spec.valueOf(y, key));
      if (c !== 0) return dir === 'asc' ? c : -c;
    }
    return 0;
  });
}

export function parseLimit(limit: string | undefined): number | undefined {
  if (limit === undefined) return undefined;
  if (!/^\d+$/.test(limit)) throw badRequest(`Invalid input for query parameters limit. Value: ${limit}. '${limit}' does not match '^[0-9]*$'`);
  return Number(limit);
}

export interface Page<T> {
  items: T[];
  /** The id of the last item when more may follow. */
  next?: string;
}

export function paginate<T>(items: T[], q: PageQuery, idOf: (o: T) => string, noun = 'marker'): Page<T> {
  let start = 0;
  if (q.marker !== undefined) {
    const i = items.findIndex((o) => idOf(o) === q.marker);
    if (i < 0) throw badRequest(`${noun} [${q.marker}] not found`);
    start = i + 1;
  }
  const limit = parseLimit(q.limit);
  const rest = items.slice(start);
  if (limit === undefined || rest.length <= limit) return { items: rest };
  if (limit === 0) return { items: [] };
  const page = rest.slice(0, limit);
  return { items: page, next: idOf(page[page.length - 1]!) };
}

/** `[{rel: next, href}]` for a page that has a next one. */
export function nextLinks(base: string, query: URLSearchParams, next: string | undefined): { rel: string; href: string }[] | undefined {
  if (!next) return undefined;
  const q = new URLSearchParams(query);
  q.set('marker', next);
  return [{ rel: 'next', href: `${base}?${q.toString()}` }];
}
