/**
 * The one lifecycle of every Neutron resource, driven by its attribute table (the shape
 * of neutron-lib's api definitions): which attributes a create or an update may carry,
 * their checks and defaults, which are admin-only. The helper adds what every resource
 * shares — standard attributes (project, description, tags, revision, timestamps),
 * visibility and ownership policy, bulk create, If-Match revisions, list filters, fields,
 * sorting, paging and the tag sub-resource — so a resource's file says only what is
 * special about it.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { uuid } from '../../core/ids.js';
import type { Collection } from '../common/collection.js';
import { contextOf } from '../common/auth.js';
import { netCtxOf, owns, policyRefusal, type NetCtx } from './context.js';
import { badRequest, neutronError, notFoundOf } from './errors.js';
import type { StandardAttrs } from './model.js';
import { filtersOf, matches, paginate, project, queryParams, sortViews, tagsMatch, type Json } from './query.js';
import { neutronTime } from './time.js';
import { str, type Check } from './validate.js';

export type { Json };

export interface Attr {
  /** Accepted on POST. */
  create?: boolean;
  /** Accepted on PUT. */
  update?: boolean;
  /** Only an admin may set it (Neutron answers 403 to others). */
  adminOnly?: boolean;
  /** Filled on create when absent. */
  default?: () => unknown;
  check?: Check;
}

export interface ResourceDef<T extends StandardAttrs> {
  member: string;
  plural: string;
  /** URL below /v2.0 (`security-groups` for member `security_group`). */
  path: string;
  collection: Collection<T>;
  attrs: Record<string, Attr>;
  /** Beyond what the caller's project owns: shared networks, external networks. */
  visibleToOthers?(o: T, ctx: NetCtx): boolean;
  /** Whether a caller who may see the object may also change it (default: owner or admin). */
  writable?(o: T, ctx: NetCtx): boolean;
  /** The wire view, without tenant_id (the helper adds it). */
  view(o: T, ctx: NetCtx): Json;
  /** Build the new object from the checked input and the standard attributes. */
  create(input: Json, std: StandardAttrs, ctx: NetCtx): Promise<T> | T;
  /** Side effects after the object is stored (default security group rules…). */
  afterCreate?(o: T, ctx: NetCtx): Promise<void>;
  update(current: T, patch: Json, ctx: NetCtx): Promise<T> | T;
  beforeDelete?(o: T, ctx: NetCtx): Promise<void>;
  afterDelete?(o: T, ctx: NetCtx): Promise<void>;
  /** Runs before a list (Neutron creates a project's default security group on first use). */
  beforeList?(ctx: NetCtx): Promise<void>;
  /** Narrow a list by an indexed attribute before filtering views. */
  indexed?: readonly string[];
  /** Count against this quota resource on create. */
  quota?: string;
}

export interface Services {
  clock: { now(): number };
  writes: { run<R>(fn: () => Promise<R>): Promise<R> };
  /** Throws OverQuota when one more `resource` would exceed the project's limit. */
  checkQuota(resource: string, projectId: string, adding: number): void;
}

const STANDARD: Record<string, Attr> = {
  description: { create: true, update: true, check: str(255), default: () => '' },
  project_id: { create: true, check: str(255) },
  tenant_id: { create: true, check: str(255) },
};

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

export function ctxOf(req: FastifyRequest): NetCtx {
  return netCtxOf(contextOf(req).auth);
}

export function paramOf(req: FastifyRequest, name: string): string {
  return (req.params as Record<string, string>)[name] ?? '';
}

/** The member object of a request body, or 400. */
export function bodyMember(body: unknown, member: string): Json {
  const inner = isObject(body) ? body[member] : undefined;
  if (!isObject(inner)) throw badRequest(`Resource body required`);
  return inner;
}

export class Resource<T extends StandardAttrs> {
  constructor(
    readonly def: ResourceDef<T>,
    private readonly svc: Services,
  ) {}

  visible(o: T, ctx: NetCtx): boolean {
    return owns(ctx, o) || (this.def.visibleToOthers?.(o, ctx) ?? false);
  }

  /** The object if the caller may see it, else Neutron's <Member>NotFound. */
  find(id: string, ctx: NetCtx): T {
    const o = this.def.collection.get(id);
    if (!o || !this.visible(o, ctx)) throw notFoundOf(this.def.member, id);
    return o;
  }

  /** The object for a change: visible, then owned (403 for a visible one the caller may not change). */
  findWritable(id: string, ctx: NetCtx, action: string): T {
    const o = this.find(id, ctx);
    const ok = this.def.writable ? this.def.writable(o, ctx) : owns(ctx, o);
    if (!ok || !ctx.member) policyRefusal(`${action}_${this.def.member}`);
    return o;
  }

  render(o: T, ctx: NetCtx): Json {
    return { ...this.def.view(o, ctx), tenant_id: o.project_id, project_id: o.project_id };
  }

