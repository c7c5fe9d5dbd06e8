/**
 * Endpoint groups (OS-EP-FILTER): a name and a filter over endpoint attributes. Only
 * service_id, region_id and interface may be filtered on, and the filter may not be empty.
 */
import { Type } from '@sinclair/typebox';
import { KosError } from '../../../core/errors.js';
import { hexId } from '../../../core/ids.js';
import type { EndpointGroup } from '../model.js';
import { selfLinked, type CrudResource, type Json } from '../crud.js';
import { deleteGroupAssociations } from './endpoint-filter.js';
import { Interface } from './endpoints.js';
import { check, expectingError } from './validate.js';
import { Nullable } from '../resources/body.js';

const Filters = Type.Object(
  {
    interface: Type.Optional(Interface),
    service_id: Type.Optional(Type.String()),
    region_id: Type.Optional(Type.String()),
  },
  { additionalProperties: true },
);

const GroupBody = Type.Object(
  {
    id: Type.Optional(Type.String()),
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 255, pattern: '[\\S]+' })),
    description: Type.Optional(Nullable(Type.String())),
    filters: Type.Optional(Filters),
  },
  { additionalProperties: false },
);
const GroupCreate = Type.Composite([GroupBody, Type.Object({ name: Type.String({ minLength: 1, maxLength: 255 }), filters: Filters })], {
  additionalProperties: false,
});

const filterKeys = ['service_id', 'region_id', 'interface'];

function validFilters(filters: Record<string, unknown> | undefined): Record<string, string> {
  if (!filters || Object.keys(filters).length === 0) {
    throw new KosError(
      'BadRequest',
      'filters field is required and cannot be empty. The server could not comply with the request since it is either malformed or otherwise incorrect. The client is assumed to be in error.',
    );
  }
  for (const key of Object.keys(filters)) {
    if (!filterKeys.includes(key)) throw expectingError(filterKeys.join(' or '), 'endpoint_group');
  }
  return filters as Record<string, string>;
}

export const endpointGroupView = (g: EndpointGroup): Json => ({
  id: g.id,
  name: g.name,
  description: g.description,
  filters: g.filters,
});

export const endpointGroups = (rules: CrudResource<EndpointGroup>['rules']): CrudResource<EndpointGroup> => ({
  member: 'endpoint_group',
  plural: 'endpoint_groups',
  path: 'OS-EP-FILTER/endpoint_groups',
  rules,
  collection: (deps) => deps.repo.c.endpoint_groups,
  view: selfLinked('OS-EP-FILTER/endpoint_groups', endpointGroupView),
  create(input, { deps }) {
    const body = check(input, GroupCreate, 'endpoint_group');
    return deps.repo.c.endpoint_groups.create({
      id: hexId(),
      name: body.name,
      description: body.description ?? null,
      filters: validFilters(body.filters),
    });
  },
  update(current, patch) {
    const body = check(patch, GroupBody, 'endpoint_group');
    return {
      ...current,
      name: body.name ?? current.name,
      description: body.description === undefined ? current.description : body.description,
      filters: body.filters === undefined ? current.filters : validFilters(body.filters),
    };
  },
  filters: { name: (g, v) => g.name === v },
  async beforeDelete(group, { deps }) {
    await deleteGroupAssociations(deps.repo, group.id);
  },
});
