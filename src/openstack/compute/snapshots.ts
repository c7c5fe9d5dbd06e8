/**
 * Glance images made from a server (createImage, createBackup, the image a shelve keeps):
 * the source image's properties carried over, Nova's snapshot properties added, a few
 * bytes of data uploaded so the image goes active.
 */
import { Readable } from 'node:stream';
import type { AuthContext } from '../common/context.js';
import type { Image } from '../image/model.js';
import { systemAuth } from './context.js';
import type { ComputeCore } from './core.js';
import type { Server } from './model.js';

export async function snapshot(core: ComputeCore, auth: AuthContext, requestId: string, s: Server, name: string, props: Record<string, string>): Promise<Image> {
  const images = core.peers.images;
  let source: Image | undefined;
  try {
    source = s.image_ref ? images.get({ requestId, auth: systemAuth(s.project_id) }, s.image_ref) : undefined;
  } catch {
    source = undefined;
  }
  const carried: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(source?.properties ?? {})) if (!k.startsWith('os_glance') && !k.startsWith('owner_specified')) carried[k] = v;
  const ctx = { requestId, auth };
  const image = await images.create(ctx, {
    name, disk_format: source?.disk_format ?? 'qcow2', container_format: source?.container_format ?? 'bare',
    min_disk: s.flavor.disk, min_ram: source?.min_ram ?? 0,
    ...carried, image_type: 'snapshot', instance_uuid: s.id, user_id: s.user_id,
    ...(s.image_ref ? { base_image_ref: s.image_ref } : {}), ...props,
  });
  await images.upload(ctx, image.id, Readable.from([Buffer.from(`kos snapshot of ${s.id}\n`)]));
  return image;
}
