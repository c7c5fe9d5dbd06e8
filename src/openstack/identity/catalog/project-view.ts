/**
 * A project as OS-EP-FILTER lists show it (the projects module owns the full API; this is
 * only the representation, links included).
 */
import type { FastifyRequest } from 'fastify';
import type { Project } from '../model.js';
import { selfLink } from '../wire.js';
import type { Json } from '../crud.js';

export const projectView = (req: FastifyRequest, p: Project): Json => ({
  ...p.extra,
  id: p.id,
  name: p.name,
  domain_id: p.domain_id,
  parent_id: p.parent_id,
  description: p.description,
  enabled: p.enabled,
  is_domain: false,
  tags: p.tags,
  options: p.options,
  links: selfLink(req, `projects/${p.id}`),
});
