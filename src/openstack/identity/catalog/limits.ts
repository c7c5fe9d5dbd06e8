/**
 * Unified limits: a registered limit is the default for a resource of a service (in a
 * region); a limit overrides it for one project or domain and must name a registered limit
 * that exists. Keystone's flat model: no hierarchy checks.
 */
import { Type } from '@sinclair/typebox';
import { KosError } from '../../../core/errors.js';
import { hexId } from '../../../core/ids.js';
import type { Limit, RegisteredLimit } from '../model.js';
import type { IdentityRepository } from '../repository.js';
import { selfLinked, type CrudResource, type Json } from '../crud.js';
import { check, expectingError } from './validate.js';
import { Nullable } from '../resources/body.js';

export const limitModel = {
  name: 'flat',
  description: 'Limit enforcement and validation does not take project hierarchy into consideration.',
};

const LimitValue = Type.Integer({ minimum: -1, maximum: 0x7fffffff });
const Name = Type.String({ minLength: 1, maxLength: 255, pattern: '[\\S]+' });
const Description = Nullable(Type.String({ maxLength: 255 }));
const RegionId = Nullable(Type.String({ minLength: 1, maxLength: 255 }));

const RegisteredCreate = Type.Object(
  {
    service_id: Type.String(),
    region_id: Type.Optional(RegionId),
    resource_name: Name,
    default_limit: LimitValue,
    description: Type.Optional(Description),
  },
  { additionalProperties: false },
);
const RegisteredUpdate = Type.Partial(RegisteredCreate, { additionalProperties: false });

const LimitCreate = Type.Object(
  {
    project_id: Type.Optional(Type.String()),
    domain_id: Type.Optional(Type.String()),
    service_id: Type.String(),
    region_id: Type.Optional(RegionId),
    resource_name: Name,
    resource_limit: LimitValue,
    description: Type.Optional(Description),
  },
  { additionalProperties: false },
);
const LimitUpdate = Type.Object(
  { id: Type.Optional(Type.String()), resource_limit: Type.Optional(LimitValue), description: Type.Optional(Description) },
  { additionalProperties: false },
);

/** The referenced service, region, project and domain must exist (400 naming the field). */
function requireReferences(repo: IdentityRepository, ref: { service_id?: string; region_id?: string | null; project_id?: string | null; domain_id?: string | null }, target: string): void {
  if (ref.service_id !== undefined && !repo.c.services.has(ref.service_id)) throw expectingError('service_id', target);
  if (ref.region_id != null && !repo.c.regions.has(ref.region_id)) throw expectingError('region_id', target);
  if (ref.project_id != null && !repo.c.projects.has(ref.project_id)) throw expectingError('project_id', target);
  if (ref.domain_id != null && !repo.c.domains.has(ref.domain_id)) throw expectingError('domain_id', target);
}

const duplicate = (kind: string) => new KosError('Conflict', `Conflict occurred attempting to store ${kind} - Duplicate entry.`);

const sameResource = (a: { service_id: string; region_id: string | null; resource_name: string }, b: typeof a): boolean =>
  a.service_id === b.service_id && a.region_id === b.region_id && a.resource_name === b.resource_name;

const registeredFor = (repo: IdentityRepository, l: { service_id: string; region_id: string | null; resource_name: string }) =>
  repo.c.registered_limits.list((r) => sameResource(r, l))[0];

export const registeredLimitView = (r: RegisteredLimit): Json => ({
  id: r.id,
  service_id: r.service_id,
  region_id: r.region_id,
  resource_name: r.resource_name,
  default_limit: r.default_limit,
  description: r.description,
});

export const limitView = (l: Limit): Json => ({
  id: l.id,
  project_id: l.project_id,
  domain_id: l.domain_id,
  service_id: l.service_id,
  region_id: l.region_id,
  resource_name: l.resource_name,
  resource_limit: l.resource_limit,
  description: l.description,
});

const inUse = (id: string) =>
  new KosError('Forbidden', `Unable to update or delete registered limit ${id} because there are project limits associated with it.`);

