/**
 * The JSON schemas Glance publishes under /v2/schemas (glanceclient reads them to build
 * its commands; tempest checks their names). Built once from the model's constants.
 */
import { CONTAINER_FORMATS, DISK_FORMATS, MEMBER_STATUSES, VISIBILITIES } from './model.js';

type Json = Record<string, unknown>;

const str = (description: string, extra: Json = {}): Json => ({ type: ['null', 'string'], description, ...extra });
const readOnly = (schema: Json): Json => ({ ...schema, readOnly: true });

const imageProperties: Json = {
  id: { type: 'string', description: 'An identifier for the image', pattern: '^([0-9a-fA-F]){8}-([0-9a-fA-F]){4}-([0-9a-fA-F]){4}-([0-9a-fA-F]){4}-([0-9a-fA-F]){12}$' },
  name: str('Descriptive name for the image', { maxLength: 255 }),
  status: readOnly({ type: 'string', description: 'Status of the image', enum: ['queued', 'saving', 'active', 'killed', 'deleted', 'uploading', 'importing', 'pending_delete', 'deactivated'] }),
  visibility: { type: 'string', description: 'Scope of image accessibility', enum: [...VISIBILITIES] },
  protected: { type: 'boolean', description: 'If true, image will not be deletable.' },
  os_hidden: { type: 'boolean', description: 'If true, image will not appear in default image list response.' },
  checksum: readOnly(str('md5 hash of image contents.', { maxLength: 32 })),
  os_hash_algo: readOnly(str('Algorithm to calculate the os_hash_value', { maxLength: 64 })),
  os_hash_value: readOnly(str('Hexdigest of the image contents using the algorithm specified by the os_hash_algo', { maxLength: 128 })),
  owner: str('Owner of the image', { maxLength: 255 }),
  size: readOnly({ type: ['null', 'integer'], description: 'Size of image file in bytes' }),
  virtual_size: readOnly({ type: ['null', 'integer'], description: 'Virtual size of image in bytes' }),
  container_format: { type: ['null', 'string'], description: 'Format of the container', enum: [null, ...CONTAINER_FORMATS] },
  disk_format: { type: ['null', 'string'], description: 'Format of the disk', enum: [null, ...DISK_FORMATS] },
  created_at: readOnly({ type: 'string', description: 'Date and time of image registration' }),
  updated_at: readOnly({ type: 'string', description: 'Date and time of the last image modification' }),
  tags: { type: 'array', description: 'List of strings related to the image', items: { type: 'string', maxLength: 255 } },
  direct_url: readOnly({ type: 'string', description: 'URL to access the image file kept in external store' }),
  min_ram: { type: 'integer', description: 'Amount of ram (in MB) required to boot image.' },
  min_disk: { type: 'integer', description: 'Amount of disk space (in GB) required to boot image.' },
  self: readOnly({ type: 'string', description: 'An image self url' }),
  file: readOnly({ type: 'string', description: 'An image file url' }),
  stores: readOnly({ type: 'string', description: 'Store in which image data resides.' }),
  schema: readOnly({ type: 'string', description: 'An image schema url' }),
  locations: { type: 'array', description: 'A set of URLs to access the image file kept in external store', items: { type: 'object' } },
  kernel_id: str('ID of image stored in Glance that should be used as the kernel when booting an AMI-style image.', { pattern: '^([0-9a-fA-F]){8}-([0-9a-fA-F]){4}-([0-9a-fA-F]){4}-([0-9a-fA-F]){4}-([0-9a-fA-F]){12}$', is_base: false }),
  ramdisk_id: str('ID of image stored in Glance that should be used as the ramdisk when booting an AMI-style image.', { pattern: '^([0-9a-fA-F]){8}-([0-9a-fA-F]){4}-([0-9a-fA-F]){4}-([0-9a-fA-F]){4}-([0-9a-fA-F]){12}$', is_base: false }),
  os_distro: { type: 'string', description: 'Common name of operating system distribution', is_base: false },
  os_version: { type: 'string', description: 'Operating system version as specified by the distributor', is_base: false },
  architecture: { type: 'string', description: 'Operating system architecture', is_base: false },
  instance_uuid: { type: 'string', description: 'Metadata which can be used to record which instance this image is associated with.', is_base: false },
};

const imageLinks = [
  { rel: 'self', href: '{self}' },
  { rel: 'enclosure', href: '{file}' },
  { rel: 'describedby', href: '{schema}' },
];

export const imageSchema: Json = {
  name: 'image',
  properties: imageProperties,
  additionalProperties: { type: 'string' },
  links: imageLinks,
};

export const imagesSchema: Json = {
  name: 'images',
  properties: {
    images: { type: 'array', items: { name: 'image', properties: imageProperties, additionalProperties: { type: 'string' }, links: imageLinks } },
    schema: { type: 'string' },
    first: { type: 'string' },
    next: { type: 'string' },
  },
  links: [
    { rel: 'first', href: '{first}' },
    { rel: 'next', href: '{next}' },
    { rel: 'describedby', href: '{schema}' },
  ],
};

const memberProperties: Json = {
  member_id: { type: 'string', description: 'An identifier for the image member (tenantId)' },
  image_id: { type: 'string', description: 'An identifier for the image' },
  created_at: { type: 'string', description: 'Date and time of image member creation' },
  updated_at: { type: 'string', description: 'Date and time of last modification of image member' },
  status: { type: 'string', description: 'The status of this image member', enum: [...MEMBER_STATUSES] },
  schema: { type: 'string', readOnly: true },
};

export const memberSchema: Json = { name: 'member', properties: memberProperties };

export const membersSchema: Json = {
  name: 'members',
  properties: {
    members: { type: 'array', items: { name: 'member', properties: memberProperties } },
    schema: { type: 'string' },
  },
  links: [{ rel: 'describedby', href: '{schema}' }],
};

export const schemasByName: Record<string, Json> = {
  image: imageSchema,
  images: imagesSchema,
  member: memberSchema,
  members: membersSchema,
};
