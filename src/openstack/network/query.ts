/**
 * Neutron's list queries: any attribute filters (a repeated parameter matches any of its
 * values), `fields=` projects, `sort_key`/`sort_dir` order, `limit`/`marker`/`page_reverse`
 * page with `<plural>_links`, and the tag filters. One implementation for every resource.
 */
import type { FastifyRequest } from 'fastify';
import { badRequest } from './errors.js';

export type Json = Record<string, unknown>;

const CONTROL = new Set(['fields', 'sort_key', 'sort_dir', 'limit', 'marker', 'page_reverse', 'tags', 'tags-any', 'not-tags', 'not-tags-any', 'verbose']);

export function queryParams(req: FastifyRequest): URLSearchParams {
  const i = req.url.indexOf('?');
  return new URLSearchParams(i < 0 ? '' : req.url.slice(i + 1));
}

/** The attribute filters of a query, each with its accepted values. */
export function filtersOf(q: URLSearchParams): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const [k, v] of q) {
    if (CONTROL.has(k)) continue;
    const list = out.get(k) ?? [];
    list.push(v);
    out.set(k, list);
  }
  return out;
}

function scalarMatches(actual: unknown, wanted: string): boolean {
  if (actual === null || actual === undefined) return wanted === '' || wanted === 'None' || wanted === 'null';
  if (typeof actual === 'boolean') return String(actual) === wanted.toLowerCase();
  return String(actual) === wanted;
}

/**
 * `fixed_ips=ip_address=10.0.0.3` and `fixed_ips=subnet_id=x` match inside a port's list;
 * `fixed_ips=ip_address_substr=10.0.0` (the ip-substring-filtering extension) matches a part.
 */
function fixedIpsMatch(actual: unknown, wanted: string): boolean {
  if (!Array.isArray(actual)) return false;
  const eq = wanted.indexOf('=');
  if (eq < 0) return false;
  const key = wanted.slice(0, eq);
  const value = wanted.slice(eq + 1);
  const objects = actual.filter((f): f is Json => typeof f === 'object' && f !== null);
  if (key === 'ip_address_substr') return objects.some((f) => String(f.ip_address).includes(value));
  return objects.some((f) => String(f[key]) === value);
}

export function matches(view: Json, filters: Map<string, string[]>): boolean {
  for (const [key, wanted] of filters) {
    if (!(key in view)) continue;
    const actual = view[key];
    const ok = wanted.some((w) => {
      if (key === 'fixed_ips') return fixedIpsMatch(actual, w);
      if (Array.isArray(actual)) return actual.some((a) => scalarMatches(a, w));
      return scalarMatches(actual, w);
    });
    if (!ok) return false;
  }
  return true;
}

const splitTags = (q: URLSearchParams, name: string): string[] => q.getAll(name).flatMap((v) => v.split(',')).filter((t) => t !== '');

export function tagsMatch(tags: readonly string[], q: URLSearchParams): boolean {
  const all = splitTags(q, 'tags');
  const any = splitTags(q, 'tags-any');
  const notAll = splitTags(q, 'not-tags');
  const notAny = splitTags(q, 'not-tags-any');
  if (all.length && !all.every((t) => tags.includes(t))) return false;
  if (any.length && !any.some((t) => tags.includes(t))) return false;
  if (notAll.length && notAll.every((t) => tags.includes(t))) return false;
  if (notAny.length && notAny.some((t) => tags.includes(t))) return false;
  return true;
}

function compare(a: unknown, b: unknown): number {
  if (a === b) return 0;
  if (a === null || a === undefined) return -1;
  if (b === null || b === undefined) return 1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'boolean' && typeof b === 'boolean') return Number(a) - Number(b);
  return String(a) < String(b) ? -1 : String(a) > String(b) ? 1 : 0;
}

export function sortViews(views: Json[], q: URLSearchParams): void {
  const keys = q.getAll('sort_key');
  const dirs = q.getAll('sort_dir');
  for (const d of dirs) if (d !== 'asc' && d !== 'desc') throw badRequest(`Invalid sort direction specified: ${d}`);
  if (keys.length === 0) return;
  views.sort((x, y) => {
    for (let i = 0; i < keys.length; i++) {
      const k = keys[i]!;
      const c = compare(x[k], y[k]);
      if (c !== 0) return dirs[i] === 'desc' ? -c : c;
    }
    return compare(x.id, y.id);
  });
}

export interface Page {
  items: Json[];
  links: { href: string; rel: string }[];
}

/** Marker/limit paging: the page after (or before, with page_reverse) the marker. */
export function paginate(views: Json[], q: URLSearchParams, selfUrl: string): Page {
  const limitRaw = q.get('limit');
  if (limitRaw === null) return { items: views, links: [] };
  const limit = Number(limitRaw);
  if (!Number.isInteger(limit) || limit < 0) throw badRequest(`Limit must be an integer 0 or greater and not '${limitRaw}'`);
  if (limit === 0) return { items: views, links: [] };
  const reverse = (q.get('page_reverse') ?? '').toLowerCase() === 'true';
  const marker = q.get('marker');
  let start = 0;
  let end = views.length;
  if (marker) {
    const at = views.findIndex((v) => v.id === marker);
    if (reverse) end = at < 0 ? views.length : at;
    else start = at < 0 ? 0 : at + 1;
  }
  const items = reverse ? views.slice(Math.max(start, end - limit), end) : views.slice(start, start + limit);
  const links: Page['links'] = [];
  const link = (markerId: unknown, rev: boolean): string => {
    const p = new URLSearchParams(q);
    p.set('limit', String(limit));
    p.set('marker', String(markerId));
    if (rev) p.set('page_reverse', 'True');
    else p.delete('page_reverse');
    return `${selfUrl}?${p.toString()}`;
  };
  const first = items[0];
  const last = items[items.length - 1];
  const moreAfter = reverse ? end < views.length : start + limit < views.length;
  const moreBefore = reverse ? end - limit > 0 : marker !== null;
  if (items.length === limit && moreAfter && last) links.push({ href: link(last.id, false), rel: 'next' });
  else if (reverse && moreAfter && last) links.push({ href: link(last.id, false), rel: 'next' });
  if (moreBefore && first) links.push({ href: link(first.id, true), rel: 'previous' });
  return { items, links };
}

export function project(view: Json, fields: readonly string[]): Json {
  if (fields.length === 0) return view;
  const out: Json = {};
  for (const f of fields) if (f in view) out[f] = view[f];
  return out;
}
