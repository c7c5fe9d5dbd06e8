/**
 * The wire representation of each resource: what Keystone shows, with `links.self`, extra
 * attributes flattened in, and never a secret. One function per kind so a create, a show and
 * a list entry of the same object are always identical.
 */
import type { FastifyRequest } from 'fastify';
import type { Domain, Group, Project, Role, User } from '../model.js';
import { selfLink } from '../wire.js';

type JsonObject = Record<string, unknown>;

export function domainView(req: FastifyRequest, d: Domain): JsonObject {
  return {
    ...d.extra,
    id: d.id,
    name: d.name,
    description: d.description,
    enabled: d.enabled,
    tags: d.tags,
    options: d.options,
    links: selfLink(req, `domains/${d.id}`),
  };
}

export function projectView(req: FastifyRequest, p: Project): JsonObject {
  return {
    ...p.extra,
    id: p.id,
    name: p.name,
    domain_id: p.domain_id,
    parent_id: p.parent_id,
    is_domain: false,
    description: p.description,
    enabled: p.enabled,
    tags: p.tags,
    options: p.options,
    links: selfLink(req, `projects/${p.id}`),
  };
}

/** A domain seen through /v3/projects: Keystone stores domains as projects acting as domains. */
export function domainAsProjectView(req: FastifyRequest, d: Domain): JsonObject {
  return {
    ...d.extra,
    id: d.id,
    name: d.name,
    domain_id: null,
    parent_id: null,
    is_domain: true,
    description: d.description,
    enabled: d.enabled,
    tags: d.tags,
    options: d.options,
    links: selfLink(req, `projects/${d.id}`),
  };
}

export function userView(req: FastifyRequest, u: User): JsonObject {
  const view: JsonObject = {
    ...u.extra,
    id: u.id,
    name: u.name,
    domain_id: u.domain_id,
    enabled: u.enabled,
    password_expires_at: u.passwords[0]?.expires_at ?? null,
    options: u.options,
    links: selfLink(req, `users/${u.id}`),
  };
  // Keystone shows these two only when they are set.
  if (u.default_project_id !== null) view.default_project_id = u.default_project_id;
  if (u.description !== null) view.description = u.description;
  return view;
}

export function groupView(req: FastifyRequest, g: Group): JsonObject {
  return {
    ...g.extra,
    id: g.id,
    name: g.name,
    domain_id: g.domain_id,
    description: g.description,
    links: selfLink(req, `groups/${g.id}`),
  };
}

export function roleView(req: FastifyRequest, r: Role): JsonObject {
  return {
    ...r.extra,
    id: r.id,
    name: r.name,
    domain_id: r.domain_id,
    description: r.description,
    options: r.options,
    links: selfLink(req, `roles/${r.id}`),
  };
}

/** A role as an implied-role rule shows it: id, name and link only. */
export function roleRefView(req: FastifyRequest, r: Role): JsonObject {
  return { id: r.id, links: selfLink(req, `roles/${r.id}`), name: r.name };
}
