/**
 * Request body schemas of the core resources, after Keystone's own (resource, identity and
 * assignment schema.py): the known attributes are checked, anything else is kept as extra.
 */
import { Type, type Static } from '@sinclair/typebox';
import { Booleanish, IdString, Name, Nullable } from './body.js';

const ImmutableOptions = Type.Object(
  { immutable: Type.Optional(Nullable(Type.Boolean())) },
  { additionalProperties: false },
);

export const Tag = Type.String({ minLength: 1, maxLength: 255, pattern: '^[^,/]*$' });
export const Tags = Type.Array(Tag, { maxItems: 80, uniqueItems: true });

const Description = Nullable(Type.String());

const domainProperties = {
  name: Type.Optional(Name(64)),
  description: Type.Optional(Description),
  enabled: Type.Optional(Booleanish),
  options: Type.Optional(ImmutableOptions),
  tags: Type.Optional(Tags),
};

export const DomainCreate = Type.Object({
  ...domainProperties,
  name: Name(64),
  explicit_domain_id: Type.Optional(Type.String({ minLength: 1, maxLength: 64, pattern: '^[a-zA-Z0-9-]+$' })),
});
export type DomainCreate = Static<typeof DomainCreate>;

export const DomainUpdate = Type.Object(domainProperties, { minProperties: 1 });
export type DomainUpdate = Static<typeof DomainUpdate>;

const projectProperties = {
  name: Type.Optional(Name(64)),
  description: Type.Optional(Description),
  domain_id: Type.Optional(Nullable(IdString)),
  parent_id: Type.Optional(Nullable(IdString)),
  enabled: Type.Optional(Booleanish),
  is_domain: Type.Optional(Booleanish),
  tags: Type.Optional(Tags),
  options: Type.Optional(ImmutableOptions),
};

export const ProjectCreate = Type.Object({ ...projectProperties, name: Name(64) });
export type ProjectCreate = Static<typeof ProjectCreate>;

export const ProjectUpdate = Type.Object(projectProperties, { minProperties: 1 });
export type ProjectUpdate = Static<typeof ProjectUpdate>;

const UserOptions = Type.Object(
  {
    ignore_change_password_upon_first_use: Type.Optional(Nullable(Type.Boolean())),
    ignore_password_expiry: Type.Optional(Nullable(Type.Boolean())),
    ignore_lockout_failure_attempts: Type.Optional(Nullable(Type.Boolean())),
    lock_password: Type.Optional(Nullable(Type.Boolean())),
    ignore_user_inactivity: Type.Optional(Nullable(Type.Boolean())),
    multi_factor_auth_rules: Type.Optional(Nullable(Type.Array(Type.Array(Type.String())))),
    multi_factor_auth_enabled: Type.Optional(Nullable(Type.Boolean())),
  },
  { additionalProperties: false },
);

const userProperties = {
  name: Type.Optional(Name(255)),
  domain_id: Type.Optional(IdString),
  enabled: Type.Optional(Booleanish),
  password: Type.Optional(Nullable(Type.String())),
  default_project_id: Type.Optional(Nullable(Type.String())),
  description: Type.Optional(Description),
  options: Type.Optional(UserOptions),
  federated: Type.Optional(Type.Array(Type.Unknown())),
};

export const UserCreate = Type.Object({ ...userProperties, name: Name(255) });
export type UserCreate = Static<typeof UserCreate>;

export const UserUpdate = Type.Object(userProperties);
export type UserUpdate = Static<typeof UserUpdate>;

export const PasswordChange = Type.Object({
  password: Type.String(),
  original_password: Type.String(),
});

const groupProperties = {
  name: Type.Optional(Name(64)),
  description: Type.Optional(Description),
  domain_id: Type.Optional(IdString),
};

export const GroupCreate = Type.Object({ ...groupProperties, name: Name(64) });
export type GroupCreate = Static<typeof GroupCreate>;

export const GroupUpdate = Type.Object(groupProperties, { minProperties: 1 });
export type GroupUpdate = Static<typeof GroupUpdate>;

const roleProperties = {
  name: Type.Optional(Name(255)),
  description: Type.Optional(Nullable(Type.String({ maxLength: 255 }))),
  domain_id: Type.Optional(Nullable(IdString)),
  options: Type.Optional(ImmutableOptions),
};

export const RoleCreate = Type.Object({ ...roleProperties, name: Name(255) });
export type RoleCreate = Static<typeof RoleCreate>;

export const RoleUpdate = Type.Object(roleProperties, { minProperties: 1 });
export type RoleUpdate = Static<typeof RoleUpdate>;
