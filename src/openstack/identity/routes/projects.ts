/**
 * /v3/projects: CRUD with Keystone's filters (name, domain_id, parent_id, enabled,
 * is_domain and the four tag filters), the hierarchy views (?parents_as_list …) and the
 * tags sub-resource. A domain is a project acting as a domain here: it can be created,
 * shown, listed (?is_domain=true), changed and deleted through this API too.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { KosError } from '../../../core/errors.js';
import { anyOf, isAdmin, isSystemReader, ownsDomain, type Rule } from '../../common/policy.js';
import { crudRuleNames } from '../catalog/rules.js';
import type { IdentityRouteModule } from '../deps.js';
import type { Domain, Project } from '../model.js';
import { projectIdsForUser } from '../assignments.js';
import { callContext, guardedFind, paramOf, registerCrud, type CallContext, type Finder, type Json } from '../crud.js';
import { check, checked, requireMatchingId, toBool } from '../resources/body.js';
import { createDomain, deleteDomain, updateDomain } from '../resources/domain-lifecycle.js';
import { ancestorsOf, parentsAsIds, subtreeAsIds, subtreeOf } from '../resources/hierarchy.js';
import { createProject, deleteProject, setProjectTags, updateProject } from '../resources/project-lifecycle.js';
import { ProjectCreate, ProjectUpdate, Tag, Tags } from '../resources/schemas.js';
import { domainAsProjectView, projectView } from '../resources/views.js';
import { queryFlag, selfLink } from '../wire.js';

type ProjectLike = Project | Domain;

const isProject = (x: ProjectLike): x is Project => 'parent_id' in x;

/** Any token scoped to the project may read it (Keystone's project_id:%(target.project.id)s). */
const scopedToTarget: Rule = (a, t) => a.scope.kind === 'project' && t.project_id !== undefined && a.scope.projectId === t.project_id;
const adminOrReader = anyOf(isAdmin, isSystemReader);

function findProjectLike(repo: CallContext['deps']['repo'], id: string): ProjectLike {
  return repo.c.projects.get(id) ?? repo.c.domains.get(id) ?? repo.c.projects.require(id);
}

const targetOf = (x: ProjectLike) =>
  isProject(x) ? { project_id: x.id, domain_id: x.domain_id } : { project_id: x.id, domain_id: x.id };

/** The four tag filters: all of, any of, not all of, none of (comma-separated). */
function tagsMatch(tags: string[], q: Record<string, string>): boolean {
  const list = (v: string | undefined) => (v === undefined ? undefined : v.split(',').filter((t) => t !== ''));
  const all = list(q.tags);
  const any = list(q['tags-any']);
  const notAll = list(q['not-tags']);
  const notAny = list(q['not-tags-any']);
  if (all && !all.every((t) => tags.includes(t))) return false;
  if (any && !any.some((t) => tags.includes(t))) return false;
  if (notAll && notAll.length > 0 && notAll.every((t) => tags.includes(t))) return false;
  if (notAny && notAny.some((t) => tags.includes(t))) return false;
  return true;
}

function listProjects(ctx: CallContext): ProjectLike[] {
  const q = ctx.query;
  const c = ctx.deps.repo.c;
  const enabled = queryFlag(q.enabled);
  const isDomain = queryFlag(q.is_domain) ?? false;
  // A domain-scoped token sees its own domain's projects.
  const scopeDomain = ctx.auth.scope.kind === 'domain' ? ctx.auth.scope.domainId : undefined;
  const pool: ProjectLike[] = isDomain ? c.domains.list() : q.domain_id !== undefined ? c.projects.byIndex('domain', q.domain_id) : c.projects.list();
  return pool.filter((x) => {
    const domainId = isProject(x) ? x.domain_id : null;
    const parentId = isProject(x) ? x.parent_id : null;
    if (q.name !== undefined && x.name !== q.name) return false;
    if (q.domain_id !== undefined && domainId !== q.domain_id) return false;
    if (q.parent_id !== undefined && parentId !== q.parent_id) return false;
    if (enabled !== undefined && x.enabled !== enabled) return false;
    if (scopeDomain !== undefined && domainId !== scopeDomain) return false;
    return tagsMatch(x.tags, q);
  });
}

