/**
 * Glance's service layer: every image operation with its visibility, policy and status
 * rules, called by the HTTP routes and in-process by Nova (boot from an image, createImage).
 * Each call carries the caller's RequestContext.
 */
import { Readable } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import type { Clock } from '../../core/clock.js';
import { KosError } from '../../core/errors.js';
import { uuid } from '../../core/ids.js';
import type { Logger } from '../../core/log.js';
import type { RequestContext } from '../common/context.js';
import { projectIdOf } from '../common/context.js';
import { READ_ONLY, UUID, checkProperty, checkTag, checkTags, isCoreKey, isReserved, setCore } from './attributes.js';
import type { ImageDataStore, StoredData } from './data-store.js';
import { STORE_ID } from './data-store.js';
import { parseSort, paginate, sortBy, firstOf, allOf, intParam, type Query } from './listing.js';
import type { PatchStep } from './json-patch.js';
import { applyLocationStep } from './locations.js';
import { MEMBER_STATUSES, memberKey, type Image, type ImageMember, type ImageTask, type MemberStatus } from './model.js';
import { imagePolicy } from './policy.js';
import type { ImageRepository } from './repository.js';
import { canSee, inListing, isAdminCaller } from './visibility.js';
import { virtualSize } from './virtual-size.js';

export interface ImageServiceDeps {
  repo: ImageRepository;
  data: ImageDataStore;
  clock: Clock;
  log: Logger;
}

const SORTABLE = new Set(['name', 'status', 'container_format', 'disk_format', 'size', 'id', 'created_at', 'updated_at', 'visibility', 'owner', 'min_disk', 'min_ram', 'virtual_size']);
/** Query keys that are not attribute or property filters. */
const CONTROL = new Set(['limit', 'marker', 'sort', 'sort_key', 'sort_dir', 'member_status', 'visibility', 'tag', 'size_min', 'size_max', 'os_hidden', 'created_at', 'updated_at', 'id']);

const notFound = (id: string): KosError => new KosError('NotFound', `No image found with ID ${id}`);

export class ImageService {
  constructor(private readonly deps: ImageServiceDeps) {}

  private now(): string {
    return new Date(this.deps.clock.now()).toISOString().replace(/\.\d{3}Z$/, 'Z');
  }

  private memberOf = (imageId: string, projectId: string): ImageMember | undefined =>
    this.deps.repo.members.get(memberKey(imageId, projectId));

  private enforce(rule: string, ctx: RequestContext, image?: Image): void {
    imagePolicy.enforce(rule, ctx.auth, image ? { project_id: image.owner } : { project_id: projectIdOf(ctx.auth) ?? null });
  }

  /** The image if the caller may see it; 404 otherwise (as Glance hides what it refuses). */
  get(ctx: RequestContext, id: string): Image {
    const image = this.deps.repo.images.get(id);
    if (!image || !canSee(image, ctx.auth, this.memberOf)) throw notFound(id);
    return image;
  }

  async create(ctx: RequestContext, body: Record<string, unknown>): Promise<Image> {
    this.enforce('add_image', ctx);
    const now = this.now();
    const image: Image = {
      id: uuid(), name: null, status: 'queued', visibility: 'shared', protected: false, os_hidden: false,
      owner: projectIdOf(ctx.auth) ?? null, disk_format: null, container_format: null, size: null, virtual_size: null,
      checksum: null, os_hash_algo: null, os_hash_value: null, min_disk: 0, min_ram: 0, tags: [], properties: {},
      stores: [], created_at: now, updated_at: now,
    };
    for (const [key, value] of Object.entries(body)) {
      if (key === 'id') {
        if (typeof value !== 'string' || !UUID.test(value)) throw new KosError('BadRequest', `Provided object does not match schema 'image': ${JSON.stringify(value)} is not a valid id`);
        image.id = value;
      } else if (key === 'tags') image.tags = checkTags(value);
      else if (isReserved(key)) throw new KosError('Forbidden', `Attribute '${key}' is reserved.`);
      else if (READ_ONLY.has(key)) throw new KosError('Forbidden', `Attribute '${key}' is read-only.`);
      else if (key === 'locations') throw new KosError('Forbidden', 'It is not allowed to set locations on an image.');
      else if (isCoreKey(key)) setCore(image, key, value);
      else image.properties[key] = checkProperty(key, value);
    }
    if (image.owner !== (projectIdOf(ctx.auth) ?? null)) this.enforce('set_owner', ctx);
    if (image.visibility === 'public') this.enforce('publicize_image', ctx);
    return this.deps.repo.writes.run(async () => {
      if (this.deps.repo.images.has(image.id)) throw new KosError('Conflict', `Image with identifier ${image.id} already exists!`);
      return this.deps.repo.images.create(image);
    });
  }

