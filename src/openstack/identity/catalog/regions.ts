/**
 * Regions: ids chosen by the client (or generated), an optional parent forming a tree
 * that may never become a cycle, and deletion that takes child regions along but refuses
 * while the region or any descendant still has endpoints — Keystone's rules.
 */
import { Type } from '@sinclair/typebox';
import { KosError } from '../../../core/errors.js';
import { hexId } from '../../../core/ids.js';
import type { Region } from '../model.js';
import type { IdentityRepository } from '../repository.js';
import { selfLinked, type CrudResource, type Json } from '../crud.js';
import { check } from './validate.js';
import { Nullable, extraOf } from '../resources/body.js';

const RegionId = Nullable(Type.String({ minLength: 1, maxLength: 255 }));

const RegionBody = Type.Object(
  {
    id: Type.Optional(Nullable(Type.String({ maxLength: 255 }))),
    description: Type.Optional(Nullable(Type.String({ maxLength: 255 }))),
    parent_region_id: Type.Optional(RegionId),
  },
  { additionalProperties: true },
);

const known = ['id', 'description', 'parent_region_id'] as const;

export const regionView = (r: Region): Json => ({
  ...r.extra,
  id: r.id,
  description: r.description,
  parent_region_id: r.parent_region_id,
});

/** The ids of a region and all its descendants. */
export function regionSubtree(repo: IdentityRepository, rootId: string): string[] {
  const out = [rootId];
  for (let i = 0; i < out.length; i++) {
    const id = out[i]!;
    for (const child of repo.c.regions.list((r) => r.parent_region_id === id)) {
      if (!out.includes(child.id)) out.push(child.id);
    }
  }
  return out;
}

/** Create a region; used by POST, PUT /regions/{id} and the legacy `region` of endpoints. */
export async function createRegion(repo: IdentityRepository, input: Json, urlId?: string): Promise<Region> {
  const body = check(input, RegionBody, 'region');
  if (urlId !== undefined && body.id && body.id !== urlId) {
    throw new KosError(
      'BadRequest',
      `Conflicting region IDs specified: "${urlId}" != "${body.id}". The server could not comply with the request since it is either malformed or otherwise incorrect. The client is assumed to be in error.`,
    );
  }
  const id = urlId ?? (body.id || hexId());
  if (repo.c.regions.has(id)) {
    throw new KosError('Conflict', `Conflict occurred attempting to store region - Duplicate ID, ${id}.`);
  }
  const parent = body.parent_region_id ?? null;
  if (parent !== null) repo.c.regions.require(parent);
  return repo.c.regions.create({
    id,
    description: body.description ?? '',
    parent_region_id: parent,
    extra: extraOf(input, known),
  });
}

export function updateRegion(repo: IdentityRepository, current: Region, patch: Json): Region {
  const body = check(patch, RegionBody, 'region');
  if (body.parent_region_id !== undefined && body.parent_region_id !== null) {
    repo.c.regions.require(body.parent_region_id);
    if (regionSubtree(repo, current.id).includes(body.parent_region_id)) {
      throw new KosError(
        'BadRequest',
        `The specified parent region ${body.parent_region_id} would create a circular region hierarchy.`,
      );
    }
  }
  return {
    ...current,
    description: body.description === undefined ? current.description : (body.description ?? ''),
    parent_region_id: body.parent_region_id === undefined ? current.parent_region_id : body.parent_region_id,
    extra: { ...current.extra, ...extraOf(patch, known) },
  };
}

export const regions = (rules: CrudResource<Region>['rules']): CrudResource<Region> => ({
  member: 'region',
  plural: 'regions',
  rules,
  collection: (deps) => deps.repo.c.regions,
  view: selfLinked('regions', regionView),
  create: (input, { deps }) => createRegion(deps.repo, input),
  update: (current, patch, { deps }) => updateRegion(deps.repo, current, patch),
  filters: { parent_region_id: (r, v) => r.parent_region_id === v },
  async beforeDelete(region, { deps }) {
    const subtree = regionSubtree(deps.repo, region.id);
    if (deps.repo.c.endpoints.list((e) => e.region_id !== null && subtree.includes(e.region_id)).length > 0) {
      throw new KosError(
        'Forbidden',
        `Unable to delete region ${region.id} because it or its child regions have associated endpoints.`,
      );
    }
    // Children go first so no stored region ever names a missing parent.
    for (const id of subtree.slice(1).reverse()) await deps.repo.c.regions.deleteIfExists(id);
  },
});
