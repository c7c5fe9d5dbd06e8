/** Roles: namespaced sets of permission rules (rbac.authorization.k8s.io/v1). */
import { validateRules } from '../rbac/validation.js';
import { defineResource } from '../resource.js';
import { createdAtColumn } from './rbac-columns.js';

export const roles = defineResource({
  group: 'rbac.authorization.k8s.io',
  version: 'v1',
  kind: 'Role',
  plural: 'roles',
  singular: 'role',
  namespaced: true,
  nameRule: 'pathSegment',
  strategy: { validate: (obj) => validateRules(obj, true) },
  tableColumns: [createdAtColumn],
});
