/**
 * Glance's metadata definitions catalog (metadefs): namespaces, each holding its resource
 * type associations, properties, objects and tags. A namespace is one stored document, so
 * a change to any of its parts is one write. Admins manage them; a public namespace is
 * readable by everyone, a private one by its owner.
 */
import type { Clock } from '../../core/clock.js';
import { KosError } from '../../core/errors.js';
import type { Store } from '../../core/store/types.js';
import { Collection, Mutex } from '../common/collection.js';
import type { RequestContext } from '../common/context.js';
import { projectIdOf } from '../common/context.js';
import { isAdminCaller } from './visibility.js';

type Json = Record<string, unknown>;

export interface Namespace {
  /** The namespace name. */
  id: string;
  display_name: string | null;
  description: string | null;
  visibility: 'public' | 'private';
  protected: boolean;
  owner: string | null;
  resource_type_associations: Json[];
  properties: Record<string, Json>;
  objects: Record<string, Json>;
  tags: Record<string, Json>;
  created_at: string;
  updated_at: string;
}

/** The resource types Glance ships definitions for. */
export const RESOURCE_TYPES = ['OS::Glance::Image', 'OS::Cinder::Volume', 'OS::Nova::Flavor', 'OS::Nova::Aggregate', 'OS::Nova::Server'];

export type Part = 'properties' | 'objects' | 'tags';

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

export class MetadefService {
  readonly namespaces: Collection<Namespace>;
  private readonly writes = new Mutex();

  constructor(store: Store, private readonly clock: Clock) {
    this.namespaces = new Collection(store, '/openstack/image/metadefs/', 'namespace');
  }

  load(): Promise<void> {
    return this.namespaces.load();
  }

  now(): string {
    return new Date(this.clock.now()).toISOString().replace(/\.\d{3}Z$/, 'Z');
  }

  private requireAdmin(ctx: RequestContext): void {
    if (!isAdminCaller(ctx.auth)) throw new KosError('Forbidden', 'You are not authorized to manage metadata definitions.');
  }

  private visible(ns: Namespace, ctx: RequestContext): boolean {
    return ns.visibility === 'public' || isAdminCaller(ctx.auth) || ns.owner === projectIdOf(ctx.auth);
  }

  get(ctx: RequestContext, name: string): Namespace {
    const ns = this.namespaces.get(name);
    if (!ns || !this.visible(ns, ctx)) throw new KosError('NotFound', `Metadata definition namespace=${name} was not found.`);
    return ns;
  }

  list(ctx: RequestContext): Namespace[] {
    return this.namespaces.list((ns) => this.visible(ns, ctx));
  }

  private fields(body: Json, into: Namespace): void {
    if (typeof body.namespace === 'string') into.id = body.namespace;
    if ('display_name' in body) into.display_name = typeof body.display_name === 'string' ? body.display_name : null;
    if ('description' in body) into.description = typeof body.description === 'string' ? body.description : null;
    if (body.visibility !== undefined) {
      if (body.visibility !== 'public' && body.visibility !== 'private') throw new KosError('BadRequest', `Invalid visibility: ${String(body.visibility)}`);
      into.visibility = body.visibility;
    }
    if (body.protected !== undefined) {
      if (typeof body.protected !== 'boolean') throw new KosError('BadRequest', "protected is not of type 'boolean'");
      into.protected = body.protected;
    }
  }

  async create(ctx: RequestContext, body: Json): Promise<Namespace> {
    this.requireAdmin(ctx);
    if (typeof body.namespace !== 'string' || body.namespace === '') throw new KosError('BadRequest', "'namespace' is a required property");
    const now = this.now();
    const ns: Namespace = {
      id: body.namespace, display_name: null, description: null, visibility: 'private', protected: false,
      owner: projectIdOf(ctx.auth) ?? null, resource_type_associations: [], properties: {}, objects: {}, tags: {},
      created_at: now, updated_at: now,
    };
    this.fields(body, ns);
    for (const rt of Array.isArray(body.resource_type_associations) ? body.resource_type_associations : []) {
      const name = isObject(rt) ? rt.name : rt;
      if (typeof name === 'string') ns.resource_type_associations.push({ name, created_at: now, updated_at: now });
    }
    return this.writes.run(async () => {
      if (this.namespaces.has(ns.id)) throw new KosError('Conflict', `Metadata definition namespace=${ns.id} already exists.`);
      return this.namespaces.create(ns);
    });
  }

