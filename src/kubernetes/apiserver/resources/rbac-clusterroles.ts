/**
 * ClusterRoles: cluster-wide rules, and non-resource URLs. A ClusterRole with an
 * aggregationRule gets its rules from the ClusterRoles its selectors match (the
 * aggregation controller in ../rbac writes them).
 */
import { validateAggregationRule, validateRules } from '../rbac/validation.js';
import { defineResource } from '../resource.js';
import { createdAtColumn } from './rbac-columns.js';

export const clusterroles = defineResource({
  group: 'rbac.authorization.k8s.io',
  version: 'v1',
  kind: 'ClusterRole',
  plural: 'clusterroles',
  singular: 'clusterrole',
  namespaced: false,
  nameRule: 'pathSegment',
  strategy: { validate: (obj) => [...validateRules(obj, false), ...validateAggregationRule(obj)] },
  tableColumns: [createdAtColumn],
});