  list(ctx: RequestContext, query: Query): { images: Image[]; nextMarker?: string } {
    const visibility = firstOf(query.visibility);
    if (visibility !== undefined && visibility !== 'all' && !['public', 'private', 'shared', 'community'].includes(visibility)) {
      throw new KosError('BadRequest', `Invalid visibility value: ${visibility}`);
    }
    const memberStatusText = firstOf(query.member_status) ?? 'accepted';
    if (memberStatusText !== 'all' && !(MEMBER_STATUSES as readonly string[]).includes(memberStatusText)) {
      throw new KosError('BadRequest', `Invalid status value: ${memberStatusText}`);
    }
    const memberStatus = memberStatusText as MemberStatus | 'all';
    const sizeMin = intParam(query, 'size_min');
    const sizeMax = intParam(query, 'size_max');
    const tags = allOf(query.tag);
    const hidden = firstOf(query.os_hidden);
    const ids = firstOf(query.id);
    const idSet = ids?.startsWith('in:') ? new Set(ids.slice(3).split(',')) : ids !== undefined ? new Set([ids]) : undefined;
    const attributeFilters = Object.entries(query)
      .filter(([k]) => !CONTROL.has(k))
      .map(([k, v]) => [k, firstOf(v) ?? ''] as const);
    const vis = visibility === 'all' ? undefined : visibility;
    const matches = (image: Image): boolean => {
      if (!inListing(image, ctx.auth, this.memberOf, vis, memberStatus)) return false;
      if (hidden === undefined ? image.os_hidden : String(image.os_hidden) !== hidden) return false;
      if (sizeMin !== undefined && (image.size === null || image.size < sizeMin)) return false;
      if (sizeMax !== undefined && (image.size === null || image.size > sizeMax)) return false;
      if (!tags.every((t) => image.tags.includes(t))) return false;
      if (idSet && !idSet.has(image.id)) return false;
      return attributeFilters.every(([k, v]) => {
        const value = k in image && k !== 'properties' ? (image as unknown as Record<string, unknown>)[k] : image.properties[k];
        if (k === 'name' || k === 'status' || k === 'owner' || k === 'container_format' || k === 'disk_format') {
          const wanted = v.startsWith('in:') ? v.slice(3).split(',') : [v];
          return wanted.includes(String(value));
        }
        return value !== undefined && value !== null && String(value) === v;
      });
    };
    const sorted = sortBy(this.deps.repo.images.list(matches), parseSort(query, SORTABLE), (o, key) => {
      const v = (o as unknown as Record<string, unknown>)[key];
      return typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' || v === null ? v : undefined;
    });
    const page = paginate(sorted, firstOf(query.limit), firstOf(query.marker));
    return { images: page.items, ...(page.nextMarker ? { nextMarker: page.nextMarker } : {}) };
  }

  async update(ctx: RequestContext, id: string, steps: PatchStep[]): Promise<Image> {
    const existing = this.get(ctx, id);
    this.enforce('modify_image', ctx, existing);
    return this.deps.repo.writes.run(async () => {
      const draft = structuredClone(this.get(ctx, id));
      for (const step of steps) this.applyStep(ctx, draft, step);
      draft.updated_at = this.now();
      return this.deps.repo.images.update(id, () => draft);
    });
  }

