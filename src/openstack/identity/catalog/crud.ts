/**
 * One lifecycle for Keystone's plain resources (regions, services, endpoints, endpoint
 * groups, credentials, policies, limits, consumers): POST, GET list with filters, GET,
 * PATCH, DELETE, each behind its policy rule. A resource's file says only what is special
 * about it — how input becomes an object, how an object is shown, what its filters are.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { KosError } from '../../../core/errors.js';
import type { Identified, Collection } from '../../common/collection.js';
import { contextOf } from '../../common/auth.js';
import type { AuthContext } from '../../common/context.js';
import type { PolicyTarget } from '../../common/policy.js';
import type { IdentityDeps } from '../deps.js';
import { collectionLinks, member, queryOf, selfLink } from '../wire.js';
import { requireMatchingId, requireSomething } from './validate.js';

export type Json = Record<string, unknown>;

/** What a resource's hooks may use besides its input. */
export interface CrudContext {
  deps: IdentityDeps;
  auth: AuthContext;
  req: FastifyRequest;
}

export interface CrudRules {
  list: string;
  get: string;
  create: string;
  update: string;
  delete: string;
}

export interface CrudResource<T extends Identified> {
  /** Wire names: `region` / `regions`. */
  member: string;
  plural: string;
  /** Path below /v3 of the collection: `regions`, `OS-EP-FILTER/endpoint_groups`. */
  path: string;
  rules: CrudRules;
  collection(deps: IdentityDeps): Collection<T>;
  /** The object as shown, without links. */
  view(o: T): Json;
  /** Build (and check) a new object from the request member; runs under repo.writes. */
  create(input: Json, ctx: CrudContext): Promise<T>;
  /** The object after a PATCH; runs under repo.writes and may throw. */
  update(current: T, patch: Json, ctx: CrudContext): Promise<T> | T;
  /** Query parameters that filter the list, each with its match. */
  filters?: Record<string, (o: T, value: string) => boolean>;
  /** The policy target of an existing object (its owner fields). */
  target?(o: T): PolicyTarget;
  /** The policy target for a create, from the request member. */
  createTarget?(input: Json, ctx: CrudContext): PolicyTarget;
  /** Refuse or cascade before a delete; runs under repo.writes. */
  beforeDelete?(o: T, ctx: CrudContext): Promise<void>;
  /** After a delete, outside the write lock (revocations, notifications). */
  afterDelete?(o: T, ctx: CrudContext): Promise<void>;
  /** Refuse access to one object beyond policy (delegated tokens out of their project). */
  guard?(o: T, ctx: CrudContext): void;
  /** Narrow every list to what the caller's scope may see (Keystone's limits list). */
  listFilter?(o: T, ctx: CrudContext): boolean;
  /** POST takes `{plural: [member…]}` and answers with the list (registered limits, limits). */
  bulkCreate?: boolean;
  /** Skip the list rule (Keystone filters per object instead, as for credentials). */
  listPerObject?: boolean;
}

/** `{"limits": [{...}, ...]}` → the list of objects, or a 400 naming what is wrong. */
function listMember(body: unknown, name: string): Json[] {
  const value = typeof body === 'object' && body !== null ? (body as Json)[name] : undefined;
  if (!Array.isArray(value) || value.length === 0) {
    throw new KosError('BadRequest', `Invalid input for field '${name}': '${name}' must be a non-empty list of objects.`);
  }
  for (const item of value) {
    if (typeof item !== 'object' || item === null || Array.isArray(item)) {
      throw new KosError('BadRequest', `Invalid input for field '${name}': ${JSON.stringify(item)} is not of type 'object'.`);
    }
  }
  return value as Json[];
}

/** `{…view, links: {self}}` */
export function shown<T extends Identified>(r: CrudResource<T>, req: FastifyRequest, o: T): Json {
  return { ...r.view(o), links: selfLink(req, `${r.path}/${o.id}`) };
}

