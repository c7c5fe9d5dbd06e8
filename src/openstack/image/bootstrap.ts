/**
 * The image every kos has from the start: `cirros`, public, active, qcow2 — a valid qcow2
 * header for a 112 MiB disk plus a few KB of deterministic filler, written by kos itself
 * so a fresh cloud boots servers at once without downloading anything. Idempotent: an
 * existing image named cirros owned by the admin project is left as it is.
 */
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import type { Clock } from '../../core/clock.js';
import type { ImageDataStore } from './data-store.js';
import { STORE_ID } from './data-store.js';
import type { Image } from './model.js';
import type { ImageRepository } from './repository.js';
import { qcow2Header, virtualSize } from './virtual-size.js';

/** Fixed so every kos names its bootstrap image alike (and re-runs find it). */
export const CIRROS_IMAGE_ID = '0d5b8f8e-c1a5-4f3e-9d5e-c1440c1a0001';

function cirrosData(): Buffer {
  const header = qcow2Header(112n * 1024n * 1024n);
  const filler = createHash('sha512');
  const chunks: Buffer[] = [header];
  for (let i = 0; i < 64; i++) chunks.push(filler.update(`kos-cirros-${i}`).copy().digest());
  return Buffer.concat(chunks);
}

export async function bootstrapImages(opts: {
  repo: ImageRepository;
  data: ImageDataStore;
  clock: Clock;
  adminProjectId: string;
}): Promise<void> {
  const { repo, data, clock, adminProjectId } = opts;
  const existing = repo.images.get(CIRROS_IMAGE_ID);
  if (existing?.status === 'active' && (await data.size(CIRROS_IMAGE_ID)) !== undefined) return;
  const bytes = cirrosData();
  const stored = await data.write(CIRROS_IMAGE_ID, Readable.from([bytes]));
  const now = new Date(clock.now()).toISOString().replace(/\.\d{3}Z$/, 'Z');
  const image: Image = {
    id: CIRROS_IMAGE_ID, name: 'cirros', status: 'active', visibility: 'public', protected: false, os_hidden: false,
    owner: adminProjectId, disk_format: 'qcow2', container_format: 'bare', size: stored.size,
    virtual_size: virtualSize('qcow2', stored.head, stored.size), checksum: stored.checksum,
    os_hash_algo: stored.os_hash_algo, os_hash_value: stored.os_hash_value, min_disk: 0, min_ram: 0, tags: [],
    properties: { hw_disk_bus: 'virtio', hw_vif_model: 'virtio', os_distro: 'cirros', os_type: 'linux' },
    stores: [STORE_ID], locations: [{ url: data.urlOf(CIRROS_IMAGE_ID), metadata: { store: STORE_ID } }], created_at: now, updated_at: now,
  };
  await repo.writes.run(async () => {
    if (repo.images.has(CIRROS_IMAGE_ID)) await repo.images.update(CIRROS_IMAGE_ID, (o) => ({ ...image, created_at: o.created_at }));
    else await repo.images.create(image);
  });
}