/** ?parents_as_list, ?parents_as_ids, ?subtree_as_list and ?subtree_as_ids on GET. */
function withHierarchy(x: ProjectLike, view: Json, ctx: CallContext): Json {
  const q = ctx.query;
  const flag = (name: string) => queryFlag(q[name]) === true;
  if (flag('parents_as_list') && flag('parents_as_ids')) {
    throw new KosError('BadRequest', 'Cannot use parents_as_list and parents_as_ids query params at the same time.');
  }
  if (flag('subtree_as_list') && flag('subtree_as_ids')) {
    throw new KosError('BadRequest', 'Cannot use subtree_as_list and subtree_as_ids query params at the same time.');
  }
  const repo = ctx.deps.repo;
  // The lists show only the projects the caller has a role on, as Keystone's do.
  const visible = () => new Set(projectIdsForUser(repo, ctx.auth.userId));
  if (flag('parents_as_list') && isProject(x)) {
    const mine = visible();
    view.parents = ancestorsOf(repo, x).filter((p) => mine.has(p.id)).map((p) => ({ project: projectView(ctx.req, p) }));
  } else if (flag('parents_as_ids')) {
    view.parents = isProject(x) ? parentsAsIds(repo, x) : null;
  }
  if (flag('subtree_as_list')) {
    const mine = visible();
    view.subtree = subtreeOf(repo, x.id).filter((p) => mine.has(p.id)).map((p) => ({ project: projectView(ctx.req, p) }));
  } else if (flag('subtree_as_ids')) {
    view.subtree = subtreeAsIds(repo, x.id);
  }
  return view;
}

const viewOf = (x: ProjectLike, req: FastifyRequest): Json => (isProject(x) ? projectView(req, x) : domainAsProjectView(req, x));

async function create(input: Json, ctx: CallContext): Promise<ProjectLike> {
  const given = checked(ProjectCreate, input, 'project');
  if (given.is_domain !== undefined && toBool(given.is_domain)) {
    if (given.parent_id) throw new KosError('BadRequest', 'only root projects are allowed to act as domains.');
    return createDomain(ctx.deps, { ...given, description: given.description ?? '' });
  }
  return createProject(ctx.deps, given, ctx.auth);
}

async function update(current: ProjectLike, patch: Json, ctx: CallContext): Promise<ProjectLike> {
  const changes = checked(ProjectUpdate, patch, 'project');
  requireMatchingId(changes, current.id);
  if (isProject(current)) return updateProject(ctx.deps, current, changes);
  if (changes.is_domain !== undefined && !toBool(changes.is_domain)) {
    throw new KosError('BadRequest', 'Update of `is_domain` is not allowed.');
  }
  const { domain_id: _d, parent_id: _p, is_domain: _i, ...domainChanges } = changes;
  return updateDomain(ctx.deps, current, domainChanges);
}

const projectRules = crudRuleNames('project');

