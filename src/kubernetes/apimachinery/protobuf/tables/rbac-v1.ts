// rbac.authorization.k8s.io/v1 message layouts. Field numbers: generated.proto of k8s.io/api rbac/v1 at v0.35;
// JSON names, pointers, omitempty and inlining: its Go types. Syntax: ../descriptor.ts.
import type { PackageTable } from '../descriptor.js';

export const rbacV1: PackageTable = {
  package: 'rbac.v1',
  groupVersion: 'rbac.authorization.k8s.io/v1',
  kinds: ['Role', 'RoleBinding', 'ClusterRole', 'ClusterRoleBinding'],
  messages: {
    AggregationRule: '1 clusterRoleSelectors []@meta.v1.LabelSelector?',
    ClusterRole:
      '1 metadata @meta.v1.ObjectMeta?, 2 rules []@PolicyRule, 3 aggregationRule @AggregationRule*?',
    ClusterRoleBinding: '1 metadata @meta.v1.ObjectMeta?, 2 subjects []@Subject?, 3 roleRef @RoleRef',
    PolicyRule:
      '1 verbs []s, 2 apiGroups []s?, 3 resources []s?, 4 resourceNames []s?, 5 nonResourceURLs []s?',
    Role: '1 metadata @meta.v1.ObjectMeta?, 2 rules []@PolicyRule',
    RoleBinding: '1 metadata @meta.v1.ObjectMeta?, 2 subjects []@Subject?, 3 roleRef @RoleRef',
    RoleRef: '1 apiGroup s, 2 kind s, 3 name s',
    Subject: '1 kind s, 2 apiGroup s?, 3 name s, 4 namespace s?',
  },
};