  private applyStep(ctx: RequestContext, image: Image, step: PatchStep): void {
    const { op, attribute: key, index } = step;
    if (isReserved(key)) throw new KosError('Forbidden', `Attribute '${key}' is reserved.`);
    if (READ_ONLY.has(key)) throw new KosError('Forbidden', `Attribute '${key}' is read-only.`);
    if (key === 'locations') {
      this.enforce('set_image_location', ctx, image);
      applyLocationStep(image, step);
      return;
    }
    if (key === 'tags') {
      if (index === undefined) {
        if (op === 'remove') throw new KosError('Forbidden', "Attribute 'tags' can not be removed.");
        image.tags = checkTags(step.value);
      } else if (op === 'add') {
        if (typeof step.value !== 'string') throw new KosError('BadRequest', 'Tags must be strings.');
        if (!image.tags.includes(step.value)) image.tags.push(checkTag(step.value));
      } else {
        const at = Number(index);
        if (!Number.isInteger(at) || at < 0 || at >= image.tags.length) throw new KosError('Conflict', `Tag index ${index} does not exist.`);
        if (op === 'remove') image.tags.splice(at, 1);
        else image.tags[at] = checkTag(String(step.value));
      }
      return;
    }
    if (index !== undefined) throw new KosError('BadRequest', `Invalid JSON pointer for this resource: '/${key}/${index}'`);
    if (isCoreKey(key)) {
      if (op === 'remove') throw new KosError('Forbidden', `Properties ${key} must not be removed.`);
      if ((key === 'container_format' || key === 'disk_format') && image.status !== 'queued' && image[key] !== step.value) {
        throw new KosError('Forbidden', `Attribute ${key} can be only replaced for a queued image.`);
      }
      setCore(image, key, step.value);
      if (key === 'owner' && image.owner !== (projectIdOf(ctx.auth) ?? null)) this.enforce('set_owner', ctx);
      if (key === 'visibility' && image.visibility === 'public') this.enforce('publicize_image', ctx);
      return;
    }
    const exists = key in image.properties;
    if (op === 'remove') {
      if (!exists) throw new KosError('Conflict', `Property ${key} does not exist.`);
      delete image.properties[key];
      return;
    }
    if (op === 'replace' && !exists) throw new KosError('Conflict', `Property ${key} does not exist.`);
    image.properties[key] = checkProperty(key, step.value);
  }

  async delete(ctx: RequestContext, id: string): Promise<void> {
    const image = this.get(ctx, id);
    this.enforce('delete_image', ctx, image);
    await this.deps.repo.writes.run(async () => {
      const current = this.get(ctx, id);
      if (current.protected) throw new KosError('Forbidden', `Image ${id} is protected and cannot be deleted.`);
      await this.deps.repo.images.delete(id);
      for (const m of this.deps.repo.members.byIndex('image', id)) await this.deps.repo.members.delete(m.id);
      for (const t of this.deps.repo.tasks.byIndex('image', id)) await this.deps.repo.tasks.delete(t.id);
    });
    await this.deps.data.remove(id);
  }

  async setActivation(ctx: RequestContext, id: string, active: boolean): Promise<void> {
    const image = this.get(ctx, id);
    this.enforce(active ? 'reactivate' : 'deactivate', ctx, image);
    await this.deps.repo.writes.run(async () => {
      const current = this.get(ctx, id);
      const from = current.status;
      const target = active ? 'active' : 'deactivated';
      if (from === target) return;
      if (from !== 'active' && from !== 'deactivated') {
        throw new KosError('BadRequest', `Not allowed to ${active ? 'reactivate' : 'deactivate'} image in status '${from}'`);
      }
      await this.deps.repo.images.update(id, (o) => ({ ...o, status: target, updated_at: this.now() }));
    });
  }

  /** PUT /file: queued → saving → active, with the digests of what was streamed. */
  async upload(ctx: RequestContext, id: string, body: Readable): Promise<void> {
    const image = this.get(ctx, id);
    this.enforce('upload_image', ctx, image);
    await this.moveStatus(id, ['queued'], 'saving');
    let stored: StoredData;
    try {
      stored = await this.deps.data.write(id, body);
    } catch (e) {
      await this.revert(id, 'saving', 'queued');
      throw e;
    }
    await this.activate(id, stored);
  }

  /** PUT /stage (glance-direct): queued → uploading, the data kept in staging. */
  async stage(ctx: RequestContext, id: string, body: Readable): Promise<void> {
    const image = this.get(ctx, id);
    this.enforce('upload_image', ctx, image);
    await this.moveStatus(id, ['queued'], 'uploading');
    try {
      await this.deps.data.write(id, body, true);
    } catch (e) {
      await this.revert(id, 'uploading', 'queued');
      throw e;
    }
  }

  private async moveStatus(id: string, from: Image['status'][], to: Image['status']): Promise<void> {
    await this.deps.repo.writes.run(async () => {
      const current = this.deps.repo.images.get(id);
      if (!current) throw notFound(id);
      if (!from.includes(current.status)) {
        throw new KosError('Conflict', `Image status transition from ${current.status} to ${to} is not allowed`);
      }
      await this.deps.repo.images.update(id, (o) => ({ ...o, status: to, updated_at: this.now() }));
    });
  }