export const routes: IdentityRouteModule = {
  rules: {
    [projectRules.get]: anyOf(adminOrReader, ownsDomain, scopedToTarget),
    [projectRules.list]: anyOf(adminOrReader, ownsDomain),
    [projectRules.create]: isAdmin,
    [projectRules.update]: isAdmin,
    [projectRules.delete]: isAdmin,
    'identity:list_project_tags': anyOf(adminOrReader, ownsDomain, scopedToTarget),
    'identity:get_project_tag': anyOf(adminOrReader, ownsDomain, scopedToTarget),
    'identity:update_project_tags': isAdmin,
    'identity:create_project_tag': isAdmin,
    'identity:delete_project_tags': isAdmin,
    'identity:delete_project_tag': isAdmin,
  },
  register(app, deps) {
    const spec: Finder<ProjectLike> = {
      find: (d, id) => findProjectLike(d.repo, id),
      target: targetOf,
    };
    registerCrud<ProjectLike>(app, deps, {
      member: 'project',
      plural: 'projects',
      idParam: 'project_id',
      rules: projectRules,
      ...spec,
      createTarget: (input) => (typeof input.domain_id === 'string' ? { domain_id: input.domain_id } : {}),
      view: viewOf,
      detail: withHierarchy,
      list: listProjects,
      create,
      update,
      remove: (x, ctx) => (isProject(x) ? deleteProject(ctx.deps, x) : deleteDomain(ctx.deps, x)),
    });

    const opts = { preHandler: deps.authenticated };
    const tagsBody = (req: FastifyRequest, project: Project) => ({
      tags: project.tags,
      links: selfLink(req, `projects/${project.id}/tags`),
    });
    const regularProject = (x: ProjectLike): Project => {
      if (!isProject(x)) throw new KosError('NotFound', `Could not find project: ${x.id}.`);
      return x;
    };

    app.get('/v3/projects/:project_id/tags', opts, async (req) => {
      const ctx = callContext(req, deps);
      const p = regularProject(guardedFind(ctx, spec, 'identity:list_project_tags', paramOf(req, 'project_id')));
      return tagsBody(req, p);
    });

    app.put('/v3/projects/:project_id/tags', opts, async (req) => {
      const ctx = callContext(req, deps);
      const p = regularProject(guardedFind(ctx, spec, 'identity:update_project_tags', paramOf(req, 'project_id')));
      const body = req.body as { tags?: unknown } | undefined;
      if (!body || body.tags === undefined) throw new KosError('BadRequest', "Invalid input for field 'tags': 'tags' is a required property.");
      check(Tags, body.tags, 'tags');
      const tags = body.tags;
      const updated = await setProjectTags(deps, p.id, () => tags);
      return tagsBody(req, updated);
    });

    app.delete('/v3/projects/:project_id/tags', opts, async (req, reply: FastifyReply) => {
      const ctx = callContext(req, deps);
      const p = regularProject(guardedFind(ctx, spec, 'identity:delete_project_tags', paramOf(req, 'project_id')));
      await setProjectTags(deps, p.id, () => []);
      return reply.code(204).send();
    });

    app.get('/v3/projects/:project_id/tags/:tag', opts, async (req, reply: FastifyReply) => {
      const ctx = callContext(req, deps);
      const p = regularProject(guardedFind(ctx, spec, 'identity:get_project_tag', paramOf(req, 'project_id')));
      const tag = paramOf(req, 'tag');
      if (!p.tags.includes(tag)) throw new KosError('NotFound', `Could not find project tag: ${tag}.`);
      return reply.code(204).send();
    });

    app.put('/v3/projects/:project_id/tags/:tag', opts, async (req, reply: FastifyReply) => {
      const ctx = callContext(req, deps);
      const p = regularProject(guardedFind(ctx, spec, 'identity:create_project_tag', paramOf(req, 'project_id')));
      const tag = paramOf(req, 'tag');
      check(Tag, tag, 'tag');
      await setProjectTags(deps, p.id, (tags) => (tags.includes(tag) ? tags : [...tags, tag]));
      return reply
        .code(201)
        .header('location', selfLink(req, `projects/${p.id}/tags/${encodeURIComponent(tag)}`).self)
        .send();
    });

    app.delete('/v3/projects/:project_id/tags/:tag', opts, async (req, reply: FastifyReply) => {
      const ctx = callContext(req, deps);
      const p = regularProject(guardedFind(ctx, spec, 'identity:delete_project_tag', paramOf(req, 'project_id')));
      const tag = paramOf(req, 'tag');
      if (!p.tags.includes(tag)) throw new KosError('NotFound', `Could not find project tag: ${tag}.`);
      await setProjectTags(deps, p.id, (tags) => tags.filter((t) => t !== tag));
      return reply.code(204).send();
    });
  },
};