/** Register the five routes of a resource. */
export function registerCrud<T extends Identified>(app: FastifyInstance, deps: IdentityDeps, r: CrudResource<T>): void {
  const base = `/v3/${r.path}`;
  const opts = { preHandler: deps.authenticated };
  const ctxOf = (req: FastifyRequest): CrudContext => ({ deps, auth: contextOf(req).auth, req });
  const targetOf = (o: T): PolicyTarget => (r.target ? r.target(o) : {});
  const find = (req: FastifyRequest): T => r.collection(deps).require((req.params as { id: string }).id);
  const passes = (o: T, ctx: CrudContext): boolean => {
    try {
      r.guard?.(o, ctx);
      return true;
    } catch {
      return false;
    }
  };

  app.get(base, opts, async (req) => {
    const ctx = ctxOf(req);
    const allowedAll = deps.policy.allowed(r.rules.list, ctx.auth, {});
    if (!allowedAll && !r.listPerObject) deps.policy.enforce(r.rules.list, ctx.auth, {});
    const query = queryOf(req);
    const active = Object.entries(query).flatMap(([k, v]) => {
      const match = r.filters?.[k];
      return match ? [[match, v] as const] : [];
    });
    const items = r.collection(deps).list(
      (o) =>
        active.every(([match, v]) => match(o, v)) &&
        (allowedAll || deps.policy.allowed(r.rules.get, ctx.auth, targetOf(o))) &&
        passes(o, ctx) &&
        (r.listFilter?.(o, ctx) ?? true),
    );
    return { [r.plural]: items.map((o) => shown(r, req, o)), links: collectionLinks(req) };
  });

  app.post(base, opts, async (req, reply) => {
    const ctx = ctxOf(req);
    if (r.bulkCreate) {
      deps.policy.enforce(r.rules.create, ctx.auth, {});
      const inputs = listMember(req.body, r.plural);
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
      return reply.code(201).send({ [r.plural]: created.map((o) => shown(r, req, o)) });
    }
    const input = member(req.body, r.member);
    deps.policy.enforce(r.rules.create, ctx.auth, r.createTarget ? r.createTarget(input, ctx) : {});
    const created = await deps.repo.writes.run(() => r.create(input, ctx));
    return reply.code(201).send({ [r.member]: shown(r, req, created) });
  });

  app.get(`${base}/:id`, opts, async (req) => {
    const ctx = ctxOf(req);
    const existing = r.collection(deps).get((req.params as { id: string }).id);
    deps.policy.enforce(r.rules.get, ctx.auth, existing ? targetOf(existing) : {});
    const found = find(req);
    r.guard?.(found, ctx);
    return { [r.member]: shown(r, req, found) };
  });

  app.patch(`${base}/:id`, opts, async (req) => {
    const ctx = ctxOf(req);
    const id = (req.params as { id: string }).id;
    const existing = r.collection(deps).get(id);
    deps.policy.enforce(r.rules.update, ctx.auth, existing ? targetOf(existing) : {});
    const patch = member(req.body, r.member);
    requireSomething(patch, r.member);
    requireMatchingId(patch, id);
    const updated = await deps.repo.writes.run(async () => {
      const current = find(req);
      r.guard?.(current, ctx);
      const next = await r.update(structuredClone(current), patch, ctx);
      return r.collection(deps).update(id, () => next);
    });
    return { [r.member]: shown(r, req, updated) };
  });

  app.delete(`${base}/:id`, opts, async (req, reply) => {
    const ctx = ctxOf(req);
    const existing = r.collection(deps).get((req.params as { id: string }).id);
    deps.policy.enforce(r.rules.delete, ctx.auth, existing ? targetOf(existing) : {});
    const deleted = await deps.repo.writes.run(async () => {
      const current = find(req);
      r.guard?.(current, ctx);
      await r.beforeDelete?.(current, ctx);
      return r.collection(deps).delete(current.id);
    });
    await r.afterDelete?.(deleted, ctx);
    return reply.code(204).send();
  });
}
