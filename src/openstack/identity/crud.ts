/**
 * The one lifecycle of Keystone's CRUD resources — POST and GET on the collection, GET,
 * PATCH and DELETE on a member, each behind its policy rule — registered once for every
 * resource (domains, projects, users, groups, roles, regions, services, endpoints,
 * endpoint groups, credentials, policies, limits, consumers). A resource's file says only
 * what is special about it; every hook but the write hooks is optional.
 *
 * Who writes is the one choice a resource makes:
 * - a stored resource names its `collection` and the helper writes it: POST, PATCH and
 *   DELETE run under repo.writes, PATCH re-reads the object inside the lock and stores
 *   what `update` returns;
 * - a managed resource hands each write to a lifecycle module (`create`, `update`,
 *   `remove`) that takes the lock itself, because it touches several collections, cascades
 *   or revokes tokens after the write.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { KosError } from '../../core/errors.js';
import type { Collection, Identified } from '../common/collection.js';
import { contextOf } from '../common/auth.js';
import type { AuthContext } from '../common/context.js';
import type { PolicyTarget } from '../common/policy.js';
import type { IdentityDeps } from './deps.js';
import { collectionLinks, member, queryOf, selfLink } from './wire.js';

export type Json = Record<string, unknown>;

/** What every hook may look at besides its input. */
export interface CallContext {
  req: FastifyRequest;
  auth: AuthContext;
  deps: IdentityDeps;
  query: Record<string, string>;
}

/** A rule name, or a function giving it when it depends on the request or the object. */
type RuleOf<A> = string | ((arg: A) => string);

export interface CrudRules<T> {
  list: RuleOf<CallContext>;
  get: RuleOf<T | undefined>;
  /** From the request member as far as it is readable (`{}` when it is not an object). */
  create: RuleOf<Json>;
  update: RuleOf<T | undefined>;
  delete: RuleOf<T | undefined>;
}

interface ResourceBase<T extends Identified> {
  /** Wire names: `region` / `regions`. */
  member: string;
  plural: string;
  /** Path below /v3 of the collection when it is not `plural`: `OS-EP-FILTER/endpoint_groups`. */
  path?: string;
  /** Name of the member's path parameter: `id` unless given (`project_id`). */
  idParam?: string;
  rules: CrudRules<T>;
  /** The object as shown, links included (`selfLinked` adds them to a plain view). */
  view(o: T, req: FastifyRequest): Json;
  /** What GET on a member adds to the view (query-driven expansions). */
  detail?(o: T, view: Json, ctx: CallContext): Json;
  /** The policy target of an existing object (its owner fields); `{}` when not given. */
  target?(o: T): PolicyTarget;
  /** The policy target of a create, from the request member. */
  createTarget?(input: Json, ctx: CallContext): PolicyTarget;
  /** Build (and check) a new object from the request member. */
  create(input: Json, ctx: CallContext): Promise<T>;
  /** Query parameters that filter the list, each with its match. */
  filters?: Record<string, (o: T, value: string) => boolean>;
  /** Refuse access to one object beyond policy (delegated tokens out of their project). */
  guard?(o: T, ctx: CallContext): void;
  /** Narrow every list to what the caller's scope may see (Keystone's limits list). */
  listFilter?(o: T, ctx: CallContext): boolean;
  /** Skip the list rule (Keystone filters per object instead, as for credentials). */
  listPerObject?: boolean;
}

/** A resource whose writes the helper makes, in one collection. */
export interface StoredResource<T extends Identified> extends ResourceBase<T> {
  collection(deps: IdentityDeps): Collection<T>;
  /** The object after a PATCH (a copy of the stored one, to change freely); may throw. */
  update(current: T, patch: Json, ctx: CallContext): Promise<T> | T;
  /** Refuse or cascade before a delete; runs under repo.writes. */
  beforeDelete?(o: T, ctx: CallContext): Promise<void>;
  /** After a delete, outside the write lock (revocations, notifications). */
  afterDelete?(o: T, ctx: CallContext): Promise<void>;
  /** POST takes `{plural: [member…]}` and answers with the list (registered limits, limits). */
  bulkCreate?: boolean;
  remove?: never;
}

/** A resource whose writes a lifecycle module makes, under its own lock. */
export interface ManagedResource<T extends Identified> extends ResourceBase<T> {
  /** The object, or NotFound with Keystone's wording. */
  find(deps: IdentityDeps, id: string): T;
  /** The objects the caller asked for (query filters applied). */
  list(ctx: CallContext): T[];
  update(current: T, patch: Json, ctx: CallContext): Promise<T>;
  remove(current: T, ctx: CallContext): Promise<void>;
  collection?: never;
}

