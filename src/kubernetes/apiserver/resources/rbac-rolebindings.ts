/** RoleBindings: grant a Role or ClusterRole to subjects within one namespace. */
import { defaultBinding, validateBinding, validateBindingUpdate } from '../rbac/validation.js';
import { defineResource } from '../resource.js';
import { bindingColumns } from './rbac-columns.js';

export const rolebindings = defineResource({
  group: 'rbac.authorization.k8s.io',
  version: 'v1',
  kind: 'RoleBinding',
  plural: 'rolebindings',
  singular: 'rolebinding',
  namespaced: true,
  nameRule: 'pathSegment',
  strategy: {
    defaults: defaultBinding,
    validate: (obj) => validateBinding(obj, true),
    validateUpdate: validateBindingUpdate,
  },
  tableColumns: bindingColumns('roleBinding'),
});
