/** Table columns kubectl shows for RBAC kinds: roles by creation date, bindings by role and subjects. */
import { roleRefOf, subjectsOf, type SubjectKind } from '../rbac/policy.js';
import type { KubeObject } from '../object.js';
import type { TableColumn } from '../resource.js';
import { ageColumn } from '../table.js';
import { column } from './columns.js';

export const createdAtColumn: TableColumn = {
  name: 'Created At',
  type: 'string',
  format: 'date',
  description: ageColumn.description,
  priority: 0,
  cell: (o) => o.metadata.creationTimestamp ?? '',
};

function subjectNames(o: KubeObject, kind: SubjectKind): string {
  return subjectsOf(o)
    .filter((s) => s.kind === kind)
    .map((s) => (kind === 'ServiceAccount' ? `${s.namespace ?? ''}/${s.name}` : s.name))
    .join(', ');
}

export const bindingColumns = (kind: 'roleBinding' | 'clusterRoleBinding'): TableColumn[] => [
  column('Role', 'string', 'RoleRef can reference a Role in the current namespace or a ClusterRole in the global namespace. If the RoleRef cannot be resolved, the Authorizer must return an error.', (o) => {
    const ref = roleRefOf(o);
    return ref ? `${ref.kind}/${ref.name}` : '';
  }),
  ageColumn,
  column('Users', 'string', `Users in the ${kind}`, (o) => subjectNames(o, 'User'), 1),
  column('Groups', 'string', `Groups in the ${kind}`, (o) => subjectNames(o, 'Group'), 1),
  column('ServiceAccounts', 'string', `ServiceAccounts in the ${kind}`, (o) => subjectNames(o, 'ServiceAccount'), 1),
];