export type CrudResource<T extends Identified> = StoredResource<T> | ManagedResource<T>;

/** What finding one object needs: `guardedFind` serves sub-resources with it too. */
export interface Finder<T> {
  find(deps: IdentityDeps, id: string): T;
  target?(o: T): PolicyTarget;
}

const ruleName = <A>(rule: RuleOf<A>, arg: A): string => (typeof rule === 'string' ? rule : rule(arg));

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

export function callContext(req: FastifyRequest, deps: IdentityDeps): CallContext {
  return { req, auth: contextOf(req).auth, deps, query: queryOf(req) };
}

/** A path parameter; Fastify gives params as strings. */
export const paramOf = (req: FastifyRequest, name: string): string => (req.params as Record<string, string>)[name] ?? '';

/** A view with `links.self` at `<path>/<id>` after it. */
export const selfLinked =
  <T extends Identified>(path: string, view: (o: T) => Json) =>
  (o: T, req: FastifyRequest): Json => ({ ...view(o), links: selfLink(req, `${path}/${o.id}`) });

/**
 * Find the object and enforce the rule on it. When it does not exist the rule is enforced
 * on an empty target first, as Keystone does: a caller the rule refuses anyway gets 403,
 * not a 404 that would tell it the id is unused.
 */
export function guardedFind<T>(ctx: CallContext, finder: Finder<T>, rule: RuleOf<T | undefined>, id: string): T {
  let obj: T;
  try {
    obj = finder.find(ctx.deps, id);
  } catch (e) {
    ctx.deps.policy.enforce(ruleName(rule, undefined), ctx.auth, {});
    throw e;
  }
  ctx.deps.policy.enforce(ruleName(rule, obj), ctx.auth, finder.target?.(obj) ?? {});
  return obj;
}

/** A PATCH body that would change nothing is refused, as Keystone's minProperties: 1 does. */
function requireSomething(patch: Json, name: string): void {
  if (Object.keys(patch).length === 0) {
    throw new KosError('BadRequest', `Invalid input for field '${name}': {} does not have enough properties.`);
  }
}

/** An `id` in a PATCH body must match the one in the URL (Keystone's _require_matching_id). */
function requireMatchingId(patch: Json, urlId: string): void {
  if ('id' in patch && patch.id !== urlId) {
    throw new KosError('BadRequest', `Cannot change ID. The server could not comply with the request since it is either malformed or otherwise incorrect. The client is assumed to be in error.`);
  }
}

/** `{"limits": [{...}, ...]}` → the list of objects, or a 400 naming what is wrong. */
function listMember(body: unknown, name: string): Json[] {
  const value = isObject(body) ? body[name] : undefined;
  if (!Array.isArray(value) || value.length === 0) {
    throw new KosError('BadRequest', `Invalid input for field '${name}': '${name}' must be a non-empty list of objects.`);
  }
  for (const item of value) {
    if (!isObject(item)) {
      throw new KosError('BadRequest', `Invalid input for field '${name}': ${JSON.stringify(item)} is not of type 'object'.`);
    }
  }
  return value as Json[];
}

const isStored = <T extends Identified>(r: CrudResource<T>): r is StoredResource<T> => r.remove === undefined;

