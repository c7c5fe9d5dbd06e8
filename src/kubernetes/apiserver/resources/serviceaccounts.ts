/** ServiceAccounts: identities for pods; their tokens arrive with authentication. */
import { arrayAt } from '../object.js';
import { defineResource } from '../resource.js';
import { column } from './columns.js';

export const serviceaccounts = defineResource({
  group: '',
  version: 'v1',
  kind: 'ServiceAccount',
  plural: 'serviceaccounts',
  singular: 'serviceaccount',
  namespaced: true,
  shortNames: ['sa'],
  tableColumns: [column('Secrets', 'string', 'Secrets is a list of the secrets in the same namespace that pods running using this ServiceAccount are allowed to use.', (o) => arrayAt(o, 'secrets')?.length ?? 0)],
});
