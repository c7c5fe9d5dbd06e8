/**
 * LIST: one consistent snapshot of a resource, paged with limit/continue, filtered by
 * selectors, at the resourceVersion the client asked for. The continue token is the
 * store's own (it already pins the snapshot revision and its prefix).
 */
import { isKosError } from '../../core/errors.js';
import type { KubeObject } from './object.js';
import type { Registry } from './registry.js';
import type { ResourceDefinition } from './resource.js';
import { compileFilter, type ObjectFilter } from './selectors.js';
import { StatusError, badRequest, expired, failure } from './status.js';

export interface ListOptions {
  labelSelector?: string;
  fieldSelector?: string;
  limit?: number;
  continue?: string;
  resourceVersion?: string;
  resourceVersionMatch?: string;
}

export interface ListMeta {
  resourceVersion: string;
  continue?: string;
  remainingItemCount?: number;
}

export interface ObjectList {
  kind: string;
  apiVersion: string;
  metadata: ListMeta;
  items: KubeObject[];
}

export function filterFor(def: ResourceDefinition, opts: { labelSelector?: string; fieldSelector?: string }): ObjectFilter {
  return compileFilter(def, opts.labelSelector, opts.fieldSelector);
}

/** Parse a resourceVersion parameter: a store revision as a decimal string. */
export function parseResourceVersion(rv: string): number {
  if (!/^\d+$/.test(rv)) throw badRequest(`invalid resource version "${rv}"`);
  const n = Number(rv);
  if (!Number.isSafeInteger(n)) throw badRequest(`invalid resource version "${rv}"`);
  return n;
}

export const tooLargeResourceVersion = (requested: number, current: number) =>
  failure(504, 'Timeout', `Too large resource version: ${requested}, current: ${current}`, {
    causes: [{ reason: 'ResourceVersionTooLarge', message: 'Too large resource version' }],
    retryAfterSeconds: 1,
  });

/** The revision a list must be read at: undefined for "the latest". */
async function readRevision(registry: Registry, opts: ListOptions): Promise<number | undefined> {
  const rv = opts.resourceVersion ?? '';
  const match = opts.resourceVersionMatch ?? '';
  if (opts.continue) {
    if (rv && rv !== '0') throw badRequest('specifying resource version is not allowed when using continue');
    return undefined;
  }
  if (match && !rv) throw badRequest('resourceVersionMatch is forbidden unless resourceVersion is provided');
  if (match && match !== 'Exact' && match !== 'NotOlderThan') {
    throw badRequest(`resourceVersionMatch: Unsupported value: "${match}": supported values: "Exact", "NotOlderThan"`);
  }
  if (!rv) return undefined;
  const wanted = parseResourceVersion(rv);
  if (match === 'Exact' && wanted === 0) throw badRequest('resourceVersionMatch "Exact" is forbidden for resourceVersion "0"');
  if (wanted === 0) return undefined;
  const current = await registry.store.currentRevision();
  if (wanted > current) throw tooLargeResourceVersion(wanted, current);
  return match === 'Exact' ? wanted : undefined;
}

export async function listObjects(registry: Registry, def: ResourceDefinition, namespace: string | undefined, opts: ListOptions): Promise<ObjectList> {
  const limit = opts.limit ?? 0;
  if (!Number.isSafeInteger(limit) || limit < 0) throw badRequest(`invalid limit ${String(opts.limit)}`);
  const revision = await readRevision(registry, opts);
  const selective = !!(opts.labelSelector?.trim() || opts.fieldSelector?.trim());
  const wanted = filterFor(def, opts);
  const prefix = registry.keys.prefix(def, namespace);
  const items: KubeObject[] = [];
  let token = opts.continue;
  let remaining: number | undefined;
  let listRevision = 0;
  // With a selector a page may match fewer than limit objects: keep reading pages, each
  // no larger than what is still missing, so the continue token never skips a match.
  for (let first = true; first || (token && limit > 0 && items.length < limit); first = false) {
    const page = await rangeOrExpire(registry, prefix, {
      ...(limit > 0 ? { limit: limit - items.length } : {}),
      ...(token ? { continue: token } : {}),
      ...(revision !== undefined && !token ? { revision } : {}),
    });
    listRevision = page.revision;
    for (const kv of page.kvs) {
      const obj = registry.decodeAs(def, kv);
      if (wanted(obj)) items.push(obj);
    }
    remaining = page.count - page.kvs.length;
    token = page.continue;
  }
  const metadata: ListMeta = { resourceVersion: String(listRevision) };
  if (token) {
    metadata.continue = token;
    // Only an unfiltered listing knows how many objects the remaining pages hold.
    if (!selective && remaining !== undefined) metadata.remainingItemCount = remaining;
  }
  for (const item of items) {
    // Items of a list carry no TypeMeta on the wire; the list's kind says it.
    delete (item as Partial<KubeObject>).apiVersion;
    delete (item as Partial<KubeObject>).kind;
  }
  return { kind: def.listKind, apiVersion: def.apiVersion, metadata, items };
}

async function rangeOrExpire(registry: Registry, prefix: string, opts: { limit?: number; continue?: string; revision?: number }) {
  try {
    return await registry.store.range(prefix, opts);
  } catch (e) {
    if (isKosError(e) && e.kind === 'Compacted') {
      throw opts.continue
        ? expired('The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter.')
        : expired('The resourceVersion for the provided list is too old.');
    }
    throw e;
  }
}

/** Every object of a listing in full (all pages), for deletecollection and bootstrap. */
export async function listAll(registry: Registry, def: ResourceDefinition, namespace: string | undefined, opts: ListOptions = {}): Promise<KubeObject[]> {
  const wanted = filterFor(def, opts);
  const prefix = registry.keys.prefix(def, namespace);
  const out: KubeObject[] = [];
  let page = await registry.store.range(prefix, { limit: 500 });
  for (;;) {
    for (const kv of page.kvs) {
      const obj = registry.decode(kv);
      if (wanted(obj)) out.push(obj);
    }
    if (!page.continue) return out;
    page = await registry.store.range(prefix, { limit: 500, continue: page.continue });
  }
}

/** DELETE on a collection: delete each listed object; the answer lists what was deleted. */
export async function deleteCollection(
  registry: Registry,
  def: ResourceDefinition,
  namespace: string | undefined,
  listOpts: ListOptions,
  deleteOpts: Parameters<Registry['delete']>[3],
): Promise<ObjectList> {
  const targets = await listAll(registry, def, namespace, listOpts);
  const deleted: KubeObject[] = [];
  for (const obj of targets) {
    try {
      const r = await registry.delete(def, obj.metadata.namespace, obj.metadata.name ?? '', deleteOpts);
      deleted.push(r.object);
    } catch (e) {
      // Deleted meanwhile by someone else: that is what the caller wanted anyway.
      if (!(e instanceof StatusError && e.code === 404)) throw e;
    }
  }
  const revision = await registry.store.currentRevision();
  return { kind: def.listKind, apiVersion: def.apiVersion, metadata: { resourceVersion: String(revision) }, items: deleted };
}
