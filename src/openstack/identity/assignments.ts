/**
 * Effective role assignments: what a user can actually do where. Shared by token
 * validation (the roles a token carries) and `GET /v3/role_assignments?effective`.
 *
 * A user holds a role on a target directly, through a group it belongs to, by
 * inheritance (OS-INHERIT: a role granted "inherited to projects" on a domain applies to
 * every project of the domain; on a project, to every project below it), and by
 * implication (a role implies others, transitively). Domain-specific roles exist only to
 * imply global ones: they never appear in tokens or in the effective listing.
 */
import type { IdentityRepository } from './repository.js';
import type { Project, Role, RoleAssignment } from './model.js';

export type RoleTarget = { type: 'project' | 'domain'; id: string } | { type: 'system'; id?: string };

/** Where an effective assignment came from (Keystone's `indirect`). */
export interface IndirectSource {
  group_id?: string;
  /** The project an inherited assignment was made on. */
  project_id?: string;
  /** The domain an inherited assignment was made on. */
  domain_id?: string;
  /** The prior role this one is implied by. */
  role_id?: string;
}

/** One row of a role assignment listing, direct or effective, before formatting. */
export interface AssignmentRow {
  user_id?: string;
  group_id?: string;
  project_id?: string;
  domain_id?: string;
  system?: 'all';
  role_id: string;
  /** A direct assignment made inherited-to-projects (never set on effective rows). */
  inherited_to_projects?: boolean;
  indirect?: IndirectSource;
}

export interface AssignmentFilter {
  userId?: string;
  groupId?: string;
  projectId?: string;
  domainId?: string;
  /** Only system assignments ('all'). */
  system?: boolean;
  roleId?: string;
  /** true: only inherited, false: only direct, undefined: both. */
  inherited?: boolean;
  /** With projectId: the projects below it too. */
  includeSubtree?: boolean;
  /** Drop domain-specific roles (default true; trusts look at the full set). */
  stripDomainRoles?: boolean;
}

// ---- hierarchy helpers -------------------------------------------------------------------

export function groupIdsOf(repo: IdentityRepository, userId: string): string[] {
  return repo.c.memberships.byIndex('user', userId).map((m) => m.group_id);
}

/** The projects above a project, nearest first (the domain itself is not a project). */
export function ancestorsOf(repo: IdentityRepository, project: Project): Project[] {
  const out: Project[] = [];
  const seen = new Set<string>([project.id]);
  let parent = repo.c.projects.get(project.parent_id);
  while (parent && !seen.has(parent.id)) {
    out.push(parent);
    seen.add(parent.id);
    parent = repo.c.projects.get(parent.parent_id);
  }
  return out;
}

/** Every project below a project (itself excluded). */
export function subtreeOf(repo: IdentityRepository, projectId: string): Project[] {
  const out: Project[] = [];
  const queue = [projectId];
  const seen = new Set(queue);
  while (queue.length > 0) {
    for (const child of repo.c.projects.byIndex('parent', queue.shift()!)) {
      if (seen.has(child.id)) continue;
      seen.add(child.id);
      out.push(child);
      queue.push(child.id);
    }
  }
  return out;
}

/** The roles and everything they imply, transitively, in discovery order. */
export function impliedClosure(repo: IdentityRepository, roleIds: Iterable<string>): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  const queue = [...roleIds];
  while (queue.length > 0) {
    const id = queue.shift()!;
    if (seen.has(id)) continue;
    seen.add(id);
    out.push(id);
    for (const rule of repo.c.implied_roles.byIndex('prior', id)) queue.push(rule.implied_role_id);
  }
  return out;
}

const isGlobalRole = (role: Role | undefined): role is Role => role !== undefined && role.domain_id === null;

// ---- effective roles on one target (the token path) -------------------------------------

/** The role ids granted to the user on the target before implication (directly, via groups, inherited). */
function grantedRoleIds(repo: IdentityRepository, userId: string, target: RoleTarget): Set<string> | undefined {
  let matches: (a: RoleAssignment) => boolean;
  if (target.type === 'project') {
    const project = repo.c.projects.get(target.id);
    if (!project) return undefined;
    const ancestors = new Set(ancestorsOf(repo, project).map((p) => p.id));
    matches = (a) =>
      a.target_type === 'project'
        ? a.inherited
          ? ancestors.has(a.target_id)
          : a.target_id === project.id
        : a.target_type === 'domain' && a.inherited && a.target_id === project.domain_id;
  } else if (target.type === 'domain') {
    if (!repo.c.domains.has(target.id)) return undefined;
    matches = (a) => a.target_type === 'domain' && !a.inherited && a.target_id === target.id;
  } else {
    matches = (a) => a.target_type === 'system';
  }
  const granted = new Set<string>();
  const actors = [`user:${userId}`, ...groupIdsOf(repo, userId).map((g) => `group:${g}`)];
  for (const actor of actors) {
    for (const a of repo.c.role_assignments.byIndex('actor', actor)) if (matches(a)) granted.add(a.role_id);
  }
  return granted;
}