/** Register the five routes of a resource. */
export function registerCrud<T extends Identified>(app: FastifyInstance, deps: IdentityDeps, r: CrudResource<T>): void {
  const base = `/v3/${r.path ?? r.plural}`;
  const idParam = r.idParam ?? 'id';
  const opts = { preHandler: deps.authenticated };
  const targetOf = (o: T): PolicyTarget => r.target?.(o) ?? {};
  const finder: Finder<T> = {
    find: isStored(r) ? (d, id) => r.collection(d).require(id) : (d, id) => r.find(d, id),
    target: targetOf,
  };
  const passes = (o: T, ctx: CallContext): boolean => {
    try {
      r.guard?.(o, ctx);
      return true;
    } catch {
      return false;
    }
  };

  app.get(base, opts, async (req) => {
    const ctx = callContext(req, deps);
    // A domain-scoped caller lists within its domain (the listing filters to it).
    const target = ctx.auth.scope.kind === 'domain' ? { domain_id: ctx.auth.scope.domainId } : {};
    const listRule = ruleName(r.rules.list, ctx);
    const allowedAll = deps.policy.allowed(listRule, ctx.auth, target);
    if (!allowedAll && !r.listPerObject) deps.policy.enforce(listRule, ctx.auth, target);
    const active = Object.entries(ctx.query).flatMap(([k, v]) => {
      const match = r.filters?.[k];
      return match ? [[match, v] as const] : [];
    });
    const items = (isStored(r) ? r.collection(deps).list() : r.list(ctx)).filter(
      (o) =>
        active.every(([match, v]) => match(o, v)) &&
        (allowedAll || deps.policy.allowed(ruleName(r.rules.get, o), ctx.auth, targetOf(o))) &&
        passes(o, ctx) &&
        (r.listFilter?.(o, ctx) ?? true),
    );
    return { [r.plural]: items.map((o) => r.view(o, req)), links: collectionLinks(req) };
  });

  app.post(base, opts, async (req, reply: FastifyReply) => {
    const ctx = callContext(req, deps);
    const body: unknown = req.body;
    if (!isStored(r)) {
      // The rule reads what it can of the member; the member is checked after it.
      const inner = isObject(body) ? body[r.member] : undefined;
      const peeked = isObject(inner) ? inner : {};
      deps.policy.enforce(ruleName(r.rules.create, peeked), ctx.auth, r.createTarget?.(peeked, ctx) ?? {});
      const created = await r.create(member(body, r.member), ctx);
      return reply.code(201).send({ [r.member]: r.view(created, req) });
    }
    if (r.bulkCreate) {
      deps.policy.enforce(ruleName(r.rules.create, {}), ctx.auth, {});
      const inputs = listMember(body, r.plural);
      // All or nothing: every item is checked before the first is written.
      const created = await deps.repo.writes.run(async () => {
        const out: T[] = [];
        try {
          for (const input of inputs) out.push(await r.create(input, ctx));
        } catch (e) {
          for (const o of out) await r.collection(deps).deleteIfExists(o.id);
          throw e;
        }
        return out;
      });
      return reply.code(201).send({ [r.plural]: created.map((o) => r.view(o, req)) });
    }
    const input = member(body, r.member);
    deps.policy.enforce(ruleName(r.rules.create, input), ctx.auth, r.createTarget?.(input, ctx) ?? {});
    const created = await deps.repo.writes.run(() => r.create(input, ctx));
    return reply.code(201).send({ [r.member]: r.view(created, req) });
  });

  app.get(`${base}/:${idParam}`, opts, async (req) => {
    const ctx = callContext(req, deps);
    const found = guardedFind(ctx, finder, r.rules.get, paramOf(req, idParam));
    r.guard?.(found, ctx);
    const view = r.view(found, req);
    return { [r.member]: r.detail ? r.detail(found, view, ctx) : view };
  });

  app.patch(`${base}/:${idParam}`, opts, async (req) => {
    const ctx = callContext(req, deps);
    const id = paramOf(req, idParam);
    if (!isStored(r)) {
      const current = guardedFind(ctx, finder, r.rules.update, id);
      r.guard?.(current, ctx);
      const updated = await r.update(current, member(req.body, r.member), ctx);
      return { [r.member]: r.view(updated, req) };
    }
    // The body is checked before a missing object is reported; the object is re-read under the lock.
    const existing = r.collection(deps).get(id);
    deps.policy.enforce(ruleName(r.rules.update, existing), ctx.auth, existing ? targetOf(existing) : {});
    const patch = member(req.body, r.member);
    requireSomething(patch, r.member);
    requireMatchingId(patch, id);
    const updated = await deps.repo.writes.run(async () => {
      const current = r.collection(deps).require(id);
      r.guard?.(current, ctx);
      const next = await r.update(structuredClone(current), patch, ctx);
      return r.collection(deps).update(id, () => next);
    });
    return { [r.member]: r.view(updated, req) };
  });

  app.delete(`${base}/:${idParam}`, opts, async (req, reply: FastifyReply) => {
    const ctx = callContext(req, deps);
    const found = guardedFind(ctx, finder, r.rules.delete, paramOf(req, idParam));
    if (!isStored(r)) {
      r.guard?.(found, ctx);
      await r.remove(found, ctx);
      return reply.code(204).send();
    }
    const deleted = await deps.repo.writes.run(async () => {
      const current = r.collection(deps).require(found.id);
      r.guard?.(current, ctx);
      await r.beforeDelete?.(current, ctx);
      return r.collection(deps).delete(current.id);
    });
    await r.afterDelete?.(deleted, ctx);
    return reply.code(204).send();
  });
}
