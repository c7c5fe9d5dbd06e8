/**
 * Glance's stored objects: images (core attributes plus free-form string properties),
 * image members (one per image and project it is shared with) and import tasks.
 */
export type ImageStatus =
  | 'queued'
  | 'saving'
  | 'uploading'
  | 'importing'
  | 'active'
  | 'deactivated'
  | 'killed'
  | 'deleted';

export type Visibility = 'public' | 'private' | 'shared' | 'community';
export const VISIBILITIES: readonly Visibility[] = ['public', 'private', 'shared', 'community'];

export const DISK_FORMATS = ['ami', 'ari', 'aki', 'vhd', 'vhdx', 'vmdk', 'raw', 'qcow2', 'vdi', 'iso', 'ploop'] as const;
export const CONTAINER_FORMATS = ['ami', 'ari', 'aki', 'bare', 'ovf', 'ova', 'docker', 'compressed'] as const;

export interface Image {
  id: string;
  name: string | null;
  status: ImageStatus;
  visibility: Visibility;
  protected: boolean;
  os_hidden: boolean;
  owner: string | null;
  disk_format: string | null;
  container_format: string | null;
  size: number | null;
  virtual_size: number | null;
  checksum: string | null;
  os_hash_algo: string | null;
  os_hash_value: string | null;
  min_disk: number;
  min_ram: number;
  tags: string[];
  /** Additional properties: any other key, string-valued (kernel_id, hw_*, …). */
  properties: Record<string, string | null>;
  /** Where the data lives (the file store after an upload, http(s) locations added by owners). */
  locations?: ImageLocation[];
  /** Store ids the data lives in (`file`), once active. */
  stores: string[];
  created_at: string;
  updated_at: string;
}

export interface ImageLocation {
  url: string;
  metadata: Record<string, unknown>;
}

export type MemberStatus = 'pending' | 'accepted' | 'rejected';
export const MEMBER_STATUSES: readonly MemberStatus[] = ['pending', 'accepted', 'rejected'];

export interface ImageMember {
  /** `<image_id>:<member_id>` */
  id: string;
  image_id: string;
  member_id: string;
  status: MemberStatus;
  created_at: string;
  updated_at: string;
}

export interface ImageTask {
  id: string;
  image_id: string;
  type: 'api_image_import';
  status: 'pending' | 'processing' | 'success' | 'failure';
  input: Record<string, unknown>;
  result: Record<string, unknown> | null;
  message: string;
  owner: string | null;
  user_id: string;
  request_id: string;
  created_at: string;
  updated_at: string;
}

export const memberKey = (imageId: string, memberId: string): string => `${imageId}:${memberId}`;