/**
 * The role ids a user effectively holds on a target, implied roles included. With
 * stripDomainRoles (the default) only global roles remain — what a token shows.
 */
export function effectiveRoleIds(
  repo: IdentityRepository,
  userId: string,
  target: RoleTarget,
  opts: { stripDomainRoles?: boolean } = {},
): string[] {
  const granted = grantedRoleIds(repo, userId, target);
  if (!granted || granted.size === 0) return [];
  const all = impliedClosure(repo, granted).filter((id) => repo.c.roles.has(id));
  return opts.stripDomainRoles === false ? all : all.filter((id) => isGlobalRole(repo.c.roles.get(id)));
}

/** The global roles a user effectively holds on a target: the roles a token scoped there carries. */
export function effectiveRoles(repo: IdentityRepository, userId: string, target: RoleTarget): Role[] {
  return effectiveRoleIds(repo, userId, target).map((id) => repo.c.roles.require(id));
}

// ---- effective listing (GET /v3/role_assignments?effective) -----------------------------

/** A stored assignment as an unexpanded listing row. */
export function directRow(a: RoleAssignment): AssignmentRow {
  const row: AssignmentRow = { role_id: a.role_id };
  if (a.actor_type === 'user') row.user_id = a.actor_id;
  else row.group_id = a.actor_id;
  if (a.target_type === 'project') row.project_id = a.target_id;
  else if (a.target_type === 'domain') row.domain_id = a.target_id;
  else row.system = 'all';
  if (a.inherited) row.inherited_to_projects = true;
  return row;
}

function withIndirect(row: AssignmentRow, extra: IndirectSource): AssignmentRow {
  return { ...row, indirect: { ...row.indirect, ...extra } };
}

/**
 * Effective assignments, as Keystone lists them: group assignments become one row per
 * member (indirect.group_id), inherited ones one row per project below the assignment
 * point (indirect.project_id / domain_id), each implied role a copy of the row that
 * implies it (indirect.role_id). System assignments appear only when `system` is asked for.
 */
export function effectiveAssignments(repo: IdentityRepository, filter: AssignmentFilter = {}): AssignmentRow[] {
  // A group never survives expansion, and domains do not inherit.
  if (filter.groupId || (filter.domainId && filter.inherited === true)) return [];
  const inherited = filter.domainId ? false : filter.inherited;

  let base: RoleAssignment[];
  if (filter.userId) {
    const actors = [`user:${filter.userId}`, ...groupIdsOf(repo, filter.userId).map((g) => `group:${g}`)];
    base = actors.flatMap((actor) => repo.c.role_assignments.byIndex('actor', actor));
  } else {
    base = repo.c.role_assignments.list();
  }

  let interest: Set<string> | undefined;
  if (filter.projectId) {
    interest = new Set([filter.projectId]);
    if (filter.includeSubtree) for (const p of subtreeOf(repo, filter.projectId)) interest.add(p.id);
  }

  const expanded: AssignmentRow[] = [];
  const emit = (a: RoleAssignment, row: AssignmentRow) => {
    if (a.actor_type === 'user') {
      expanded.push({ user_id: a.actor_id, ...row });
      return;
    }
    const members = repo.c.memberships.byIndex('group', a.actor_id).map((m) => m.user_id);
    for (const userId of members) {
      if (filter.userId && userId !== filter.userId) continue;
      expanded.push(withIndirect({ user_id: userId, ...row }, { group_id: a.actor_id }));
    }
  };

  for (const a of base) {
    if (a.target_type === 'system') {
      if (filter.system && inherited !== true) emit(a, { system: 'all', role_id: a.role_id });
      continue;
    }
    if (filter.system) continue;
    if (!a.inherited) {
      if (inherited === true) continue;
      if (a.target_type === 'domain') {
        if (interest || (filter.domainId && filter.domainId !== a.target_id)) continue;
        emit(a, { domain_id: a.target_id, role_id: a.role_id });
      } else {
        if (filter.domainId || (interest && !interest.has(a.target_id))) continue;
        emit(a, { project_id: a.target_id, role_id: a.role_id });
      }
      continue;
    }
    if (inherited === false || filter.domainId) continue;
    const projects =
      a.target_type === 'domain' ? repo.c.projects.byIndex('domain', a.target_id) : subtreeOf(repo, a.target_id);
    const source: IndirectSource = a.target_type === 'domain' ? { domain_id: a.target_id } : { project_id: a.target_id };
    for (const p of projects) {
      if (interest && !interest.has(p.id)) continue;
      emit(a, { project_id: p.id, role_id: a.role_id, indirect: source });
    }
  }

  const rows: AssignmentRow[] = [];
  for (const row of expanded) {
    rows.push(row);
    // Breadth-first over implications; each copy names its immediate prior role.
    const seen = new Set([row.role_id]);
    const queue = [row];
    while (queue.length > 0) {
      const prior = queue.shift()!;
      for (const rule of repo.c.implied_roles.byIndex('prior', prior.role_id)) {
        if (seen.has(rule.implied_role_id)) continue;
        seen.add(rule.implied_role_id);
        const copy = withIndirect({ ...prior, role_id: rule.implied_role_id }, { role_id: prior.role_id });
        rows.push(copy);
        queue.push(copy);
      }
    }
  }

  const strip = filter.stripDomainRoles !== false;
  return rows.filter(
    (r) => (!strip || isGlobalRole(repo.c.roles.get(r.role_id))) && (!filter.roleId || r.role_id === filter.roleId),
  );
}

