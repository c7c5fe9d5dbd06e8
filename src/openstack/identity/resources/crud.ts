/**
 * The one shape most Keystone resources share — POST and GET on the collection, GET,
 * PATCH and DELETE on a member — registered once. A resource says only what is special
 * about it: how it is found, shown, listed, created, changed and removed, and which policy
 * rule guards each operation.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AuthContext } from '../../common/context.js';
import { contextOf } from '../../common/auth.js';
import type { PolicyTarget } from '../../common/policy.js';
import type { IdentityDeps } from '../deps.js';
import { collectionLinks, queryOf } from '../wire.js';

type JsonObject = Record<string, unknown>;

/** What every operation gets to look at. */
export interface CallContext {
  req: FastifyRequest;
  auth: AuthContext;
  deps: IdentityDeps;
  query: Record<string, string>;
}

export interface CrudSpec<T> {
  /** URL segment and collection key: `projects`. */
  collection: string;
  /** Member key: `project`. */
  member: string;
  /** Policy rule per operation; a function when the rule depends on the request or object. */
  rules: {
    list: string | ((ctx: CallContext) => string);
    get: string | ((obj: T | undefined) => string);
    create: string | ((body: unknown) => string);
    update: string | ((obj: T | undefined) => string);
    delete: string | ((obj: T | undefined) => string);
  };
  /** The object, or NotFound with Keystone's wording. */
  find(deps: IdentityDeps, id: string): T;
  /** The owner fields a policy rule looks at. */
  target(obj: T): PolicyTarget;
  /** The create rule's target, from the request body. */
  createTarget?(body: unknown): PolicyTarget;
  view(ctx: CallContext, obj: T): JsonObject;
  /** What GET on a member adds to the view (query-driven expansions). */
  detail?(ctx: CallContext, obj: T, view: JsonObject): JsonObject;
  list(ctx: CallContext): T[];
  create(ctx: CallContext, body: unknown): Promise<T>;
  update(ctx: CallContext, obj: T, body: unknown): Promise<T>;
  remove(ctx: CallContext, obj: T): Promise<void>;
}

const ruleName = <A>(rule: string | ((a: A) => string), arg: A): string =>
  typeof rule === 'string' ? rule : rule(arg);

export function callContext(req: FastifyRequest, deps: IdentityDeps): CallContext {
  return { req, auth: contextOf(req).auth, deps, query: queryOf(req) };
}

/** A member id from the path; Fastify gives params as strings. */
export const paramOf = (req: FastifyRequest, name: string): string => (req.params as Record<string, string>)[name] ?? '';

export function registerCrud<T>(app: FastifyInstance, deps: IdentityDeps, spec: CrudSpec<T>): void {
  const base = `/v3/${spec.collection}`;
  const idParam = `${spec.member}_id`;
  const opts = { preHandler: deps.authenticated };

  app.get(base, opts, async (req) => {
    const ctx = callContext(req, deps);
    // A domain-scoped caller lists within its domain (the listing filters to it).
    const target = ctx.auth.scope.kind === 'domain' ? { domain_id: ctx.auth.scope.domainId } : {};
    deps.policy.enforce(ruleName(spec.rules.list, ctx), ctx.auth, target);
    const items = spec.list(ctx).map((o) => spec.view(ctx, o));
    return { [spec.collection]: items, links: collectionLinks(req) };
  });

  app.post(base, opts, async (req, reply: FastifyReply) => {
    const ctx = callContext(req, deps);
    deps.policy.enforce(ruleName(spec.rules.create, req.body), ctx.auth, spec.createTarget?.(req.body) ?? {});
    const created = await spec.create(ctx, req.body);
    return reply.code(201).send({ [spec.member]: spec.view(ctx, created) });
  });

  app.get(`${base}/:${idParam}`, opts, async (req) => {
    const ctx = callContext(req, deps);
    const obj = guardedFind(ctx, spec, spec.rules.get, paramOf(req, idParam));
    const view = spec.view(ctx, obj);
    return { [spec.member]: spec.detail ? spec.detail(ctx, obj, view) : view };
  });

  app.patch(`${base}/:${idParam}`, opts, async (req) => {
    const ctx = callContext(req, deps);
    const obj = guardedFind(ctx, spec, spec.rules.update, paramOf(req, idParam));
    const updated = await spec.update(ctx, obj, req.body);
    return { [spec.member]: spec.view(ctx, updated) };
  });

  app.delete(`${base}/:${idParam}`, opts, async (req, reply: FastifyReply) => {
    const ctx = callContext(req, deps);
    const obj = guardedFind(ctx, spec, spec.rules.delete, paramOf(req, idParam));
    await spec.remove(ctx, obj);
    return reply.code(204).send();
  });
}

/**
 * Find the member and enforce the rule on it. When it does not exist the rule is enforced
 * on an empty target first, as Keystone does: a caller the rule refuses anyway gets 403,
 * not a 404 that would tell it the id is unused.
 */
export function guardedFind<T>(
  ctx: CallContext,
  spec: Pick<CrudSpec<T>, 'find' | 'target'>,
  rule: string | ((obj: T | undefined) => string),
  id: string,
): T {
  let obj: T;
  try {
    obj = spec.find(ctx.deps, id);
  } catch (e) {
    ctx.deps.policy.enforce(ruleName(rule, undefined), ctx.auth, {});
    throw e;
  }
  ctx.deps.policy.enforce(ruleName(rule, obj), ctx.auth, spec.target(obj));
  return obj;
}
