/**
 * Keystone's resources as kos stores them. Field names follow the wire (snake_case) so a
 * stored object and its API representation differ only by what is never shown
 * (password hashes, secrets) and by links added on the way out.
 */

/** Attributes a caller may add to a project or user beyond the known ones (Keystone keeps them). */
export type Extra = Record<string, unknown>;

export interface ResourceOptions {
  [name: string]: unknown;
}

/** A domain is a project with is_domain=true in Keystone; kos keeps them apart and joins on the wire. */
export interface Domain {
  id: string;
  name: string;
  description: string;
  enabled: boolean;
  tags: string[];
  options: ResourceOptions;
  extra: Extra;
}

export interface Project {
  id: string;
  name: string;
  domain_id: string;
  /** The parent project, or the domain itself for a top-level project. */
  parent_id: string;
  description: string;
  enabled: boolean;
  tags: string[];
  options: ResourceOptions;
  extra: Extra;
}

export interface PasswordRecord {
  /** scrypt$N$r$p$salt$hash, all base64url. */
  hash: string;
  created_at: string;
  expires_at: string | null;
}

export interface User {
  id: string;
  name: string;
  domain_id: string;
  enabled: boolean;
  default_project_id: string | null;
  description: string | null;
  options: ResourceOptions;
  extra: Extra;
  /** Newest first; the first is the current password. */
  passwords: PasswordRecord[];
  created_at: string;
  last_active_at: string | null;
}

export interface Group {
  id: string;
  name: string;
  domain_id: string;
  description: string;
  extra: Extra;
}

export interface GroupMembership {
  /** `<group_id>:<user_id>` */
  id: string;
  group_id: string;
  user_id: string;
}

export interface Role {
  id: string;
  name: string;
  /** null for a global role; a domain-specific role belongs to one domain. */
  domain_id: string | null;
  description: string | null;
  options: ResourceOptions;
  extra: Extra;
}

export interface ImpliedRole {
  /** `<prior_role_id>:<implied_role_id>` */
  id: string;
  prior_role_id: string;
  implied_role_id: string;
}

export type ActorType = 'user' | 'group';
export type TargetType = 'project' | 'domain' | 'system';

export interface RoleAssignment {
  /** Deterministic: `<actor_type>:<actor_id>:<target_type>:<target_id>:<role_id>:<inherited>` */
  id: string;
  actor_type: ActorType;
  actor_id: string;
  target_type: TargetType;
  /** The project or domain id; `all` for the system. */
  target_id: string;
  role_id: string;
  inherited: boolean;
}

export interface Region {
  id: string;
  description: string;
  parent_region_id: string | null;
  extra: Extra;
}

export interface Service {
  id: string;
  type: string;
  name: string | null;
  description: string | null;
  enabled: boolean;
  extra: Extra;
}

export type EndpointInterface = 'public' | 'internal' | 'admin';

export interface Endpoint {
  id: string;
  interface: EndpointInterface;
  region_id: string | null;
  service_id: string;
  url: string;
  enabled: boolean;
  extra: Extra;
}

export interface EndpointGroup {
  id: string;
  name: string;
  description: string | null;
  filters: Record<string, string>;
}

/** A project ↔ endpoint or project ↔ endpoint group association (OS-EP-FILTER). */
export interface EndpointAssociation {
  /** `<project_id>:endpoint:<endpoint_id>` or `<project_id>:group:<endpoint_group_id>` */
  id: string;
  project_id: string;
  endpoint_id: string | null;
  endpoint_group_id: string | null;
}

export interface Credential {
  id: string;
  user_id: string;
  project_id: string | null;
  type: string;
  blob: string;
  extra: Extra;
}

export interface AccessRule {
  id: string;
  user_id: string;
  service: string;
  path: string;
  method: string;
}

export interface ApplicationCredential {
  id: string;
  name: string;
  description: string | null;
  user_id: string;
  project_id: string;
  /** scrypt hash of the secret; the secret itself is shown once, at creation. */
  secret_hash: string;
  expires_at: string | null;
  unrestricted: boolean;
  /** Role ids delegated. */
  role_ids: string[];
  access_rule_ids: string[];
}

export interface Trust {
  id: string;
  trustor_user_id: string;
  trustee_user_id: string;
  project_id: string | null;
  impersonation: boolean;
  expires_at: string | null;
  remaining_uses: number | null;
  role_ids: string[];
  allow_redelegation: boolean;
  redelegated_trust_id: string | null;
  redelegation_count: number;
  deleted_at: string | null;
}

export interface Policy {
  id: string;
  type: string;
  blob: string;
  extra: Extra;
}

export interface RegisteredLimit {
  id: string;
  service_id: string;
  region_id: string | null;
  resource_name: string;
  default_limit: number;
  description: string | null;
}

export interface Limit {
  id: string;
  project_id: string | null;
  domain_id: string | null;
  service_id: string;
  region_id: string | null;
  resource_name: string;
  resource_limit: number;
  description: string | null;
}

/** An OS-OAUTH1 consumer. The secret is kept as given: OAuth1 signs requests with it (HMAC). */
export interface OAuthConsumer {
  id: string;
  description: string | null;
  secret: string;
  extra: Extra;
}

/**
 * A revocation event: tokens matching every set field and issued at or before
 * `issued_before` are invalid. One event revokes one token (audit_id), all of a user's
 * tokens, everything scoped to a project, and so on — nothing is stored per token.
 */
export interface RevocationEvent {
  id: string;
  issued_before: string;
  audit_id?: string;
  audit_chain_id?: string;
  user_id?: string;
  project_id?: string;
  domain_id?: string;
  role_id?: string;
  trust_id?: string;
  trustor_id?: string;
  trustee_id?: string;
  access_token_id?: string;
  consumer_id?: string;
  expires_at?: string;
  revoked_at: string;
}

/**
 * A domain's specific configuration (`/v3/domains/{id}/config`): option groups such as
 * `identity` and `ldap`, stored as given. kos has no LDAP driver; the API stores and serves.
 */
export interface DomainConfig {
  /** The domain id. */
  id: string;
  config: Record<string, Record<string, unknown>>;
}

/** Every kind the identity repository keeps, by its collection name. */
export interface IdentityKinds {
  domains: Domain;
  projects: Project;
  users: User;
  groups: Group;
  memberships: GroupMembership;
  roles: Role;
  implied_roles: ImpliedRole;
  role_assignments: RoleAssignment;
  regions: Region;
  services: Service;
  endpoints: Endpoint;
  endpoint_groups: EndpointGroup;
  endpoint_associations: EndpointAssociation;
  credentials: Credential;
  access_rules: AccessRule;
  application_credentials: ApplicationCredential;
  trusts: Trust;
  policies: Policy;
  registered_limits: RegisteredLimit;
  limits: Limit;
  revocation_events: RevocationEvent;
  domain_configs: DomainConfig;
  oauth_consumers: OAuthConsumer;
}

export type IdentityKind = keyof IdentityKinds;

export const identityKinds: readonly IdentityKind[] = [
  'domains', 'projects', 'users', 'groups', 'memberships', 'roles', 'implied_roles',
  'role_assignments', 'regions', 'services', 'endpoints', 'endpoint_groups',
  'endpoint_associations', 'credentials', 'access_rules', 'application_credentials',
  'trusts', 'policies', 'registered_limits', 'limits', 'revocation_events',
  'domain_configs', 'oauth_consumers',
];

export const DEFAULT_DOMAIN_ID = 'default';