  private async revert(id: string, from: Image['status'], to: Image['status']): Promise<void> {
    await this.deps.repo.writes.run(async () => {
      if (this.deps.repo.images.get(id)?.status === from) {
        await this.deps.repo.images.update(id, (o) => ({ ...o, status: to, updated_at: this.now() }));
      }
    });
  }

  private async activate(id: string, stored: StoredData): Promise<void> {
    const still = await this.deps.repo.writes.run(async () => {
      if (!this.deps.repo.images.has(id)) return false;
      await this.deps.repo.images.update(id, (o) => ({
        ...o,
        status: 'active',
        size: stored.size,
        virtual_size: virtualSize(o.disk_format, stored.head, stored.size),
        checksum: stored.checksum,
        os_hash_algo: stored.os_hash_algo,
        os_hash_value: stored.os_hash_value,
        stores: [STORE_ID],
        locations: [{ url: this.deps.data.urlOf(id), metadata: { store: STORE_ID } }],
        updated_at: this.now(),
      }));
      return true;
    });
    // Deleted while uploading: the data has no image any more.
    if (!still) await this.deps.data.remove(id);
  }

  /** What GET /file serves: nothing yet (204), or the data. */
  download(ctx: RequestContext, id: string): { image: Image; hasData: boolean } {
    const image = this.get(ctx, id);
    if (image.status === 'deactivated' && !isAdminCaller(ctx.auth)) {
      throw new KosError('Forbidden', 'The requested image has been deactivated. Image data download is prohibited.');
    }
    return { image, hasData: image.status === 'active' || image.status === 'deactivated' };
  }

