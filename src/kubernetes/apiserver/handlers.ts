/**
 * Resource requests: a parsed RequestInfo plus query, headers and body in; a response (or
 * a watch stream) out. Everything kind-specific has already been decided by the resource
 * definition; this file only maps verbs and subresources onto the registry.
 */
import type { ClusterAuth, UserInfo } from './auth.js';
import { decodeBody, mediaTypeOf } from './body.js';
import type { ResourceCatalog } from './catalog.js';
import { deleteCollection, filterFor, listObjects, parseResourceVersion, type ListOptions, type ObjectList } from './list.js';
import { negotiateShape, type ResponseShape } from './negotiation.js';
import { deleteNamespace, finalizeNamespace } from './namespace-deletion.js';
import { asKubeObject, type KubeObject } from './object.js';
import { applyPatch } from './patch.js';
import { parseDeleteOptions, resourceOf, type DeleteOptionsBody, type Registry } from './registry.js';
import type { ResourceRequest } from './request-info.js';
import type { ResourceDefinition } from './resource.js';
import { serveFromSource } from './resources/object-source.js';
import { customResourceInfo, scalingFor } from './crd/index.js';
import { badRequest, failure, methodNotAllowed, pathNotFound, unsupportedMediaType } from './status.js';
import { parseIncludeObject, toTable } from './table.js';
import type { WatchEvent, WatchOptions } from './watch.js';

export type Query = Record<string, string | undefined>;

export interface ResourceCall {
  info: ResourceRequest;
  query: Query;
  accept: string | undefined;
  contentType: string | undefined;
  body: Uint8Array | undefined;
  /** Who is asking (absent only on paths served without authentication). */
  user?: UserInfo;
}

export type HandlerResult =
  | { kind: 'json'; code: number; body: unknown }
  | { kind: 'watch'; def: ResourceDefinition; namespace: string | undefined; options: WatchOptions; shape: ResponseShape; include: ReturnType<typeof parseIncludeObject> };

export interface HandlerContext {
  registry: Registry;
  catalog: ResourceCatalog;
  namespaces: ResourceDefinition;
  /** The cluster's auth, for computed creates (reviews, TokenRequest). */
  auth?: ClusterAuth;
}

const json = (code: number, body: unknown): HandlerResult => ({ kind: 'json', code, body });

function intParam(query: Query, name: string): number | undefined {
  const v = query[name];
  if (v === undefined || v === '') return undefined;
  if (!/^-?\d+$/.test(v)) throw badRequest(`invalid ${name} "${v}": must be an integer`);
  return Number(v);
}

function boolParam(query: Query, name: string): boolean | undefined {
  const v = query[name];
  if (v === undefined || v === '') return undefined;
  return v === 'true' || v === '1';
}

function listOptions(query: Query): ListOptions {
  const opts: ListOptions = {};
  if (query.labelSelector) opts.labelSelector = query.labelSelector;
  if (query.fieldSelector) opts.fieldSelector = query.fieldSelector;
  const limit = intParam(query, 'limit');
  if (limit !== undefined) opts.limit = Math.max(0, limit);
  if (query.continue) opts.continue = query.continue;
  if (query.resourceVersion !== undefined) opts.resourceVersion = query.resourceVersion;
  if (query.resourceVersionMatch) opts.resourceVersionMatch = query.resourceVersionMatch;
  return opts;
}

function watchOptions(query: Query): WatchOptions {
  const opts: WatchOptions = {};
  if (query.labelSelector) opts.labelSelector = query.labelSelector;
  if (query.fieldSelector) opts.fieldSelector = query.fieldSelector;
  if (query.resourceVersion !== undefined) opts.resourceVersion = query.resourceVersion;
  if (query.resourceVersionMatch) opts.resourceVersionMatch = query.resourceVersionMatch;
  const bookmarks = boolParam(query, 'allowWatchBookmarks');
  if (bookmarks !== undefined) opts.allowWatchBookmarks = bookmarks;
  const initial = boolParam(query, 'sendInitialEvents');
  if (initial !== undefined) opts.sendInitialEvents = initial;
  const timeout = intParam(query, 'timeoutSeconds');
  if (timeout !== undefined) opts.timeoutSeconds = timeout;
  return opts;
}

const isDryRun = (query: Query): boolean => query.dryRun === 'All';

function checkDryRun(query: Query): void {
  if (query.dryRun !== undefined && query.dryRun !== 'All' && query.dryRun !== '') {
    throw badRequest(`dryRun: Unsupported value: "${query.dryRun}": supported values: "All"`);
  }
}

