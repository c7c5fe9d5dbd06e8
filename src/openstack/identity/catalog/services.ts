/**
 * Services of the catalog. Deleting a service deletes its endpoints (and their
 * OS-EP-FILTER associations), as Keystone's catalog does.
 */
import { Type } from '@sinclair/typebox';
import { hexId } from '../../../core/ids.js';
import type { Service } from '../model.js';
import { selfLinked, type CrudResource, type Json } from '../crud.js';
import { deleteEndpointAssociations } from './endpoint-filter.js';
import { check } from './validate.js';
import { Nullable, extraOf } from '../resources/body.js';

const ServiceBody = Type.Object(
  {
    type: Type.Optional(Type.String({ minLength: 1, maxLength: 255 })),
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 255 })),
    description: Type.Optional(Nullable(Type.String())),
    enabled: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: true },
);
const ServiceCreate = Type.Composite([ServiceBody, Type.Object({ type: Type.String({ minLength: 1, maxLength: 255 }) })], {
  additionalProperties: true,
});

const known = ['id', 'type', 'name', 'description', 'enabled'] as const;

export const serviceView = (s: Service): Json => ({
  ...s.extra,
  id: s.id,
  type: s.type,
  name: s.name ?? '',
  ...(s.description !== null ? { description: s.description } : {}),
  enabled: s.enabled,
});

export const services = (rules: CrudResource<Service>['rules']): CrudResource<Service> => ({
  member: 'service',
  plural: 'services',
  rules,
  collection: (deps) => deps.repo.c.services,
  view: selfLinked('services', serviceView),
  create(input, { deps }) {
    const body = check(input, ServiceCreate, 'service');
    return deps.repo.c.services.create({
      id: hexId(),
      type: body.type,
      name: body.name ?? '',
      description: body.description ?? null,
      enabled: body.enabled ?? true,
      extra: extraOf(input, known),
    });
  },
  update(current, patch) {
    const body = check(patch, ServiceBody, 'service');
    return {
      ...current,
      type: body.type ?? current.type,
      name: body.name ?? current.name,
      description: body.description === undefined ? current.description : body.description,
      enabled: body.enabled ?? current.enabled,
      extra: { ...current.extra, ...extraOf(patch, known) },
    };
  },
  filters: {
    type: (s, v) => s.type === v,
    name: (s, v) => (s.name ?? '') === v,
  },
  async beforeDelete(service, { deps }) {
    for (const e of deps.repo.c.endpoints.byIndex('service', service.id)) {
      await deleteEndpointAssociations(deps.repo, e.id);
      await deps.repo.c.endpoints.delete(e.id);
    }
  },
});