  async update(ctx: RequestContext, name: string, body: Json): Promise<Namespace> {
    this.requireAdmin(ctx);
    this.get(ctx, name);
    return this.writes.run(async () => {
      const draft = structuredClone(this.get(ctx, name));
      this.fields(body, draft);
      draft.updated_at = this.now();
      if (draft.id === name) return this.namespaces.update(name, () => draft);
      if (this.namespaces.has(draft.id)) throw new KosError('Conflict', `Metadata definition namespace=${draft.id} already exists.`);
      await this.namespaces.delete(name);
      return this.namespaces.create(draft);
    });
  }

  async delete(ctx: RequestContext, name: string): Promise<void> {
    this.requireAdmin(ctx);
    await this.writes.run(async () => {
      const ns = this.get(ctx, name);
      if (ns.protected) throw new KosError('Forbidden', `Namespace ${name} is protected and cannot be deleted.`);
      await this.namespaces.delete(name);
    });
  }

  /** Change one namespace under the lock. */
  async change(ctx: RequestContext, name: string, fn: (ns: Namespace) => void): Promise<Namespace> {
    this.requireAdmin(ctx);
    return this.writes.run(async () => {
      const draft = structuredClone(this.get(ctx, name));
      fn(draft);
      draft.updated_at = this.now();
      return this.namespaces.update(name, () => draft);
    });
  }

  element(ctx: RequestContext, name: string, part: Part, key: string): Json {
    const found = this.get(ctx, name)[part][key];
    if (!found) throw new KosError('NotFound', `Could not find ${part.replace(/s$/, '').replace('propertie', 'property')} ${key} in namespace ${name}.`);
    return found;
  }

  /** Create or replace one property, object or tag (`rename` moves it to body.name). */
  async putElement(ctx: RequestContext, name: string, part: Part, key: string | undefined, body: Json): Promise<Json> {
    const now = this.now();
    const newName = typeof body.name === 'string' ? body.name : key;
    if (!newName) throw new KosError('BadRequest', "'name' is a required property");
    let out: Json = {};
    await this.change(ctx, name, (ns) => {
      const current = key !== undefined ? ns[part][key] : undefined;
      if (key !== undefined && !current && part !== 'tags') throw new KosError('NotFound', `Could not find ${key} in namespace ${name}.`);
      if (key === undefined && ns[part][newName]) throw new KosError('Conflict', `${newName} already exists in namespace ${name}.`);
      if (key !== undefined) delete ns[part][key];
      out = { ...body, name: newName, created_at: current?.created_at ?? now, updated_at: now };
      ns[part][newName] = out;
    });
    return out;
  }

  async deleteElement(ctx: RequestContext, name: string, part: Part, key: string): Promise<void> {
    this.element(ctx, name, part, key);
    await this.change(ctx, name, (ns) => {
      delete ns[part][key];
    });
  }
}

export function namespaceView(ns: Namespace, detail: boolean): Json {
  const view: Json = {
    namespace: ns.id,
    display_name: ns.display_name,
    description: ns.description,
    visibility: ns.visibility,
    protected: ns.protected,
    owner: ns.owner,
    created_at: ns.created_at,
    updated_at: ns.updated_at,
    self: `/v2/metadefs/namespaces/${ns.id}`,
    schema: '/v2/schemas/metadefs/namespace',
  };
  if (ns.resource_type_associations.length > 0) view.resource_type_associations = ns.resource_type_associations;
  if (detail) {
    if (Object.keys(ns.properties).length > 0) {
      view.properties = Object.fromEntries(Object.entries(ns.properties).map(([k, { name: _n, ...rest }]) => [k, rest]));
    }
    if (Object.keys(ns.objects).length > 0) view.objects = Object.values(ns.objects);
    if (Object.keys(ns.tags).length > 0) view.tags = Object.values(ns.tags).map((t) => ({ name: t.name }));
  }
  return view;
}

const named = (name: string, extra: Json = {}): Json => ({ name, properties: {}, additionalProperties: false, ...extra });

/** /v2/schemas/metadefs/<name>: tempest checks each one's name. */
export const metadefSchemas: Record<string, Json> = {
  namespace: named('namespace'),
  namespaces: named('namespaces'),
  resource_type: named('resource_type_association'),
  resource_types: named('resource_type_associations'),
  object: named('object'),
  objects: named('objects'),
  property: named('property'),
  properties: named('properties'),
  tag: named('tag'),
  tags: named('tags'),
};
