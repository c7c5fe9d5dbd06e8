/**
 * OS-EP-FILTER: endpoint groups and the project ↔ endpoint / project ↔ endpoint group
 * associations that narrow a project's catalog. Reads are for admins and system readers,
 * changes for admins (Keystone's defaults).
 */
import type { FastifyRequest } from 'fastify';
import { KosError } from '../../../core/errors.js';
import { contextOf } from '../../common/auth.js';
import { isAdmin } from '../../common/policy.js';
import { registerCrud } from '../crud.js';
import {
  endpointAssociationId,
  endpointsForProject,
  endpointsInGroup,
  groupAssociationId,
  groupsForProject,
  requireEndpointInProject,
} from '../catalog/endpoint-filter.js';
import { endpointGroups } from '../catalog/endpoint-groups.js';
import { endpointView } from '../catalog/endpoints.js';
import { adminOrSystemReader, adminWrites, crudRuleNames } from '../catalog/rules.js';
import type { IdentityDeps, IdentityRouteModule } from '../deps.js';
import type { Endpoint, EndpointAssociation } from '../model.js';
import { projectView } from '../resources/views.js';
import { collectionLinks, selfLink } from '../wire.js';

const groupRules = crudRuleNames('endpoint_group');
const R = {
  listProjectsForGroup: 'identity:list_projects_associated_with_endpoint_group',
  listEndpointsForGroup: 'identity:list_endpoints_associated_with_endpoint_group',
  getGroupInProject: 'identity:get_endpoint_group_in_project',
  listGroupsForProject: 'identity:list_endpoint_groups_for_project',
  addGroupToProject: 'identity:add_endpoint_group_to_project',
  removeGroupFromProject: 'identity:remove_endpoint_group_from_project',
  listProjectsForEndpoint: 'identity:list_projects_for_endpoint',
  addEndpointToProject: 'identity:add_endpoint_to_project',
  checkEndpointInProject: 'identity:check_endpoint_in_project',
  listEndpointsForProject: 'identity:list_endpoints_for_project',
  removeEndpointFromProject: 'identity:remove_endpoint_from_project',
} as const;

const P = '/v3/OS-EP-FILTER';
type Params = { group_id: string; project_id: string; endpoint_id: string };
const paramsOf = (req: FastifyRequest): Params => req.params as Params;

const endpointsBody = (req: FastifyRequest, list: Endpoint[]) => ({
  endpoints: list.map((e) => ({ ...endpointView(e), links: selfLink(req, `endpoints/${e.id}`) })),
  links: collectionLinks(req),
});