export async function handleResource(ctx: HandlerContext, call: ResourceCall): Promise<HandlerResult> {
  const { info, query } = call;
  const def = ctx.catalog.find(info.group, info.version, info.resource);
  if (!def) throw pathNotFound();
  // A namespaced kind needs a namespace to name an object; a cluster-scoped one has none.
  if (!def.namespaced && info.namespace !== undefined) throw pathNotFound();
  if (def.namespaced && info.namespace === undefined && info.name !== undefined) throw pathNotFound();
  if (def.namespaced && info.namespace === undefined && (info.verb === 'create' || info.verb === 'deletecollection')) throw pathNotFound();
  // namespaces/finalize (PUT only) is the namespace controller's way to clear spec.finalizers.
  const namespaceFinalize = def === ctx.namespaces && info.subresource === 'finalize' && info.verb === 'update';
  if (info.subresource && !namespaceFinalize && !(def.subresources as readonly string[]).includes(info.subresource)) throw pathNotFound();
  if (!def.verbs.includes(info.verb === 'watch' ? 'watch' : info.verb)) throw methodNotAllowed();
  checkDryRun(query);
  if (def.source) {
    const served = await serveFromSource(def, def.source, call, ctx.registry.clock.now());
    return json(served.code, served.body);
  }
  const ns = info.namespace;

  switch (info.verb) {
    case 'get':
      return getOne(ctx, def, call);
    case 'list': {
      const shape = negotiateShape(call.accept, true);
      const list = await listObjects(ctx.registry, def, ns, listOptions(query));
      return json(200, shape.as === 'table' ? listAsTable(ctx, def, list, shape, query) : list);
    }
    case 'watch': {
      const shape = negotiateShape(call.accept, true);
      const options = watchOptions(query);
      // Bad parameters are an ordinary error response, before the stream starts.
      filterFor(def, options);
      if (options.resourceVersion) parseResourceVersion(options.resourceVersion);
      return { kind: 'watch', def, namespace: ns, options, shape, include: parseIncludeObject(query.includeObject) };
    }
    case 'create': {
      if (info.subresource || def.compute) return json(201, await computedCreate(ctx, def, call));
      const body = decodeBody(call.contentType, call.body);
      const created = await ctx.registry.create(def, ns, body, { dryRun: isDryRun(query) });
      return json(201, created);
    }
    case 'update':
      return json(200, await update(ctx, def, call));
    case 'patch':
      return json(200, await patch(ctx, def, call));
    case 'delete':
      return deleteOne(ctx, def, call);
    case 'deletecollection': {
      const options = deleteOptions(call);
      return json(200, await deleteCollection(ctx.registry, def, ns, listOptions(query), options));
    }
  }
}

/** A create that stores nothing: a review kind's answer, or a subresource's (serviceaccounts/token). */
async function computedCreate(ctx: HandlerContext, def: ResourceDefinition, call: ResourceCall): Promise<KubeObject> {
  const { info } = call;
  const sub = info.subresource as keyof ResourceDefinition['subresourceCreate'] | undefined;
  const handler = sub ? def.subresourceCreate[sub] : undefined;
  if (sub && !handler) throw methodNotAllowed();
  if (!ctx.auth) throw failure(503, 'ServiceUnavailable', `${def.plural} are not available: this server runs without authentication`);
  const body = decodeBody(call.contentType, call.body);
  const computeCtx = { user: call.user, namespace: info.namespace, dryRun: isDryRun(call.query), auth: ctx.auth };
  if (handler) return handler(await ctx.registry.get(def, info.namespace, info.name!), body, computeCtx);
  return def.compute!(asKubeObject(body ?? {}, def.apiVersion, def.kind), computeCtx);
}

async function getOne(ctx: HandlerContext, def: ResourceDefinition, call: ResourceCall): Promise<HandlerResult> {
  const { info, query } = call;
  const sub = info.subresource;
  if (sub && sub !== 'status' && sub !== 'scale') {
    // log, exec, attach, portforward need the pod runtime (a later piece).
    await ctx.registry.get(def, info.namespace, info.name!);
    throw badRequest(`the ${sub} subresource of ${def.plural} is not available yet: pods have no runtime on this server`);
  }
  const shape = negotiateShape(call.accept, sub === undefined);
  const obj = await ctx.registry.get(def, info.namespace, info.name!);
  if (sub === 'scale') return json(200, scalingFor(def).of(obj));
  if (shape.as === 'table') {
    return json(200, toTable(def, [obj], { resourceVersion: obj.metadata.resourceVersion ?? '' }, parseIncludeObject(query.includeObject), ctx.registry.clock.now(), `meta.k8s.io/${shape.version}`));
  }
  return json(200, obj);
}

function listAsTable(ctx: HandlerContext, def: ResourceDefinition, list: ObjectList, shape: ResponseShape & { as: 'table' }, query: Query): unknown {
  const items = list.items.map((i) => ({ ...i, apiVersion: def.apiVersion, kind: def.kind }) as KubeObject);
  return toTable(def, items, list.metadata, parseIncludeObject(query.includeObject), ctx.registry.clock.now(), `meta.k8s.io/${shape.version}`);
}

