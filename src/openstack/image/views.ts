/** Images and members as Glance v2 writes them: core attributes, then properties at top level. */
import type { Image, ImageMember, ImageTask } from './model.js';

export type Json = Record<string, unknown>;

export function imageView(image: Image): Json {
  const view: Json = {
    ...image.properties,
    id: image.id,
    name: image.name,
    status: image.status,
    visibility: image.visibility,
    protected: image.protected,
    os_hidden: image.os_hidden,
    owner: image.owner,
    disk_format: image.disk_format,
    container_format: image.container_format,
    size: image.size,
    virtual_size: image.virtual_size,
    checksum: image.checksum,
    os_hash_algo: image.os_hash_algo,
    os_hash_value: image.os_hash_value,
    min_disk: image.min_disk,
    min_ram: image.min_ram,
    tags: image.tags,
    locations: image.locations ?? [],
    created_at: image.created_at,
    updated_at: image.updated_at,
    self: `/v2/images/${image.id}`,
    file: `/v2/images/${image.id}/file`,
    schema: '/v2/schemas/image',
  };
  if (image.stores.length > 0) view.stores = image.stores.join(',');
  return view;
}

export function memberView(member: ImageMember): Json {
  return {
    image_id: member.image_id,
    member_id: member.member_id,
    status: member.status,
    created_at: member.created_at,
    updated_at: member.updated_at,
    schema: '/v2/schemas/member',
  };
}

export function taskView(task: ImageTask): Json {
  return {
    id: task.id,
    type: task.type,
    status: task.status,
    input: task.input,
    result: task.result,
    message: task.message,
    owner: task.owner,
    image_id: task.image_id,
    user_id: task.user_id,
    request_id: task.request_id,
    created_at: task.created_at,
    updated_at: task.updated_at,
    expires_at: null,
  };
}