  /** POST /import: glance-direct from staging, or web-download from a URL; runs after the 202. */
  async import(ctx: RequestContext, id: string, body: Record<string, unknown>): Promise<void> {
    const image = this.get(ctx, id);
    this.enforce('modify_image', ctx, image);
    const method = body.method;
    const name = typeof method === 'object' && method !== null ? (method as Record<string, unknown>).name : undefined;
    if (name !== 'glance-direct' && name !== 'web-download') {
      throw new KosError('BadRequest', `Import method ${String(name)} is not valid`);
    }
    const stores = body.stores;
    if (stores !== undefined && (!Array.isArray(stores) || stores.some((s) => s !== STORE_ID))) {
      throw new KosError('BadRequest', `Unknown store: ${JSON.stringify(stores)}`);
    }
    let uri = '';
    if (name === 'web-download') {
      const given = (method as Record<string, unknown>).uri;
      if (typeof given !== 'string' || !/^https?:\/\//.test(given)) throw new KosError('BadRequest', 'URI for web-download does not pass filtration.');
      uri = given;
    }
    await this.moveStatus(id, name === 'glance-direct' ? ['uploading'] : ['queued'], 'importing');
    const now = this.now();
    const task = await this.deps.repo.tasks.create({
      id: uuid(), image_id: id, type: 'api_image_import', status: 'processing',
      input: { image_id: id, import_req: body, backend: [STORE_ID] }, result: null, message: '',
      owner: image.owner, user_id: ctx.auth.userId, request_id: ctx.requestId, created_at: now, updated_at: now,
    });
    void this.runImport(id, task, name === 'glance-direct' ? undefined : uri);
  }

  private async runImport(id: string, task: ImageTask, uri: string | undefined): Promise<void> {
    try {
      let stored: StoredData;
      if (uri === undefined) stored = await this.deps.data.importStaged(id);
      else {
        const res = await fetch(uri, { signal: AbortSignal.timeout(60_000) });
        if (!res.ok || !res.body) throw new Error(`GET ${uri} answered ${res.status}`);
        stored = await this.deps.data.write(id, Readable.fromWeb(res.body as WebReadableStream<Uint8Array>));
      }
      await this.activate(id, stored);
      await this.finishTask(task.id, 'success', '', { image_id: id });
    } catch (e) {
      this.deps.log.warn({ err: e, image: id }, 'image import failed');
      await this.deps.repo.writes.run(async () => {
        if (!this.deps.repo.images.has(id)) return;
        await this.deps.repo.images.update(id, (o) => ({
          ...o,
          status: 'queued',
          properties: { ...o.properties, os_glance_failed_import: STORE_ID, os_glance_importing_to_stores: '' },
          updated_at: this.now(),
        }));
      });
      await this.finishTask(task.id, 'failure', (e as Error).message, null);
    }
  }

  private async finishTask(id: string, status: ImageTask['status'], message: string, result: Record<string, unknown> | null): Promise<void> {
    if (!this.deps.repo.tasks.has(id)) return;
    await this.deps.repo.tasks.update(id, (t) => ({ ...t, status, message, result, updated_at: this.now() }));
  }

  tasks(ctx: RequestContext, id: string): ImageTask[] {
    this.get(ctx, id);
    return this.deps.repo.tasks.byIndex('image', id);
  }

  async addTag(ctx: RequestContext, id: string, tag: string): Promise<void> {
    this.enforce('modify_image', ctx, this.get(ctx, id));
    checkTag(tag);
    await this.deps.repo.writes.run(async () => {
      const current = this.get(ctx, id);
      if (current.tags.includes(tag)) return;
      await this.deps.repo.images.update(id, (o) => ({ ...o, tags: [...o.tags, tag], updated_at: this.now() }));
    });
  }

  async removeTag(ctx: RequestContext, id: string, tag: string): Promise<void> {
    this.enforce('modify_image', ctx, this.get(ctx, id));
    await this.deps.repo.writes.run(async () => {
      const current = this.get(ctx, id);
      if (!current.tags.includes(tag)) throw new KosError('NotFound', `Tag ${tag} not found`);
      await this.deps.repo.images.update(id, (o) => ({ ...o, tags: o.tags.filter((t) => t !== tag), updated_at: this.now() }));
    });
  }

  // ---- members ----

  async addMember(ctx: RequestContext, id: string, memberId: unknown): Promise<ImageMember> {
    const image = this.get(ctx, id);
    this.enforce('add_member', ctx, image);
    if (typeof memberId !== 'string' || memberId.length === 0 || memberId.length > 255) {
      throw new KosError('BadRequest', 'Member to be added not specified');
    }
    if (image.visibility !== 'shared') throw new KosError('Forbidden', `Only shared images have members.`);
    return this.deps.repo.writes.run(async () => {
      if (this.memberOf(id, memberId)) throw new KosError('Conflict', `Member ${memberId} already associated with image ${id}`);
      const now = this.now();
      return this.deps.repo.members.create({ id: memberKey(id, memberId), image_id: id, member_id: memberId, status: 'pending', created_at: now, updated_at: now });
    });
  }

  /** The owner (or an admin) sees every member; a member sees itself. */
  listMembers(ctx: RequestContext, id: string): ImageMember[] {
    const image = this.get(ctx, id);
    if (image.visibility !== 'shared') throw new KosError('Forbidden', 'Only shared images have members.');
    const all = this.deps.repo.members.byIndex('image', id);
    if (isAdminCaller(ctx.auth) || image.owner === projectIdOf(ctx.auth)) return all;
    return all.filter((m) => m.member_id === projectIdOf(ctx.auth));
  }

  getMember(ctx: RequestContext, id: string, memberId: string): ImageMember {
    const member = this.listMembers(ctx, id).find((m) => m.member_id === memberId);
    if (!member) throw new KosError('NotFound', `${memberId} is not a member of image ${id}`);
    return member;
  }

  /** Only the member itself accepts or rejects a share. */
  async updateMember(ctx: RequestContext, id: string, memberId: string, status: unknown): Promise<ImageMember> {
    const member = this.getMember(ctx, id, memberId);
    if (projectIdOf(ctx.auth) !== memberId && !isAdminCaller(ctx.auth)) {
      throw new KosError('Forbidden', `You are not permitted to modify 'status' on this image member.`);
    }
    if (typeof status !== 'string' || !(MEMBER_STATUSES as readonly string[]).includes(status)) {
      throw new KosError('BadRequest', `Provided object does not match schema 'member': ${JSON.stringify(status)} is not one of ['pending', 'accepted', 'rejected']`);
    }
    return this.deps.repo.members.update(member.id, (m) => ({ ...m, status: status as MemberStatus, updated_at: this.now() }));
  }

  async removeMember(ctx: RequestContext, id: string, memberId: string): Promise<void> {
    const image = this.get(ctx, id);
    this.enforce('delete_member', ctx, image);
    const member = this.memberOf(id, memberId);
    if (!member) throw new KosError('NotFound', `${memberId} is not a member of image ${id}`);
    await this.deps.repo.members.delete(member.id);
  }
}
