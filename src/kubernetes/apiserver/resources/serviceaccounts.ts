/** ServiceAccounts: identities for pods; `serviceaccounts/token` issues signed tokens for them (TokenRequest). */
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
  subresources: ['token'],
  subresourceCreate: { token: (serviceAccount, body, ctx) => ctx.auth.requestToken(serviceAccount, body) },
  tableColumns: [column('Secrets', 'string', 'Secrets is a list of the secrets in the same namespace that pods running using this ServiceAccount are allowed to use.', (o) => arrayAt(o, 'secrets')?.length ?? 0)],
});
