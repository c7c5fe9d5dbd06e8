/**
 * Creating, changing and deleting a regular project, with Keystone's hierarchy rules: the
 * domain is the parent's, a disabled branch takes no new projects, a parent is disabled
 * only after its children and deleted only as a leaf, names are unique per domain.
 */
import { KosError } from '../../../core/errors.js';
import { hexId } from '../../../core/ids.js';
import type { AuthContext } from '../../common/context.js';
import type { IdentityDeps } from '../deps.js';
import { DEFAULT_DOMAIN_ID, type Project } from '../model.js';
import { applyOptions, extraOf, toBool } from './body.js';
import { deleteProjectCascade, revokeAll } from './cascade.js';
import { MAX_PROJECT_DEPTH, ancestorsOf, isLeaf, subtreeOf } from './hierarchy.js';
import { assertDeletable, assertUpdatable } from './immutable.js';
import type { ProjectCreate, ProjectUpdate } from './schemas.js';

type JsonObject = Record<string, unknown>;

const knownProjectFields = [
  'id', 'name', 'description', 'domain_id', 'parent_id', 'enabled', 'is_domain', 'tags', 'options',
];

function assertNameFree(deps: IdentityDeps, name: string, domainId: string, id: string): void {
  const clash = deps.repo.c.projects.byIndex('domain', domainId).find((p) => p.name === name && p.id !== id);
  if (clash) {
    throw new KosError(
      'Conflict',
      `Conflict occurred attempting to store project - it is not permitted to have two projects with either the same name or same id in the same domain: name is ${name}, project id ${id}.`,
    );
  }
}

/** Where a new project goes: its domain and parent, checked as Keystone checks them. */
function placement(deps: IdentityDeps, body: ProjectCreate, auth: AuthContext): { domainId: string; parentId: string } {
  const c = deps.repo.c;
  const parentProject = body.parent_id ? c.projects.get(body.parent_id) : undefined;
  const parentDomain = body.parent_id && !parentProject ? c.domains.get(body.parent_id) : undefined;
  if (body.parent_id && !parentProject && !parentDomain) {
    throw new KosError('BadRequest', `Could not find project: ${body.parent_id}.`);
  }
  const domainId =
    body.domain_id ??
    parentProject?.domain_id ??
    parentDomain?.id ??
    (auth.scope.kind === 'domain' ? auth.scope.domainId : DEFAULT_DOMAIN_ID);
  const domain = c.domains.get(domainId);
  if (!domain) throw new KosError('BadRequest', `Could not find domain: ${domainId}.`);
  if (parentDomain && parentDomain.id !== domainId) {
    throw new KosError(
      'BadRequest',
      `Cannot create project, the parent (${parentDomain.id}) is acting as a domain, but this project's domain id (${domainId}) does not match the parent's id.`,
    );
  }
  if (parentProject && parentProject.domain_id !== domainId) {
    throw new KosError(
      'BadRequest',
      `Cannot create project, since it specifies its domain_id ${domainId}, but specifies a parent in a different domain (${parentProject.domain_id}).`,
    );
  }
  const branch = parentProject ? [parentProject, ...ancestorsOf(deps.repo, parentProject)] : [];
  const disabled = [...branch, domain].find((x) => !x.enabled);
  if (disabled) {
    throw new KosError('BadRequest', `cannot create a project in a branch containing a disabled project: ${disabled.id}`);
  }
  if (branch.length + 1 > MAX_PROJECT_DEPTH) {
    throw new KosError('Forbidden', `Max hierarchy depth reached for ${parentProject!.id} branch.`);
  }
  return { domainId, parentId: parentProject?.id ?? domainId };
}

export async function createProject(
  deps: IdentityDeps,
  body: ProjectCreate & JsonObject,
  auth: AuthContext,
): Promise<Project> {
  const name = body.name.trim();
  return deps.repo.writes.run(async () => {
    const { domainId, parentId } = placement(deps, body, auth);
    const id = hexId();
    assertNameFree(deps, name, domainId, id);
    return deps.repo.c.projects.create({
      id,
      name,
      domain_id: domainId,
      parent_id: parentId,
      description: body.description ?? '',
      enabled: body.enabled === undefined ? true : toBool(body.enabled),
      tags: body.tags ?? [],
      options: applyOptions({}, body.options),
      extra: extraOf(body, knownProjectFields),
    });
  });
}

function assertEnableAllowed(deps: IdentityDeps, p: Project, enabled: boolean): void {
  if (!p.enabled && enabled && ancestorsOf(deps.repo, p).some((a) => !a.enabled)) {
    throw new KosError('Forbidden', `Cannot enable project ${p.id} since it has disabled parents`);
  }
  if (p.enabled && !enabled && subtreeOf(deps.repo, p.id).some((child) => child.enabled)) {
    throw new KosError('Forbidden', `Cannot disable project ${p.id} since its subtree contains enabled projects.`);
  }
}

export async function updateProject(deps: IdentityDeps, current: Project, body: ProjectUpdate & JsonObject): Promise<Project> {
  assertUpdatable('project', current.id, current.options, body);
  if (body.domain_id !== undefined && body.domain_id !== current.domain_id) {
    throw new KosError('BadRequest', 'Cannot change Domain ID');
  }
  if (body.parent_id !== undefined && body.parent_id !== current.parent_id) {
    throw new KosError('Forbidden', 'Update of `parent_id` is not allowed.');
  }
  if (body.is_domain !== undefined && toBool(body.is_domain)) {
    throw new KosError('BadRequest', 'Update of `is_domain` is not allowed.');
  }
  const updated = await deps.repo.writes.run(async () => {
    const p = deps.repo.c.projects.require(current.id);
    const enabled = body.enabled === undefined ? p.enabled : toBool(body.enabled);
    assertEnableAllowed(deps, p, enabled);
    const name = body.name?.trim() ?? p.name;
    if (name !== p.name) assertNameFree(deps, name, p.domain_id, p.id);
    return deps.repo.c.projects.update(p.id, (x) => ({
      ...x,
      name,
      enabled,
      description: body.description === undefined ? x.description : (body.description ?? ''),
      tags: body.tags ?? x.tags,
      options: applyOptions(x.options, body.options),
      extra: { ...x.extra, ...extraOf(body, knownProjectFields) },
    }));
  });
  if (current.enabled && !updated.enabled) await deps.revoker.revoke({ project_id: current.id });
  return updated;
}

export async function deleteProject(deps: IdentityDeps, current: Project): Promise<void> {
  assertDeletable('project', current.id, current.options);
  const revocations = await deps.repo.writes.run(async () => {
    if (!isLeaf(deps.repo, current.id)) {
      throw new KosError(
        'Forbidden',
        `Cannot delete the project ${current.id} since it is not a leaf in the hierarchy. Use the cascade option if you want to delete a whole subtree.`,
      );
    }
    return deleteProjectCascade(deps.repo, current.id);
  });
  await revokeAll(deps, revocations);
}

/** Tags replaced as a whole (PUT /tags, DELETE /tags) or one at a time. */
export async function setProjectTags(deps: IdentityDeps, projectId: string, change: (tags: string[]) => string[]): Promise<Project> {
  return deps.repo.writes.run(async () => {
    const p = deps.repo.c.projects.require(projectId);
    assertUpdatable('project', p.id, p.options, { tags: [] });
    const tags = change([...p.tags]);
    if (tags.length > 80) throw new KosError('BadRequest', 'Invalid input for field/attribute tags. A project may have at most 80 tags.');
    return deps.repo.c.projects.update(p.id, (x) => ({ ...x, tags }));
  });
}
