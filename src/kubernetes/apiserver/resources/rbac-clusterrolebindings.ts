/** ClusterRoleBindings: grant a ClusterRole to subjects across the whole cluster. */
import { defaultBinding, validateBinding, validateBindingUpdate } from '../rbac/validation.js';
import { defineResource } from '../resource.js';
import { bindingColumns } from './rbac-columns.js';

export const clusterrolebindings = defineResource({
  group: 'rbac.authorization.k8s.io',
  version: 'v1',
  kind: 'ClusterRoleBinding',
  plural: 'clusterrolebindings',
  singular: 'clusterrolebinding',
  namespaced: false,
  nameRule: 'pathSegment',
  strategy: {
    defaults: defaultBinding,
    validate: (obj) => validateBinding(obj, false),
    validateUpdate: validateBindingUpdate,
  },
  tableColumns: bindingColumns('clusterRoleBinding'),
});