/** Projects (enabled or not) on which the user holds any effective role. */
export function projectIdsForUser(repo: IdentityRepository, userId: string): string[] {
  return [...new Set(effectiveAssignments(repo, { userId }).flatMap((r) => (r.project_id ? [r.project_id] : [])))];
}

/** Domains on which the user holds any effective role. */
export function domainIdsForUser(repo: IdentityRepository, userId: string): string[] {
  return [...new Set(effectiveAssignments(repo, { userId }).flatMap((r) => (r.domain_id ? [r.domain_id] : [])))];
}

// ---- wire format ---------------------------------------------------------------------------

export interface FormatOptions {
  /** `http://host:port` — links are `${baseUrl}/v3/...`. */
  baseUrl: string;
  /** include_names: add names (and domains) of the user, group, project, domain and role. */
  names?: IdentityRepository;
}

type Json = Record<string, unknown>;

function named(repo: IdentityRepository | undefined, kind: 'project' | 'user' | 'group', id: string): Json {
  if (!repo) return { id };
  const obj =
    kind === 'project' ? repo.c.projects.get(id) : kind === 'user' ? repo.c.users.get(id) : repo.c.groups.get(id);
  if (!obj) return { id };
  const domain = repo.c.domains.get(obj.domain_id);
  return { id, name: obj.name, domain: { id: obj.domain_id, name: domain?.name ?? null } };
}

/** A row as Keystone shows it in a role assignment listing. */
export function formatAssignment(row: AssignmentRow, opts: FormatOptions): Json {
  const repo = opts.names;
  const out: Json = {};
  const links: Record<string, string> = {};
  let link: string;
  let inheritedLink = row.inherited_to_projects === true;
  let scope: Json;
  if (row.project_id) {
    scope = { project: named(repo, 'project', row.project_id) };
    if (row.indirect?.domain_id) {
      inheritedLink = true;
      link = `/domains/${row.indirect.domain_id}`;
    } else if (row.indirect?.project_id) {
      inheritedLink = true;
      link = `/projects/${row.indirect.project_id}`;
    } else {
      link = `/projects/${row.project_id}`;
    }
  } else if (row.domain_id) {
    const domain = repo?.c.domains.get(row.domain_id);
    scope = { domain: domain ? { id: row.domain_id, name: domain.name } : { id: row.domain_id } };
    link = `/domains/${row.domain_id}`;
  } else {
    scope = { system: { all: true } };
    link = '/system';
  }
  if (row.user_id) {
    out.user = named(repo, 'user', row.user_id);
    if (row.indirect?.group_id) {
      links.membership = `${opts.baseUrl}/v3/groups/${row.indirect.group_id}/users/${row.user_id}`;
      link += `/groups/${row.indirect.group_id}`;
    } else {
      link += `/users/${row.user_id}`;
    }
  } else if (row.group_id) {
    out.group = named(repo, 'group', row.group_id);
    link += `/groups/${row.group_id}`;
  }
  const role = repo?.c.roles.get(row.role_id);
  if (role) {
    const r: Json = { id: role.id, name: role.name };
    if (role.domain_id) r.domain = { id: role.domain_id, name: repo?.c.domains.get(role.domain_id)?.name ?? null };
    out.role = r;
  } else {
    out.role = { id: row.role_id };
  }
  if (row.indirect?.role_id) {
    link += `/roles/${row.indirect.role_id}`;
    // Keystone names the pair this way round; clients compare against it.
    links.prior_role = `${opts.baseUrl}/v3/prior_role/${row.role_id}/implies/${row.indirect.role_id}`;
  } else {
    link += `/roles/${row.role_id}`;
  }
  if (inheritedLink) {
    scope['OS-INHERIT:inherited_to'] = 'projects';
    link = `/OS-INHERIT${link}/inherited_to_projects`;
  }
  out.scope = scope;
  links.assignment = `${opts.baseUrl}/v3${link}`;
  out.links = links;
  return out;
}