function registerAssociations(app: Parameters<IdentityRouteModule['register']>[0], deps: IdentityDeps): void {
  const { repo } = deps;
  const opts = { preHandler: deps.authenticated };
  const enforce = (req: FastifyRequest, rule: string) => deps.policy.enforce(rule, contextOf(req).auth, {});
  const groupResource = endpointGroups(groupRules);

  /** The projects of the associations `which` picks, as a list body. */
  const projectsOf = (req: FastifyRequest, which: (a: EndpointAssociation) => boolean) => ({
    projects: repo.c.endpoint_associations.list(which).flatMap((a) => {
      const p = repo.c.projects.get(a.project_id);
      return p ? [projectView(req, p)] : [];
    }),
    links: collectionLinks(req),
  });

  app.get(`${P}/endpoint_groups/:group_id/projects`, opts, async (req) => {
    enforce(req, R.listProjectsForGroup);
    const group = repo.c.endpoint_groups.require(paramsOf(req).group_id);
    return projectsOf(req, (a) => a.endpoint_group_id === group.id);
  });

  app.get(`${P}/endpoint_groups/:group_id/endpoints`, opts, async (req) => {
    enforce(req, R.listEndpointsForGroup);
    return endpointsBody(req, endpointsInGroup(repo, repo.c.endpoint_groups.require(paramsOf(req).group_id)));
  });

  const groupInProject = `${P}/endpoint_groups/:group_id/projects/:project_id`;
  app.get(groupInProject, opts, async (req) => {
    enforce(req, R.getGroupInProject);
    const { group_id, project_id } = paramsOf(req);
    repo.c.projects.require(project_id);
    repo.c.endpoint_groups.require(group_id);
    if (!repo.c.endpoint_associations.has(groupAssociationId(project_id, group_id))) {
      throw new KosError('NotFound', `Could not find Endpoint Group Project Association: ${group_id} in ${project_id}.`);
    }
    return {
      project_endpoint_group: {
        endpoint_group_id: group_id,
        project_id,
        links: selfLink(req, `OS-EP-FILTER/endpoint_groups/${group_id}/projects/${project_id}`),
      },
    };
  });
  app.put(groupInProject, opts, async (req, reply) => {
    enforce(req, R.addGroupToProject);
    const { group_id, project_id } = paramsOf(req);
    await repo.writes.run(async () => {
      repo.c.projects.require(project_id);
      repo.c.endpoint_groups.require(group_id);
      const id = groupAssociationId(project_id, group_id);
      if (!repo.c.endpoint_associations.has(id)) {
        await repo.c.endpoint_associations.create({ id, project_id, endpoint_id: null, endpoint_group_id: group_id });
      }
    });
    return reply.code(204).send();
  });
  app.delete(groupInProject, opts, async (req, reply) => {
    enforce(req, R.removeGroupFromProject);
    const { group_id, project_id } = paramsOf(req);
    await repo.writes.run(async () => {
      repo.c.projects.require(project_id);
      repo.c.endpoint_groups.require(group_id);
      if (!(await repo.c.endpoint_associations.deleteIfExists(groupAssociationId(project_id, group_id)))) {
        throw new KosError('NotFound', `Could not find Endpoint Group Project Association: ${group_id} in ${project_id}.`);
      }
    });
    return reply.code(204).send();
  });

  app.get(`${P}/projects/:project_id/endpoint_groups`, opts, async (req) => {
    enforce(req, R.listGroupsForProject);
    const project = repo.c.projects.require(paramsOf(req).project_id);
    return {
      endpoint_groups: groupsForProject(repo, project.id).map((g) => groupResource.view(g, req)),
      links: collectionLinks(req),
    };
  });

  app.get(`${P}/projects/:project_id/endpoints`, opts, async (req) => {
    enforce(req, R.listEndpointsForProject);
    const project = repo.c.projects.require(paramsOf(req).project_id);
    return endpointsBody(req, endpointsForProject(repo, project.id));
  });

  const endpointInProject = `${P}/projects/:project_id/endpoints/:endpoint_id`;
  app.get(endpointInProject, opts, async (req, reply) => {
    enforce(req, R.checkEndpointInProject);
    const { project_id, endpoint_id } = paramsOf(req);
    repo.c.endpoints.require(endpoint_id);
    repo.c.projects.require(project_id);
    requireEndpointInProject(repo, project_id, endpoint_id);
    return reply.code(204).send();
  });
  app.put(endpointInProject, opts, async (req, reply) => {
    enforce(req, R.addEndpointToProject);
    const { project_id, endpoint_id } = paramsOf(req);
    await repo.writes.run(async () => {
      repo.c.endpoints.require(endpoint_id);
      repo.c.projects.require(project_id);
      const id = endpointAssociationId(project_id, endpoint_id);
      if (!repo.c.endpoint_associations.has(id)) {
        await repo.c.endpoint_associations.create({ id, project_id, endpoint_id, endpoint_group_id: null });
      }
    });
    return reply.code(204).send();
  });
  app.delete(endpointInProject, opts, async (req, reply) => {
    enforce(req, R.removeEndpointFromProject);
    const { project_id, endpoint_id } = paramsOf(req);
    await repo.writes.run(async () => {
      requireEndpointInProject(repo, project_id, endpoint_id);
      await repo.c.endpoint_associations.delete(endpointAssociationId(project_id, endpoint_id));
    });
    return reply.code(204).send();
  });

  app.get(`${P}/endpoints/:endpoint_id/projects`, opts, async (req) => {
    enforce(req, R.listProjectsForEndpoint);
    const endpoint = repo.c.endpoints.require(paramsOf(req).endpoint_id);
    return projectsOf(req, (a) => a.endpoint_id === endpoint.id);
  });
}

const reads = [
  R.listProjectsForGroup, R.listEndpointsForGroup, R.getGroupInProject, R.listGroupsForProject,
  R.listProjectsForEndpoint, R.checkEndpointInProject, R.listEndpointsForProject,
];
const writes = [R.addGroupToProject, R.removeGroupFromProject, R.addEndpointToProject, R.removeEndpointFromProject];

export const routes: IdentityRouteModule = {
  rules: {
    ...adminWrites(groupRules, adminOrSystemReader),
    ...Object.fromEntries(reads.map((n) => [n, adminOrSystemReader])),
    ...Object.fromEntries(writes.map((n) => [n, isAdmin])),
  },
  register(app, deps) {
    registerCrud(app, deps, endpointGroups(groupRules));
    registerAssociations(app, deps);
  },
};
