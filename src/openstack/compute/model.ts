/**
 * Nova's stored objects. A server carries everything its views need (flavor snapshot,
 * addresses from its ports, the host it runs on, its state triple), so a list never joins.
 */
export type VmState = 'building' | 'active' | 'stopped' | 'paused' | 'suspended' | 'rescued' | 'resized' | 'shelved' | 'shelved_offloaded' | 'error' | 'deleted';

/** Nova's power states: 0 NOSTATE, 1 RUNNING, 3 PAUSED, 4 SHUTDOWN, 6 CRASHED, 7 SUSPENDED. */
export type PowerState = 0 | 1 | 3 | 4 | 6 | 7;

export interface Flavor {
  id: string;
  name: string;
  ram: number;
  vcpus: number;
  disk: number;
  ephemeral: number;
  swap: number;
  rxtx_factor: number;
  is_public: boolean;
  disabled: boolean;
  description: string | null;
  extra_specs: Record<string, string>;
  /** Projects allowed to use a private flavor. */
  access: string[];
  created_at: string;
}

/** The flavor as the server was booted (or resized) with it. */
export type FlavorSnapshot = Pick<Flavor, 'id' | 'name' | 'ram' | 'vcpus' | 'disk' | 'ephemeral' | 'swap' | 'extra_specs'>;

export interface Keypair {
  /** `<user_id>/<name>`: keypairs are per user. */
  id: string;
  name: string;
  user_id: string;
  type: 'ssh' | 'x509';
  public_key: string;
  fingerprint: string;
  created_at: string;
}

export interface ServerPort {
  port_id: string;
  network_id: string;
  network_name: string;
  mac: string;
  ips: { address: string; version: 4 | 6 }[];
  /** Nova created the port (deleted with the server) rather than being given it. */
  created: boolean;
  tag: string | null;
}

export interface ServerFault {
  code: number;
  message: string;
  details?: string;
  created: string;
}

export interface Server {
  id: string;
  name: string;
  project_id: string;
  user_id: string;
  description: string | null;
  image_ref: string;
  flavor: FlavorSnapshot;
  /** The flavor before a resize, kept until confirm or revert. */
  old_flavor: FlavorSnapshot | null;
  key_name: string | null;
  metadata: Record<string, string>;
  tags: string[];
  user_data: string | null;
  config_drive: boolean;
  availability_zone: string | null;
  /** AZ requested on create (null when the scheduler picked). */
  requested_az: string | null;
  /** `az:host` forced by an admin. */
  forced_host: string | null;
  group_id: string | null;
  networks_request: NetworkRequest;
  security_groups: string[];
  host: string | null;
  /** Where a resize or cold migration goes, until confirmed. */
  migration_source: string | null;
  vm_state: VmState;
  task_state: string | null;
  power_state: PowerState;
  locked: boolean;
  locked_reason: string | null;
  locked_by: 'owner' | 'admin' | null;
  ports: ServerPort[];
  fault: ServerFault | null;
  access_ipv4: string;
  access_ipv6: string;
  disk_config: 'AUTO' | 'MANUAL';
  reservation_id: string;
  launch_index: number;
  hostname: string;
  launched_at: string | null;
  created_at: string;
  updated_at: string;
  /** The image a shelve kept, deleted again by unshelve. */
  shelved_image_id?: string | null;
  /** The admin password set on create or rebuild (never shown again). */
  admin_pass_set: boolean;
}

export type NetworkRequest =
  | { kind: 'auto' }
  | { kind: 'none' }
  | { kind: 'list'; items: { uuid?: string; port?: string; fixed_ip?: string; tag?: string }[] };

export interface ServerGroup {
  id: string;
  name: string;
  policy: 'affinity' | 'anti-affinity' | 'soft-affinity' | 'soft-anti-affinity';
  rules: Record<string, number>;
  members: string[];
  project_id: string;
  user_id: string;
  created_at: string;
}

export interface Aggregate {
  id: string;
  /** The integer id Nova shows. */
  number: number;
  uuid: string;
  name: string;
  availability_zone: string | null;
  hosts: string[];
  metadata: Record<string, string>;
  created_at: string;
  updated_at: string | null;
}

export interface InstanceActionEvent {
  event: string;
  start_time: string;
  finish_time: string | null;
  result: string | null;
  host: string | null;
}

export interface InstanceAction {
  /** The request id. */
  id: string;
  instance_uuid: string;
  action: string;
  project_id: string;
  user_id: string;
  start_time: string;
  updated_at: string;
  message: string | null;
  events: InstanceActionEvent[];
}

/** Overrides of a nova-compute service (the rest is derived from config). */
export interface ServiceState {
  /** `<binary>@<host>`. */
  id: string;
  disabled: boolean;
  disabled_reason: string | null;
  forced_down: boolean;
  updated_at: string;
}

export interface QuotaSet {
  /** project id, or `<project>/<user>` for per-user limits. */
  id: string;
  limits: Record<string, number>;
}

export interface Migration {
  id: string;
  number: number;
  instance_uuid: string;
  project_id: string;
  user_id: string;
  migration_type: 'migration' | 'resize' | 'live-migration' | 'evacuation';
  source_compute: string;
  dest_compute: string;
  status: string;
  old_flavor_id: string;
  new_flavor_id: string;
  created_at: string;
  updated_at: string;
}