  /** Check and default a create or update body against the attribute table. */
  private checked(input: Json, op: 'create' | 'update', ctx: NetCtx): Json {
    const out: Json = {};
    const table = { ...STANDARD, ...this.def.attrs };
    const unknown: string[] = [];
    for (const [k, v] of Object.entries(input)) {
      const a = table[k];
      if (!a || !(op === 'create' ? a.create : a.update)) {
        // Read-only attributes echoed back by clients (id, status) are refused as Neutron does.
        unknown.push(k);
        continue;
      }
      if (a.adminOnly && !ctx.admin) policyRefusal(`${op}_${this.def.member}:${k}`);
      out[k] = a.check ? a.check(v, k) : v;
    }
    if (unknown.length > 0) {
      const attrNames = unknown.map((k) => `'${k}'`).join(', ');
      if (unknown.some((k) => k in table)) throw badRequest(`Cannot update read-only attribute ${attrNames}`);
      throw badRequest(`Unrecognized attribute(s) '${unknown.join(', ')}'`);
    }
    if (op === 'create') {
      for (const [k, a] of Object.entries(table)) if (!(k in out) && a.default) out[k] = a.default();
    }
    return out;
  }

  /** Create one object as `ctx` (the service layer: routes and other services call it). */
  async create(rawInput: Json, ctx: NetCtx, fixedId?: string): Promise<T> {
    const input = this.checked(rawInput, 'create', ctx);
    const given = (input.project_id ?? input.tenant_id) as string | undefined;
    if (input.project_id !== undefined && input.tenant_id !== undefined && input.project_id !== input.tenant_id) {
      throw badRequest("'project_id' and 'tenant_id' do not match");
    }
    const projectId = given ?? ctx.projectId;
    if (!ctx.member || (!ctx.admin && projectId !== ctx.projectId)) policyRefusal(`create_${this.def.member}`);
    delete input.tenant_id;
    delete input.project_id;
    const now = neutronTime(this.svc.clock.now());
    const std: StandardAttrs = {
      id: fixedId ?? uuid(),
      project_id: projectId,
      description: (input.description as string | undefined) ?? '',
      tags: [],
      revision_number: 0,
      created_at: now,
      updated_at: now,
    };
    delete input.description;
    const created = await this.svc.writes.run(async () => {
      if (this.def.quota) this.svc.checkQuota(this.def.quota, projectId, 1);
      const obj = await this.def.create(input, std, ctx);
      return this.def.collection.create(obj);
    });
    await this.def.afterCreate?.(created, ctx);
    return created;
  }

  async update(id: string, rawPatch: Json, ctx: NetCtx, ifMatch?: string): Promise<T> {
    this.findWritable(id, ctx, 'update');
    const patch = this.checked(rawPatch, 'update', ctx);
    return this.svc.writes.run(async () => {
      const current = this.def.collection.get(id);
      if (!current) throw notFoundOf(this.def.member, id);
      checkRevision(current, ifMatch);
      const next = await this.def.update(structuredClone(current), patch, ctx);
      if ('description' in patch) next.description = patch.description as string;
      return this.touch(id, () => next);
    });
  }

  /** Write a change made by the service itself, bumping revision_number and updated_at. */
  touch(id: string, mutate: (o: T) => T): Promise<T> {
    const now = neutronTime(this.svc.clock.now());
    return this.def.collection.update(id, (o) => {
      const next = mutate(o);
      next.revision_number = o.revision_number + 1;
      next.updated_at = now;
      return next;
    });
  }

  async remove(id: string, ctx: NetCtx, ifMatch?: string): Promise<void> {
    this.findWritable(id, ctx, 'delete');
    const deleted = await this.svc.writes.run(async () => {
      const current = this.def.collection.get(id);
      if (!current) throw notFoundOf(this.def.member, id);
      checkRevision(current, ifMatch);
      await this.def.beforeDelete?.(current, ctx);
      return this.def.collection.delete(id);
    });
    await this.def.afterDelete?.(deleted, ctx);
  }

  /** Objects the caller sees, narrowed by indexed filters first. */
  visibleList(ctx: NetCtx, filters: Map<string, string[]>): T[] {
    for (const key of this.def.indexed ?? []) {
      const values = filters.get(key);
      if (values) return values.flatMap((v) => this.def.collection.byIndex(key, v)).filter((o) => this.visible(o, ctx));
    }
    return this.def.collection.list((o) => this.visible(o, ctx));
  }

