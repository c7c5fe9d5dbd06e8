/**
 * The project tree. A top-level project's parent is its domain; kos keeps domains apart
 * from projects, so walking up stops at the first parent that is not a project.
 */
import { ancestorsOf, subtreeOf } from '../assignments.js';
import type { Project } from '../model.js';
import type { IdentityRepository } from '../repository.js';

/** Keystone's default max_project_tree_depth: five levels of projects below the domain. */
export const MAX_PROJECT_DEPTH = 5;

export { ancestorsOf, subtreeOf };

export const isLeaf = (repo: IdentityRepository, id: string): boolean => repo.c.projects.byIndex('parent', id).length === 0;

/** `{parent: {grandparent: {domain: null}}}`, as `?parents_as_ids` shows it. */
export function parentsAsIds(repo: IdentityRepository, p: Project): Record<string, unknown> | null {
  const chain = [...ancestorsOf(repo, p).map((a) => a.id), p.domain_id];
  let nested: Record<string, unknown> | null = null;
  for (const id of chain.reverse()) nested = { [id]: nested };
  return nested;
}

/** `{child: {grandchild: null}}`, as `?subtree_as_ids` shows it; null for a leaf. */
export function subtreeAsIds(repo: IdentityRepository, id: string, seen = new Set<string>()): Record<string, unknown> | null {
  seen.add(id);
  const children = repo.c.projects.byIndex('parent', id).filter((c) => !seen.has(c.id));
  if (children.length === 0) return null;
  const out: Record<string, unknown> = {};
  for (const c of children) out[c.id] = subtreeAsIds(repo, c.id, seen);
  return out;
}
