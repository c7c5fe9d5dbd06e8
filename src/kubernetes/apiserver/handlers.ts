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
import { fieldValidatorFor, parseFieldValidation } from './apply/field-validation.js';
import { recordUpdate, type Writer } from './apply/managed-fields.js';
import { isApplyPatch, requireFieldManager, serverSideApply } from './apply/server-side-apply.js';
import { shapesFor } from './apply/shape.js';
import { rfc3339 } from './time.js';
import { parseDeleteOptions, resourceOf, type DeleteOptionsBody, type Registry } from './registry.js';
import type { ResourceRequest } from './request-info.js';
import type { ResourceDefinition } from './resource.js';
import { serveFromSource } from './resources/object-source.js';
import { bindPod, evictPod } from './resources/pod-subresources.js';
import { pods } from './resources/pods.js';
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
  /** The client's User-Agent: names the field manager of writes that name none. */
  userAgent?: string;
}

export type HandlerResult =
  /** `warnings`: texts for `Warning: 299 - "…"` response headers (fieldValidation=Warn). */
  | { kind: 'json'; code: number; body: unknown; warnings?: string[] }
  | { kind: 'watch'; def: ResourceDefinition; namespace: string | undefined; options: WatchOptions; shape: ResponseShape; include: ReturnType<typeof parseIncludeObject> };

export interface HandlerContext {
  registry: Registry;
  catalog: ResourceCatalog;
  namespaces: ResourceDefinition;
  /** The cluster's auth, for computed creates (reviews, TokenRequest). */
  auth?: ClusterAuth;
}

const json = (code: number, body: unknown): HandlerResult => ({ kind: 'json', code, body });

const withWarnings = (result: HandlerResult, warnings: readonly string[]): HandlerResult =>
  result.kind === 'json' && warnings.length > 0 ? { ...result, warnings: [...warnings] } : result;

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
      if (def === pods && (info.subresource === 'binding' || info.subresource === 'eviction')) {
        const write = info.subresource === 'binding' ? bindPod : evictPod;
        return json(201, await write(ctx.registry, ns!, info.name!, decodeBody(call.contentType, call.body), isDryRun(query)));
      }
      if (info.subresource || def.compute) return json(201, await computedCreate(ctx, def, call));
      const directive = parseFieldValidation(query.fieldValidation);
      const body = decodeBody(call.contentType, call.body);
      const { warnings } = fieldValidatorFor(ctx.catalog).enforce(def, body, directive);
      const created = await ctx.registry.create(def, ns, body, { dryRun: isDryRun(query), managedFields: updateRecorder(ctx, def, call), ...userOf(call) });
      return withWarnings(json(201, created), warnings);
    }
    case 'update': {
      const warnings: string[] = [];
      return withWarnings(json(200, await update(ctx, def, call, warnings)), warnings);
    }
    case 'patch': {
      if (isApplyPatch(mediaTypeOf(call.contentType)) && info.subresource !== 'scale') return apply(ctx, def, call);
      const warnings: string[] = [];
      return withWarnings(json(200, await patch(ctx, def, call, warnings)), warnings);
    }
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
    // pods/log is served by the listener (streaming/pod-log.ts); exec, attach and
    // portforward only as protocol upgrades (streaming/upgrade.ts), so a plain GET is refused.
    await ctx.registry.get(def, info.namespace, info.name!);
    throw badRequest('Upgrade request required');
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

/** `warnings` receives what fieldValidation=Warn reports about the written object. */
async function update(ctx: HandlerContext, def: ResourceDefinition, call: ResourceCall, warnings: string[]): Promise<unknown> {
  const { info, query } = call;
  const directive = parseFieldValidation(query.fieldValidation);
  const body = decodeBody(call.contentType, call.body);
  const dryRun = isDryRun(query);
  if (info.subresource === 'scale') {
    const scaling = scalingFor(def);
    const updated = await ctx.registry.updateWith(def, info.namespace, info.name!, (current) => scaling.apply(current, body), { dryRun, managedFields: updateRecorder(ctx, def, call), ...userOf(call) });
    return scaling.of(updated);
  }
  if (info.subresource === 'finalize' && def === ctx.namespaces) return finalizeNamespace(ctx.registry, def, info.name!, body, { dryRun });
  if (info.subresource && info.subresource !== 'status') throw methodNotAllowed();
  warnings.push(...fieldValidatorFor(ctx.catalog).enforce(def, body, directive).warnings);
  return ctx.registry.update(def, info.namespace, info.name!, body, {
    dryRun,
    managedFields: updateRecorder(ctx, def, call), ...userOf(call),
    ...(info.subresource === 'status' ? { subresource: 'status' as const } : {}),
  });
}