  register(app: FastifyInstance, preHandler: (req: FastifyRequest, reply: FastifyReply) => Promise<void>): void {
    const base = `/v2.0/${this.def.path}`;
    const { member, plural } = this.def;
    const opts = { preHandler };

    app.get(base, opts, async (req) => {
      const ctx = ctxOf(req);
      const q = queryParams(req);
      const filters = filtersOf(q);
      await this.def.beforeList?.(ctx);
      const views: Json[] = [];
      for (const o of this.visibleList(ctx, filters)) {
        if (!tagsMatch(o.tags, q)) continue;
        const v = this.render(o, ctx);
        if (matches(v, filters)) views.push(v);
      }
      sortViews(views, q);
      const selfUrl = `${req.protocol}://${req.headers.host ?? 'localhost'}${req.url.split('?')[0] ?? ''}`;
      const page = paginate(views, q, selfUrl);
      const fields = q.getAll('fields');
      const out: Json = { [plural]: page.items.map((v) => project(v, fields)) };
      if (page.links.length) out[`${plural}_links`] = page.links;
      return out;
    });

    app.post(base, opts, async (req, reply) => {
      const ctx = ctxOf(req);
      const body = req.body;
      if (isObject(body) && Array.isArray(body[plural])) {
        const items = body[plural] as unknown[];
        const created: T[] = [];
        try {
          for (const item of items) {
            if (!isObject(item)) throw badRequest('Resource body required');
            created.push(await this.create(item, ctx));
          }
        } catch (e) {
          for (const o of created.reverse()) await this.remove(o.id, ctx).catch(() => undefined);
          throw e;
        }
        return reply.code(201).send({ [plural]: created.map((o) => this.render(o, ctx)) });
      }
      const o = await this.create(bodyMember(body, member), ctx);
      return reply.code(201).send({ [member]: this.render(o, ctx) });
    });

    app.get(`${base}/:id`, opts, async (req) => {
      const ctx = ctxOf(req);
      const o = this.find(paramOf(req, 'id'), ctx);
      return { [member]: project(this.render(o, ctx), queryParams(req).getAll('fields')) };
    });

    app.put(`${base}/:id`, opts, async (req) => {
      const ctx = ctxOf(req);
      const o = await this.update(paramOf(req, 'id'), bodyMember(req.body, member), ctx, ifMatchOf(req));
      return { [member]: this.render(o, ctx) };
    });

    app.delete(`${base}/:id`, opts, async (req, reply) => {
      await this.remove(paramOf(req, 'id'), ctxOf(req), ifMatchOf(req));
      return reply.code(204).send();
    });

    this.registerTags(app, base, opts);
  }

  private registerTags(app: FastifyInstance, base: string, opts: { preHandler: (req: FastifyRequest, reply: FastifyReply) => Promise<void> }): void {
    const setTags = async (req: FastifyRequest, f: (tags: string[]) => string[]): Promise<T> => {
      const ctx = ctxOf(req);
      const id = paramOf(req, 'id');
      this.findWritable(id, ctx, 'update');
      return this.svc.writes.run(() => this.touch(id, (o) => ({ ...o, tags: f(o.tags) })));
    };
    const checkTag = (t: unknown): string => {
      if (typeof t !== 'string' || t.length === 0 || t.length > 255 || t.includes(',')) {
        throw badRequest(`Invalid input for tags. Reason: '${String(t)}' is not a valid tag.`);
      }
      return t;
    };
    app.get(`${base}/:id/tags`, opts, async (req) => ({ tags: this.find(paramOf(req, 'id'), ctxOf(req)).tags }));
    app.get(`${base}/:id/tags/:tag`, opts, async (req, reply) => {
      const o = this.find(paramOf(req, 'id'), ctxOf(req));
      const tag = paramOf(req, 'tag');
      if (!o.tags.includes(tag)) throw neutronError('NotFound', 'TagNotFound', `Tag ${tag} could not be found.`);
      return reply.code(204).send();
    });
    app.put(`${base}/:id/tags`, opts, async (req) => {
      const given = isObject(req.body) ? req.body.tags : undefined;
      if (!Array.isArray(given)) throw badRequest("Invalid input for tags. Reason: 'tags' must be a list.");
      const tags = [...new Set(given.map(checkTag))];
      const o = await setTags(req, () => tags);
      return { tags: o.tags };
    });
    app.put(`${base}/:id/tags/:tag`, opts, async (req, reply) => {
      const tag = checkTag(paramOf(req, 'tag'));
      await setTags(req, (tags) => (tags.includes(tag) ? tags : [...tags, tag]));
      return reply.code(201).send();
    });
    app.delete(`${base}/:id/tags`, opts, async (req, reply) => {
      await setTags(req, () => []);
      return reply.code(204).send();
    });
    app.delete(`${base}/:id/tags/:tag`, opts, async (req, reply) => {
      const tag = paramOf(req, 'tag');
      const o = this.find(paramOf(req, 'id'), ctxOf(req));
      if (!o.tags.includes(tag)) throw neutronError('NotFound', 'TagNotFound', `Tag ${tag} could not be found.`);
      await setTags(req, (tags) => tags.filter((t) => t !== tag));
      return reply.code(204).send();
    });
  }
}

function ifMatchOf(req: FastifyRequest): string | undefined {
  const h = req.headers['if-match'];
  return Array.isArray(h) ? h[0] : h;
}

/** `If-Match: revision_number=N` must name the current revision (412 otherwise). */
function checkRevision(o: StandardAttrs, ifMatch: string | undefined): void {
  if (!ifMatch) return;
  for (const part of ifMatch.split(',')) {
    const m = /^\s*revision_number=(\d+)\s*$/.exec(part);
    if (!m) continue;
    if (Number(m[1]) !== o.revision_number) {
      throw neutronError('PreconditionFailed', 'RevisionNumberConstraintFailed',
        `Constrained to ${m[1]}, but current revision is ${o.revision_number}`);
    }
  }
}