async function update(ctx: HandlerContext, def: ResourceDefinition, call: ResourceCall): Promise<unknown> {
  const { info, query } = call;
  const body = decodeBody(call.contentType, call.body);
  const dryRun = isDryRun(query);
  if (info.subresource === 'scale') {
    const scaling = scalingFor(def);
    const updated = await ctx.registry.updateWith(def, info.namespace, info.name!, (current) => scaling.apply(current, body), { dryRun });
    return scaling.of(updated);
  }
  if (info.subresource === 'finalize' && def === ctx.namespaces) return finalizeNamespace(ctx.registry, def, info.name!, body, { dryRun });
  if (info.subresource && info.subresource !== 'status') throw methodNotAllowed();
  return ctx.registry.update(def, info.namespace, info.name!, body, {
    dryRun,
    ...(info.subresource === 'status' ? { subresource: 'status' as const } : {}),
  });
}

async function patch(ctx: HandlerContext, def: ResourceDefinition, call: ResourceCall): Promise<unknown> {
  const { info, query } = call;
  const dryRun = isDryRun(query);
  const patchBody = call.body ?? new Uint8Array();
  const contentType = mediaTypeOf(call.contentType);
  // Custom resources have no merge keys: the real server refuses strategic merge for them (their Scale is built in).
  if (info.subresource !== 'scale' && customResourceInfo(def) && contentType.split(';')[0]!.trim().toLowerCase() === 'application/strategic-merge-patch+json') {
    throw unsupportedMediaType(contentType, ['application/json-patch+json', 'application/merge-patch+json', 'application/apply-patch+yaml']);
  }
  if (info.subresource === 'scale') {
    const scaling = scalingFor(def);
    const updated = await ctx.registry.updateWith(
      def,
      info.namespace,
      info.name!,
      (current) => scaling.apply(current, applyPatch(contentType, scaling.of(current), patchBody, { group: 'autoscaling', version: 'v1', kind: 'Scale' })),
      { dryRun },
    );
    return scaling.of(updated);
  }
  if (info.subresource && info.subresource !== 'status') throw methodNotAllowed();
  return ctx.registry.updateWith(
    def,
    info.namespace,
    info.name!,
    (current) => applyPatch(contentType, current, patchBody, { group: def.group, version: def.version, kind: def.kind }),
    { dryRun, ...(info.subresource === 'status' ? { subresource: 'status' as const } : {}) },
  );
}

/** DeleteOptions come from the body, and (as kubectl and curl users send them) from the query. */
function deleteOptions(call: ResourceCall): DeleteOptionsBody {
  const options = parseDeleteOptions(decodeBody(call.contentType, call.body));
  const grace = intParam(call.query, 'gracePeriodSeconds');
  if (grace !== undefined && options.gracePeriodSeconds === undefined) options.gracePeriodSeconds = grace;
  if (call.query.propagationPolicy && options.propagationPolicy === undefined) options.propagationPolicy = call.query.propagationPolicy;
  if (isDryRun(call.query)) options.dryRun = true;
  return options;
}

async function deleteOne(ctx: HandlerContext, def: ResourceDefinition, call: ResourceCall): Promise<HandlerResult> {
  const { info } = call;
  if (info.subresource) throw methodNotAllowed();
  const options = deleteOptions(call);
  const name = info.name!;
  const result =
    def === ctx.namespaces
      ? await deleteNamespace(ctx.registry, def, name, options)
      : await ctx.registry.delete(def, info.namespace, name, options);
  if (!result.deleted) return json(202, result.object);
  // Namespaces, like pods and services, answer with the object itself.
  if (def.returnDeletedObject || def === ctx.namespaces) return json(200, result.object);
  const r = resourceOf(def);
  return json(200, {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Success',
    details: { name, ...(r.group ? { group: r.group } : {}), kind: r.resource, uid: result.object.metadata.uid },
  });
}

/** The object of a watch event as the client asked for it: as is, or as a one-row Table. */
export function shapeWatchEvent(ctx: HandlerContext, result: HandlerResult & { kind: 'watch' }, event: WatchEvent): WatchEvent {
  if (result.shape.as !== 'table' || event.type === 'ERROR' || event.type === 'BOOKMARK') return event;
  const obj = event.object as KubeObject;
  const table = toTable(result.def, [obj], { resourceVersion: obj.metadata.resourceVersion ?? '' }, result.include, ctx.registry.clock.now(), `meta.k8s.io/${result.shape.version}`);
  return { type: event.type, object: table as unknown as KubeObject };
}
