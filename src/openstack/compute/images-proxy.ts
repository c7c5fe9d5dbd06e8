/**
 * Nova's image proxy (/images, deprecated at 2.36): Glance images in Nova's shape, read
 * and deleted through the image service layer with the caller's identity.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { KosError } from '../../core/errors.js';
import type { PatchStep } from '../image/json-patch.js';
import type { Image } from '../image/model.js';
import type { ComputeCtx } from './context.js';
import type { ComputeCore } from './core.js';
import { badRequest, notFound } from './errors.js';
import { baseUrl, ctxOf, isObject, linksOf, param, queryOf, stringMap, type Json } from './http.js';
import { nextLinks, paginate } from './listing.js';

const STATUS: Record<string, string> = { active: 'ACTIVE', queued: 'SAVING', saving: 'SAVING', importing: 'SAVING', uploading: 'SAVING', deleted: 'DELETED', pending_delete: 'DELETED', killed: 'ERROR', deactivated: 'ERROR' };

export function registerImageProxy(app: FastifyInstance, core: ComputeCore): void {
  const images = core.peers.images;
  const rctx = (ctx: ComputeCtx) => ({ requestId: ctx.requestId, auth: ctx.auth });
  const guard = (req: FastifyRequest): ComputeCtx => {
    const ctx = ctxOf(req);
    if (ctx.mv >= 36) throw notFound('The resource could not be found.');
    return ctx;
  };
  const find = (ctx: ComputeCtx, id: string): Image => {
    try {
      return images.get(rctx(ctx), id);
    } catch (e) {
      if (e instanceof KosError && e.kind === 'NotFound') throw notFound('Image not found.');
      throw e;
    }
  };
  const view = (req: FastifyRequest, i: Image, detail: boolean): Json => {
    const base: Json = { id: i.id, name: i.name, links: [...linksOf(req, 'images', i.id), { rel: 'alternate', type: 'application/vnd.openstack.image', href: `${baseUrl(req).replace(/\/compute$/, '/image')}/images/${i.id}` }] };
    if (!detail) return base;
    const metadata: Record<string, string> = {};
    for (const [k, v] of Object.entries(i.properties)) metadata[k] = typeof v === 'string' ? v : JSON.stringify(v);
    const status = STATUS[i.status] ?? 'UNKNOWN';
    const v: Json = {
      ...base, minRam: i.min_ram, minDisk: i.min_disk, metadata, created: i.created_at, updated: i.updated_at, status,
      progress: status === 'ACTIVE' ? 100 : status === 'SAVING' ? 25 : 0, 'OS-EXT-IMG-SIZE:size': i.size ?? 0,
    };
    const instance = i.properties.instance_uuid;
    if (typeof instance === 'string') v.server = { id: instance, links: linksOf(req, 'servers', instance) };
    return v;
  };
  const list = (req: FastifyRequest, detail: boolean): Json => {
    const ctx = guard(req);
    const q = queryOf(req);
    const query: Record<string, string> = {};
    for (const k of ['name', 'status']) { const v = q.get(k); if (v !== null) query[k] = k === 'status' ? v.toLowerCase() : v; }
    let all = images.list(rctx(ctx), query).images;
    const server = q.get('server');
    if (server !== null) all = all.filter((i) => i.properties.instance_uuid === server.split('/').pop());
    const type = q.get('type');
    if (type !== null) all = all.filter((i) => (i.properties.image_type ?? 'image') === type);
    const since = q.get('changes-since');
    if (since !== null) all = all.filter((i) => Date.parse(i.updated_at) >= Date.parse(since));
    const page = paginate(all, { limit: q.get('limit') ?? undefined, marker: q.get('marker') ?? undefined }, (i) => i.id);
    const out: Json = { images: page.items.map((i) => view(req, i, detail)) };
    const links = nextLinks(`${baseUrl(req)}/v2.1/images${detail ? '/detail' : ''}`, q, page.next);
    if (links) out.images_links = links;
    return out;
  };
  app.get('/v2.1/images', async (req) => list(req, false));
  app.get('/v2.1/images/detail', async (req) => list(req, true));
  app.get('/v2.1/images/:id', async (req) => ({ image: view(req, find(guard(req), param(req, 'id')), true) }));
  app.delete('/v2.1/images/:id', async (req, reply) => {
    const ctx = guard(req);
    find(ctx, param(req, 'id'));
    await images.delete(rctx(ctx), param(req, 'id'));
    return reply.code(204).send();
  });

  const metadataOf = (i: Image): Record<string, string> => Object.fromEntries(Object.entries(i.properties).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)]));
  const patch = async (ctx: ComputeCtx, id: string, set: Record<string, string>, remove: string[]) => {
    const steps: PatchStep[] = [
      ...Object.entries(set).map(([k, v]): PatchStep => ({ op: 'add', attribute: k, value: v })),
      ...remove.map((k): PatchStep => ({ op: 'remove', attribute: k })),
    ];
    return images.update(rctx(ctx), id, steps);
  };
  app.get('/v2.1/images/:id/metadata', async (req) => ({ metadata: metadataOf(find(guard(req), param(req, 'id'))) }));
  app.get('/v2.1/images/:id/metadata/:key', async (req) => {
    const md = metadataOf(find(guard(req), param(req, 'id')));
    const v = md[param(req, 'key')];
    if (v === undefined) throw notFound(`Image ${param(req, 'id')} has no metadata ${param(req, 'key')}.`);
    return { meta: { [param(req, 'key')]: v } };
  });
  app.post('/v2.1/images/:id/metadata', async (req) => {
    const ctx = guard(req);
    const i = find(ctx, param(req, 'id'));
    const md = stringMap(isObject(req.body) ? req.body.metadata : undefined, 'metadata');
    return { metadata: metadataOf(await patch(ctx, i.id, md, [])) };
  });
  app.put('/v2.1/images/:id/metadata', async (req) => {
    const ctx = guard(req);
    const i = find(ctx, param(req, 'id'));
    const md = stringMap(isObject(req.body) ? req.body.metadata : undefined, 'metadata');
    const remove = Object.keys(i.properties).filter((k) => !(k in md) && !k.startsWith('os_'));
    return { metadata: metadataOf(await patch(ctx, i.id, md, remove)) };
  });
  app.put('/v2.1/images/:id/metadata/:key', async (req) => {
    const ctx = guard(req);
    const i = find(ctx, param(req, 'id'));
    const meta = stringMap(isObject(req.body) ? req.body.meta : undefined, 'meta');
    if (Object.keys(meta).length !== 1 || !(param(req, 'key') in meta)) throw badRequest('Request body and URI mismatch');
    await patch(ctx, i.id, meta, []);
    return { meta };
  });
  app.delete('/v2.1/images/:id/metadata/:key', async (req, reply) => {
    const ctx = guard(req);
    const i = find(ctx, param(req, 'id'));
    if (!(param(req, 'key') in i.properties)) throw notFound(`Image ${i.id} has no metadata ${param(req, 'key')}.`);
    await patch(ctx, i.id, {}, [param(req, 'key')]);
    return reply.code(204).send();
  });
}