/** `warnings` receives what fieldValidation=Warn reports about the patched object. */
async function patch(ctx: HandlerContext, def: ResourceDefinition, call: ResourceCall, warnings: string[]): Promise<unknown> {
  const { info, query } = call;
  const dryRun = isDryRun(query);
  const directive = parseFieldValidation(query.fieldValidation);
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
      { dryRun, managedFields: updateRecorder(ctx, def, call), ...userOf(call) },
    );
    return scaling.of(updated);
  }
  if (info.subresource && info.subresource !== 'status') throw methodNotAllowed();
  return ctx.registry.updateWith(
    def,
    info.namespace,
    info.name!,
    (current) => {
      const patched = applyPatch(contentType, current, patchBody, { group: def.group, version: def.version, kind: def.kind });
      // A retried compare-and-swap recomputes the patch: report the last attempt only.
      warnings.splice(0, warnings.length, ...fieldValidatorFor(ctx.catalog).enforce(def, patched, directive).warnings);
      return patched;
    },
    { dryRun, managedFields: updateRecorder(ctx, def, call), ...userOf(call), ...(info.subresource === 'status' ? { subresource: 'status' as const } : {}) },
  );
}

/**
 * The manager of a write that names no fieldManager: the User-Agent's program name
 * (`kubectl/v1.33.1 (linux/amd64) …` → `kubectl`), as the real server records it.
 */
function defaultFieldManager(userAgent: string | undefined): string {
  const name = userAgent?.split('/')[0]?.trim();
  return name ? name.slice(0, 128) : 'unknown';
}

/** Who a write is recorded for in managedFields. */
function writerOf(ctx: HandlerContext, def: ResourceDefinition, call: ResourceCall, manager: string): Writer {
  const sub = call.info.subresource;
  return { manager, apiVersion: def.apiVersion, time: rfc3339(ctx.registry.clock.now()), ...(sub ? { subresource: sub } : {}) };
}

/** Who writes, for admission (RBAC escalation checks); absent on unauthenticated paths. */
const userOf = (call: ResourceCall): { user?: UserInfo } => (call.user ? { user: call.user } : {});

/** The registry hook recording an ordinary write (create, update, patch) as an Update entry. */
function updateRecorder(ctx: HandlerContext, def: ResourceDefinition, call: ResourceCall) {
  const shape = shapesFor(ctx.catalog).shapeOf(def);
  const writer = writerOf(ctx, def, call, call.query.fieldManager || defaultFieldManager(call.userAgent));
  return (old: KubeObject | undefined, next: KubeObject): unknown[] => recordUpdate(old, next, shape, writer);
}

/** Server-side apply (PATCH application/apply-patch+yaml): 201 when it created the object. */
async function apply(ctx: HandlerContext, def: ResourceDefinition, call: ResourceCall): Promise<HandlerResult> {
  const { info, query } = call;
  if (info.subresource && info.subresource !== 'status') throw methodNotAllowed();
  const manager = requireFieldManager(query.fieldManager);
  const outcome = await serverSideApply({
    registry: ctx.registry,
    def,
    namespace: info.namespace,
    name: info.name!,
    body: call.body ?? new Uint8Array(),
    shape: shapesFor(ctx.catalog).shapeOf(def),
    writer: writerOf(ctx, def, call, manager),
    ...userOf(call),
    force: boolParam(query, 'force') === true,
    dryRun: isDryRun(query),
    ...(info.subresource === 'status' ? { subresource: 'status' as const } : {}),
    validator: fieldValidatorFor(ctx.catalog),
    fieldValidation: parseFieldValidation(query.fieldValidation),
  });
  return withWarnings(json(outcome.created ? 201 : 200, outcome.object), outcome.warnings);
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
