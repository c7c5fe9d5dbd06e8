/**
 * Glance v2's HTTP surface under /image: version documents, images and their data,
 * actions, tags, members, import, schemas and discovery. Handlers translate the wire to
 * ImageService calls and back; every rule lives in the service.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Readable } from 'node:stream';
import { KosError } from '../../core/errors.js';
import { contextOf, requireToken, type TokenValidator } from '../common/auth.js';
import type { ImageDataStore } from './data-store.js';
import { STORE_ID } from './data-store.js';
import { parsePatch } from './json-patch.js';
import { registerMetadefRoutes } from './metadef-routes.js';
import type { MetadefService } from './metadefs.js';
import type { Query } from './listing.js';
import { schemasByName } from './schemas.js';
import type { ImageService } from './service.js';
import { versionsDocument } from './versions.js';
import { imageView, memberView, taskView } from './views.js';

export interface ImageRouteDeps {
  service: ImageService;
  metadefs: MetadefService;
  data: ImageDataStore;
  tokens: TokenValidator;
  publicUrl: () => string;
}

const PATCH_TYPES = ['application/openstack-images-v2.1-json-patch', 'application/openstack-images-v2.0-json-patch'];

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const param = (req: FastifyRequest, name: string): string => (req.params as Record<string, string>)[name] ?? '';
const queryOf = (req: FastifyRequest): Query => (req.query ?? {}) as Query;

function objectBody(req: FastifyRequest): Record<string, unknown> {
  if (req.body === undefined) return {};
  if (!isObject(req.body)) throw new KosError('BadRequest', 'Request body must be a JSON object.');
  return req.body;
}

function streamBody(req: FastifyRequest): Readable {
  const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim();
  if (type !== 'application/octet-stream') {
    throw new KosError('UnsupportedMediaType', `Content-Type must be application/octet-stream, not '${type}'.`);
  }
  return req.body as Readable;
}

export function registerImageRoutes(app: FastifyInstance, deps: ImageRouteDeps): void {
  const { service } = deps;
  // Image data is streamed to disk: the handler gets the raw request stream.
  app.addContentTypeParser('application/octet-stream', (_req, payload, done) => done(null, payload));
  app.addContentTypeParser(PATCH_TYPES, { parseAs: 'string' }, (_req, body, done) => {
    try {
      done(null, JSON.parse(typeof body === 'string' ? body : body.toString('utf8')) as unknown);
    } catch {
      done(new KosError('BadRequest', 'Malformed JSON in request body.'), undefined);
    }
  });

  const imageUrl = () => `${deps.publicUrl()}/image`;
  const versions = async (_req: FastifyRequest, reply: FastifyReply) => reply.code(300).send(versionsDocument(imageUrl()));
  app.get('/', versions);
  app.get('/versions', async () => versionsDocument(imageUrl()));

  const opts = { preHandler: requireToken(deps.tokens) };
  const ctx = contextOf;
  registerMetadefRoutes(app, deps.metadefs, opts.preHandler);

  app.get('/v2/schemas/:name', opts, async (req) => {
    const schema = schemasByName[param(req, 'name')];
    if (!schema) throw new KosError('NotFound', `Schema ${param(req, 'name')} not found`);
    return schema;
  });
  app.get('/v2/info/import', opts, async () => ({
    'import-methods': { description: 'Import methods available.', type: 'array', value: ['glance-direct', 'web-download'] },
  }));
  app.get('/v2/info/stores', opts, async () => ({
    stores: [{ id: STORE_ID, description: 'Image data on the local file system of kos.', default: true }],
  }));

  app.post('/v2/images', opts, async (req, reply) => {
    const image = await service.create(ctx(req), objectBody(req));
    return reply.code(201).header('location', `${imageUrl()}/v2/images/${image.id}`).send(imageView(image));
  });

  app.get('/v2/images', opts, async (req) => {
    // `/v2/images/` is a member look-up with an empty id, not the list (tempest checks the 404).
    if ((req.url.split('?', 1)[0] ?? '').endsWith('/')) throw new KosError('NotFound', 'No image found with ID ');
    const query = queryOf(req);
    const page = service.list(ctx(req), query);
    const body: Record<string, unknown> = { images: page.images.map(imageView), first: '/v2/images', schema: '/v2/schemas/images' };
    if (page.nextMarker) {
      const params = new URLSearchParams();
      for (const [k, v] of Object.entries(query)) if (k !== 'marker') for (const one of Array.isArray(v) ? v : [v]) params.append(k, one);
      params.set('marker', page.nextMarker);
      body.next = `/v2/images?${params.toString()}`;
    }
    return body;
  });

  app.get('/v2/images/:id', opts, async (req) => imageView(service.get(ctx(req), param(req, 'id'))));

  app.patch('/v2/images/:id', opts, async (req) => {
    const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim();
    if (!PATCH_TYPES.includes(type)) {
      throw new KosError('UnsupportedMediaType', `Unsupported Content-Type; use ${PATCH_TYPES[0]}`);
    }
    return imageView(await service.update(ctx(req), param(req, 'id'), parsePatch(req.body)));
  });

  app.delete('/v2/images/:id', opts, async (req, reply) => {
    await service.delete(ctx(req), param(req, 'id'));
    return reply.code(204).send();
  });

  app.post('/v2/images/:id/actions/deactivate', opts, async (req, reply) => {
    await service.setActivation(ctx(req), param(req, 'id'), false);
    return reply.code(204).send();
  });
  app.post('/v2/images/:id/actions/reactivate', opts, async (req, reply) => {
    await service.setActivation(ctx(req), param(req, 'id'), true);
    return reply.code(204).send();
  });

  app.put('/v2/images/:id/file', opts, async (req, reply) => {
    await service.upload(ctx(req), param(req, 'id'), streamBody(req));
    return reply.code(204).send();
  });
  app.get('/v2/images/:id/file', opts, async (req, reply) => {
    const { image, hasData } = service.download(ctx(req), param(req, 'id'));
    if (!hasData) return reply.code(204).send();
    const size = await deps.data.size(image.id);
    if (size === undefined) throw new KosError('NotFound', `Image ${image.id} has no data.`);
    void reply.header('content-type', 'application/octet-stream').header('content-length', String(size));
    if (image.checksum) void reply.header('content-md5', image.checksum);
    return reply.send(deps.data.read(image.id));
  });

  app.put('/v2/images/:id/stage', opts, async (req, reply) => {
    await service.stage(ctx(req), param(req, 'id'), streamBody(req));
    return reply.code(204).send();
  });
  app.post('/v2/images/:id/import', opts, async (req, reply) => {
    await service.import(ctx(req), param(req, 'id'), objectBody(req));
    return reply.code(202).send();
  });
  app.get('/v2/images/:id/tasks', opts, async (req) => ({ tasks: service.tasks(ctx(req), param(req, 'id')).map(taskView) }));

  app.put('/v2/images/:id/tags/:tag', opts, async (req, reply) => {
    await service.addTag(ctx(req), param(req, 'id'), param(req, 'tag'));
    return reply.code(204).send();
  });
  app.delete('/v2/images/:id/tags/:tag', opts, async (req, reply) => {
    await service.removeTag(ctx(req), param(req, 'id'), param(req, 'tag'));
    return reply.code(204).send();
  });

  app.post('/v2/images/:id/members', opts, async (req) =>
    memberView(await service.addMember(ctx(req), param(req, 'id'), objectBody(req).member)),
  );
  app.get('/v2/images/:id/members', opts, async (req) => ({
    members: service.listMembers(ctx(req), param(req, 'id')).map(memberView),
    schema: '/v2/schemas/members',
  }));
  app.get('/v2/images/:id/members/:member', opts, async (req) =>
    memberView(service.getMember(ctx(req), param(req, 'id'), param(req, 'member'))),
  );
  app.put('/v2/images/:id/members/:member', opts, async (req) =>
    memberView(await service.updateMember(ctx(req), param(req, 'id'), param(req, 'member'), objectBody(req).status)),
  );
  app.delete('/v2/images/:id/members/:member', opts, async (req, reply) => {
    await service.removeMember(ctx(req), param(req, 'id'), param(req, 'member'));
    return reply.code(204).send();
  });
}