export const registeredLimits = (rules: CrudResource<RegisteredLimit>['rules']): CrudResource<RegisteredLimit> => ({
  member: 'registered_limit',
  plural: 'registered_limits',
  rules,
  bulkCreate: true,
  collection: (deps) => deps.repo.c.registered_limits,
  view: selfLinked('registered_limits', registeredLimitView),
  create(input, { deps }) {
    const body = check(input, RegisteredCreate, 'registered_limits');
    requireReferences(deps.repo, body, 'registered_limit');
    const candidate = { service_id: body.service_id, region_id: body.region_id ?? null, resource_name: body.resource_name };
    if (registeredFor(deps.repo, candidate)) throw duplicate('registered_limit');
    return deps.repo.c.registered_limits.create({
      id: hexId(),
      ...candidate,
      default_limit: body.default_limit,
      description: body.description ?? null,
    });
  },
  update(current, patch, { deps }) {
    const body = check(patch, RegisteredUpdate, 'registered_limit');
    if (deps.repo.c.limits.list((l) => sameResource(l, current)).length > 0) throw inUse(current.id);
    requireReferences(deps.repo, body, 'registered_limit');
    const next: RegisteredLimit = {
      ...current,
      service_id: body.service_id ?? current.service_id,
      region_id: body.region_id === undefined ? current.region_id : body.region_id,
      resource_name: body.resource_name ?? current.resource_name,
      default_limit: body.default_limit ?? current.default_limit,
      description: body.description === undefined ? current.description : body.description,
    };
    const clash = registeredFor(deps.repo, next);
    if (clash && clash.id !== current.id) throw duplicate('registered_limit');
    return next;
  },
  filters: {
    service_id: (r, v) => r.service_id === v,
    region_id: (r, v) => r.region_id === v,
    resource_name: (r, v) => r.resource_name === v,
  },
  async beforeDelete(current, { deps }) {
    if (deps.repo.c.limits.list((l) => sameResource(l, current)).length > 0) throw inUse(current.id);
  },
});

export const limits = (rules: CrudResource<Limit>['rules']): CrudResource<Limit> => ({
  member: 'limit',
  plural: 'limits',
  rules,
  bulkCreate: true,
  collection: (deps) => deps.repo.c.limits,
  view: selfLinked('limits', limitView),
  target: (l) => ({ project_id: l.project_id, domain_id: l.domain_id }),
  listFilter(l, { auth, deps }) {
    const superuser = auth.scope.kind === 'system' || auth.roles.some((r) => r.name === 'admin' || r.name === 'service');
    if (superuser) return true;
    if (auth.scope.kind === 'domain') {
      const domainId = auth.scope.domainId;
      return l.project_id !== null ? deps.repo.c.projects.get(l.project_id)?.domain_id === domainId : l.domain_id === domainId;
    }
    return auth.scope.kind === 'project' && l.project_id === auth.scope.projectId;
  },
  create(input, { deps }) {
    const body = check(input, LimitCreate, 'limits');
    // A limit belongs to exactly one project or one domain.
    if ((body.project_id === undefined) === (body.domain_id === undefined)) {
      throw new KosError('BadRequest', "Invalid input for field 'limits': exactly one of 'project_id' and 'domain_id' is required.");
    }
    requireReferences(deps.repo, body, 'limit');
    const resource = { service_id: body.service_id, region_id: body.region_id ?? null, resource_name: body.resource_name };
    if (!registeredFor(deps.repo, resource)) {
      throw new KosError('Forbidden', 'Unable to create a limit that has no corresponding registered limit.');
    }
    const owner = { project_id: body.project_id ?? null, domain_id: body.domain_id ?? null };
    const clash = deps.repo.c.limits.list(
      (l) => sameResource(l, resource) && l.project_id === owner.project_id && l.domain_id === owner.domain_id,
    );
    if (clash.length > 0) throw duplicate('limit');
    return deps.repo.c.limits.create({
      id: hexId(),
      ...owner,
      ...resource,
      resource_limit: body.resource_limit,
      description: body.description ?? null,
    });
  },
  update(current, patch) {
    const body = check(patch, LimitUpdate, 'limit');
    return {
      ...current,
      resource_limit: body.resource_limit ?? current.resource_limit,
      description: body.description === undefined ? current.description : body.description,
    };
  },
  filters: {
    service_id: (l, v) => l.service_id === v,
    region_id: (l, v) => l.region_id === v,
    resource_name: (l, v) => l.resource_name === v,
    project_id: (l, v) => l.project_id === v,
    domain_id: (l, v) => l.domain_id === v,
  },
});
