/** The metadefs routes under /image/v2/metadefs, over MetadefService. */
import type { FastifyInstance, FastifyRequest, preHandlerHookHandler } from 'fastify';
import { KosError } from '../../core/errors.js';
import { contextOf } from '../common/auth.js';
import { RESOURCE_TYPES, metadefSchemas, namespaceView, type MetadefService, type Part } from './metadefs.js';

type Json = Record<string, unknown>;

const param = (req: FastifyRequest, name: string): string => (req.params as Record<string, string>)[name] ?? '';
const body = (req: FastifyRequest): Json =>
  typeof req.body === 'object' && req.body !== null && !Array.isArray(req.body) ? (req.body as Json) : {};

export function registerMetadefRoutes(app: FastifyInstance, svc: MetadefService, preHandler: preHandlerHookHandler): void {
  const opts = { preHandler };
  const base = '/v2/metadefs/namespaces';

  app.get('/v2/schemas/metadefs/:name', opts, async (req) => {
    const schema = metadefSchemas[param(req, 'name')];
    if (!schema) throw new KosError('NotFound', `Schema metadefs/${param(req, 'name')} not found`);
    return schema;
  });

  app.get('/v2/metadefs/resource_types', opts, async () => ({
    resource_types: RESOURCE_TYPES.map((name) => ({ name, created_at: '2014-08-28T17:13:06Z' })),
  }));

  app.get(base, opts, async (req) => ({
    namespaces: svc.list(contextOf(req)).map((ns) => namespaceView(ns, false)),
    first: '/v2/metadefs/namespaces',
    schema: '/v2/schemas/metadefs/namespaces',
  }));
  app.post(base, opts, async (req, reply) => reply.code(201).send(namespaceView(await svc.create(contextOf(req), body(req)), true)));
  app.get(`${base}/:ns`, opts, async (req) => namespaceView(svc.get(contextOf(req), param(req, 'ns')), true));
  app.put(`${base}/:ns`, opts, async (req) => namespaceView(await svc.update(contextOf(req), param(req, 'ns'), body(req)), true));
  app.delete(`${base}/:ns`, opts, async (req, reply) => {
    await svc.delete(contextOf(req), param(req, 'ns'));
    return reply.code(204).send();
  });

  // Resource type associations.
  app.get(`${base}/:ns/resource_types`, opts, async (req) => ({
    resource_type_associations: svc.get(contextOf(req), param(req, 'ns')).resource_type_associations,
  }));
  app.post(`${base}/:ns/resource_types`, opts, async (req, reply) => {
    const b = body(req);
    if (typeof b.name !== 'string' || !RESOURCE_TYPES.includes(b.name)) throw new KosError('BadRequest', `Invalid resource type: ${String(b.name)}`);
    const now = svc.now();
    const association: Json = { ...b, created_at: now, updated_at: now };
    await svc.change(contextOf(req), param(req, 'ns'), (ns) => {
      if (ns.resource_type_associations.some((a) => a.name === b.name)) throw new KosError('Conflict', `Resource type ${b.name} is already associated.`);
      ns.resource_type_associations.push(association);
    });
    return reply.code(201).send(association);
  });
  app.delete(`${base}/:ns/resource_types/:rt`, opts, async (req, reply) => {
    await svc.change(contextOf(req), param(req, 'ns'), (ns) => {
      const before = ns.resource_type_associations.length;
      ns.resource_type_associations = ns.resource_type_associations.filter((a) => a.name !== param(req, 'rt'));
      if (ns.resource_type_associations.length === before) throw new KosError('NotFound', `Resource type ${param(req, 'rt')} is not associated.`);
    });
    return reply.code(204).send();
  });

  // Properties, objects and tags share one shape.
  const parts: Part[] = ['properties', 'objects', 'tags'];
  for (const part of parts) {
    app.get(`${base}/:ns/${part}`, opts, async (req) => {
      const ns = svc.get(contextOf(req), param(req, 'ns'));
      if (part === 'properties') return { properties: ns.properties };
      return { [part]: Object.values(ns[part]) };
    });
    app.get(`${base}/:ns/${part}/:key`, opts, async (req) => svc.element(contextOf(req), param(req, 'ns'), part, param(req, 'key')));
    app.put(`${base}/:ns/${part}/:key`, opts, async (req) => svc.putElement(contextOf(req), param(req, 'ns'), part, param(req, 'key'), body(req)));
    app.delete(`${base}/:ns/${part}/:key`, opts, async (req, reply) => {
      await svc.deleteElement(contextOf(req), param(req, 'ns'), part, param(req, 'key'));
      return reply.code(204).send();
    });
  }
  app.post(`${base}/:ns/properties`, opts, async (req, reply) =>
    reply.code(201).send(await svc.putElement(contextOf(req), param(req, 'ns'), 'properties', undefined, body(req))),
  );
  app.post(`${base}/:ns/objects`, opts, async (req, reply) =>
    reply.code(201).send(await svc.putElement(contextOf(req), param(req, 'ns'), 'objects', undefined, body(req))),
  );
  // POST .../tags/<name> creates one tag; POST .../tags creates (replaces) them all.
  app.post(`${base}/:ns/tags/:key`, opts, async (req, reply) =>
    reply.code(201).send(await svc.putElement(contextOf(req), param(req, 'ns'), 'tags', undefined, { name: param(req, 'key') })),
  );
  app.post(`${base}/:ns/tags`, opts, async (req, reply) => {
    const tags = Array.isArray(body(req).tags) ? (body(req).tags as unknown[]) : [];
    const now = svc.now();
    const ns = await svc.change(contextOf(req), param(req, 'ns'), (n) => {
      n.tags = {};
      for (const t of tags) {
        const name = typeof t === 'object' && t !== null ? (t as Json).name : undefined;
        if (typeof name !== 'string') throw new KosError('BadRequest', "'name' is a required property");
        n.tags[name] = { name, created_at: now, updated_at: now };
      }
    });
    return reply.code(201).send({ tags: Object.values(ns.tags).map((t) => ({ name: t.name })) });
  });
  app.delete(`${base}/:ns/tags`, opts, async (req, reply) => {
    await svc.change(contextOf(req), param(req, 'ns'), (n) => {
      n.tags = {};
    });
    return reply.code(204).send();
  });
  app.delete(`${base}/:ns/properties`, opts, async (req, reply) => {
    await svc.change(contextOf(req), param(req, 'ns'), (n) => {
      n.properties = {};
    });
    return reply.code(204).send();
  });
  app.delete(`${base}/:ns/objects`, opts, async (req, reply) => {
    await svc.change(contextOf(req), param(req, 'ns'), (n) => {
      n.objects = {};
    });
    return reply.code(204).send();
  });
}
