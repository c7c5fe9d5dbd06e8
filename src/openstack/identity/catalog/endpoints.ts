/**
 * Endpoints: a URL of a service in a region on one interface. `region_id` must name an
 * existing region; the v2-era `region` is still accepted and creates its region on first
 * use, as Keystone does for old clients (and tempest).
 */
import { Type } from '@sinclair/typebox';
import { hexId } from '../../../core/ids.js';
import type { Endpoint, EndpointInterface } from '../model.js';
import type { IdentityRepository } from '../repository.js';
import { selfLinked, type CrudResource, type Json } from '../crud.js';
import { deleteEndpointAssociations } from './endpoint-filter.js';
import { createRegion } from './regions.js';
import { check, expectingError } from './validate.js';
import { Nullable, extraOf } from '../resources/body.js';

export const Interface = Type.Union([Type.Literal('admin'), Type.Literal('internal'), Type.Literal('public')]);

const Url = Type.String({ maxLength: 225, pattern: '^[a-zA-Z0-9+.-]+:.+' });

const EndpointBody = Type.Object(
  {
    id: Type.Optional(Type.String()),
    interface: Type.Optional(Interface),
    region_id: Type.Optional(Nullable(Type.String())),
    region: Type.Optional(Nullable(Type.String())),
    service_id: Type.Optional(Type.String()),
    url: Type.Optional(Url),
    enabled: Type.Optional(Type.Boolean()),
    name: Type.Optional(Type.String()),
    description: Type.Optional(Nullable(Type.String())),
  },
  { additionalProperties: true },
);
const EndpointCreate = Type.Composite(
  [EndpointBody, Type.Object({ interface: Interface, service_id: Type.String(), url: Url })],
  { additionalProperties: true },
);

const known = ['id', 'interface', 'region_id', 'region', 'service_id', 'url', 'enabled', 'legacy_endpoint_id'] as const;

export const endpointView = (e: Endpoint): Json => ({
  ...e.extra,
  id: e.id,
  interface: e.interface,
  region_id: e.region_id,
  region: e.region_id,
  service_id: e.service_id,
  url: e.url,
  enabled: e.enabled,
});

/**
 * The region an endpoint body names: `region_id` must exist (400 otherwise); the legacy
 * `region` is created when missing. undefined when the body names none.
 */
async function regionOf(repo: IdentityRepository, body: { region_id?: string | null; region?: string | null }): Promise<string | null | undefined> {
  if (body.region_id == null && body.region != null) {
    if (!repo.c.regions.has(body.region)) await createRegion(repo, { id: body.region });
    return body.region;
  }
  if (body.region_id != null && !repo.c.regions.has(body.region_id)) throw expectingError('endpoint region_id', 'region table');
  return body.region_id;
}

function requireService(repo: IdentityRepository, serviceId: string | undefined): void {
  if (serviceId !== undefined && !repo.c.services.has(serviceId)) throw expectingError('endpoint service_id', 'service table');
}

export const endpoints = (rules: CrudResource<Endpoint>['rules']): CrudResource<Endpoint> => ({
  member: 'endpoint',
  plural: 'endpoints',
  rules,
  collection: (deps) => deps.repo.c.endpoints,
  view: selfLinked('endpoints', endpointView),
  async create(input, { deps }) {
    const body = check(input, EndpointCreate, 'endpoint');
    requireService(deps.repo, body.service_id);
    const region = await regionOf(deps.repo, body);
    return deps.repo.c.endpoints.create({
      id: hexId(),
      interface: body.interface as EndpointInterface,
      region_id: region ?? null,
      service_id: body.service_id,
      url: body.url,
      enabled: body.enabled ?? true,
      extra: extraOf(input, known),
    });
  },
  async update(current, patch, { deps }) {
    const body = check(patch, EndpointBody, 'endpoint');
    requireService(deps.repo, body.service_id);
    const region = await regionOf(deps.repo, body);
    return {
      ...current,
      interface: body.interface ?? current.interface,
      region_id: region === undefined ? current.region_id : region,
      service_id: body.service_id ?? current.service_id,
      url: body.url ?? current.url,
      enabled: body.enabled ?? current.enabled,
      extra: { ...current.extra, ...extraOf(patch, known) },
    };
  },
  filters: {
    interface: (e, v) => e.interface === v,
    service_id: (e, v) => e.service_id === v,
    region_id: (e, v) => e.region_id === v,
  },
  async beforeDelete(endpoint, { deps }) {
    await deleteEndpointAssociations(deps.repo, endpoint.id);
  },
});
