/**
 * Creating, changing and deleting a domain. Reached through /v3/domains and through
 * /v3/projects for a project acting as a domain (is_domain=true), with the same rules.
 */
import { KosError } from '../../../core/errors.js';
import { hexId } from '../../../core/ids.js';
import type { IdentityDeps } from '../deps.js';
import type { Domain } from '../model.js';
import { applyOptions, extraOf, toBool } from './body.js';
import { deleteDomainCascade, revokeAll } from './cascade.js';
import { assertDeletable, assertUpdatable } from './immutable.js';
import type { DomainCreate, DomainUpdate } from './schemas.js';

type JsonObject = Record<string, unknown>;

const knownDomainFields = [
  'id', 'name', 'description', 'enabled', 'options', 'tags', 'explicit_domain_id',
  'domain_id', 'parent_id', 'is_domain',
];

function assertNameFree(deps: IdentityDeps, name: string, exceptId?: string): void {
  const clash = deps.repo.c.domains.list((d) => d.name === name && d.id !== exceptId)[0];
  if (clash) {
    throw new KosError(
      'Conflict',
      `Conflict occurred attempting to store domain - it is not permitted to have two projects acting as domains with the same name: ${name}.`,
    );
  }
}

export async function createDomain(deps: IdentityDeps, body: DomainCreate & JsonObject): Promise<Domain> {
  const name = body.name.trim();
  const id = body.explicit_domain_id ?? hexId();
  return deps.repo.writes.run(async () => {
    assertNameFree(deps, name);
    if (deps.repo.c.domains.has(id) || deps.repo.c.projects.has(id)) {
      throw new KosError('Conflict', `Conflict occurred attempting to store domain - Duplicate ID, ${id}.`);
    }
    return deps.repo.c.domains.create({
      id,
      name,
      description: body.description ?? '',
      enabled: body.enabled === undefined ? true : toBool(body.enabled),
      tags: body.tags ?? [],
      options: applyOptions({}, body.options),
      extra: extraOf(body, knownDomainFields),
    });
  });
}

export async function updateDomain(deps: IdentityDeps, current: Domain, body: DomainUpdate & JsonObject): Promise<Domain> {
  assertUpdatable('domain', current.id, current.options, body);
  const updated = await deps.repo.writes.run(async () => {
    if (body.name !== undefined) assertNameFree(deps, body.name.trim(), current.id);
    return deps.repo.c.domains.update(current.id, (d) => ({
      ...d,
      name: body.name?.trim() ?? d.name,
      description: body.description === undefined ? d.description : (body.description ?? ''),
      enabled: body.enabled === undefined ? d.enabled : toBool(body.enabled),
      tags: body.tags ?? d.tags,
      options: applyOptions(d.options, body.options),
      extra: { ...d.extra, ...extraOf(body, knownDomainFields) },
    }));
  });
  // A disabled domain's users and projects lose their tokens.
  if (current.enabled && !updated.enabled) await deps.revoker.revoke({ domain_id: current.id });
  return updated;
}

export async function deleteDomain(deps: IdentityDeps, current: Domain): Promise<void> {
  assertDeletable('domain', current.id, current.options);
  const revocations = await deps.repo.writes.run(async () => {
    const domain = deps.repo.c.domains.require(current.id);
    if (domain.enabled) {
      throw new KosError('Forbidden', 'Cannot delete a domain that is enabled, please disable it first.');
    }
    return deleteDomainCascade(deps.repo, domain.id);
  });
  await revokeAll(deps, revocations);
}
