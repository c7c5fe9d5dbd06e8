/** The RBAC kinds over a real registry: validation, bootstrap reconciliation, aggregation, default ServiceAccounts. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DefaultServiceAccountReconciler } from '../../../../src/kubernetes/apiserver/authn/default-service-account.js';
import type { KubeObject } from '../../../../src/kubernetes/apiserver/object.js';
import { aggregatedRules } from '../../../../src/kubernetes/apiserver/rbac/aggregation.js';
import { reconcileBootstrapPolicy } from '../../../../src/kubernetes/apiserver/rbac/bootstrap.js';
import { rulesOf } from '../../../../src/kubernetes/apiserver/rbac/policy.js';
import { namespaces } from '../../../../src/kubernetes/apiserver/resources/namespaces.js';
import { clusterrolebindings } from '../../../../src/kubernetes/apiserver/resources/rbac-clusterrolebindings.js';
import { clusterroles } from '../../../../src/kubernetes/apiserver/resources/rbac-clusterroles.js';
import { rolebindings } from '../../../../src/kubernetes/apiserver/resources/rbac-rolebindings.js';
import { roles } from '../../../../src/kubernetes/apiserver/resources/rbac-roles.js';
import { serviceaccounts } from '../../../../src/kubernetes/apiserver/resources/serviceaccounts.js';
import { statusOf, world, type World } from '../apiserver/world.js';

let w: World;
beforeEach(async () => {
  w = await world();
});
afterEach(async () => {
  await w.close();
});

const kinds = { clusterRoles: clusterroles, clusterRoleBindings: clusterrolebindings };

describe('RBAC validation', () => {
  it('rejects rules without verbs, groups or resources, and URLs in a Role', async () => {
    const s = await statusOf(w.registry.create(roles, 'default', { metadata: { name: 'r' }, rules: [{ resources: ['pods'] }, { verbs: ['get'], nonResourceURLs: ['/x'] }] }));
    expect(s.code).toBe(422);
    expect(s.message).toBe(
      'Role.rbac.authorization.k8s.io "r" is invalid: [rules[0].verbs: Required value: verbs must contain at least one value, rules[0].apiGroups: Required value: resource rules must supply at least one api group, rules[1].nonResourceURLs: Invalid value: ["/x"]: namespaced rules cannot apply to non-resource URLs]',
    );
  });

  it('defaults subject API groups, checks roleRef kinds and keeps roleRef immutable', async () => {
    const rb = await w.registry.create(rolebindings, 'default', {
      metadata: { name: 'b' },
      roleRef: { kind: 'ClusterRole', name: 'view' },
      subjects: [{ kind: 'User', name: 'alice' }, { kind: 'ServiceAccount', name: 'default' }],
    });
    expect(rb.roleRef).toEqual({ kind: 'ClusterRole', name: 'view', apiGroup: 'rbac.authorization.k8s.io' });
    expect(rb.subjects).toEqual([
      { kind: 'User', name: 'alice', apiGroup: 'rbac.authorization.k8s.io' },
      { kind: 'ServiceAccount', name: 'default', apiGroup: '' },
    ]);
    const changed = await statusOf(w.registry.update(rolebindings, 'default', 'b', { ...rb, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'edit' } }));
    expect(changed.message).toContain('roleRef: Invalid value:');
    expect(changed.message).toContain('cannot change roleRef');
    const crb = await statusOf(w.registry.create(clusterrolebindings, undefined, { metadata: { name: 'c' }, roleRef: { kind: 'Role', name: 'x' }, subjects: [{ kind: 'ServiceAccount', name: 'sa' }] }));
    expect(crb.message).toBe(
      'ClusterRoleBinding.rbac.authorization.k8s.io "c" is invalid: [roleRef.kind: Unsupported value: "Role": supported values: "ClusterRole", subjects[0].namespace: Required value]',
    );
  });
});

describe('bootstrap policy', () => {
  it('creates the default roles and bindings, and restores what an autoupdated one lost', async () => {
    await reconcileBootstrapPolicy(w.registry, kinds);
    const admin = await w.registry.get(clusterrolebindings, undefined, 'cluster-admin');
    expect(admin.subjects).toEqual([{ apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: 'system:masters' }]);
    const edit = await w.registry.get(clusterroles, undefined, 'edit');
    expect(edit.metadata.labels).toEqual({ 'kubernetes.io/bootstrapping': 'rbac-defaults', 'rbac.authorization.k8s.io/aggregate-to-admin': 'true' });
    expect(edit.metadata.annotations).toEqual({ 'rbac.authorization.kubernetes.io/autoupdate': 'true' });

    await w.registry.updateWith(clusterroles, undefined, 'system:basic-user', (r) => ({ ...r, rules: [] }));
    await w.registry.updateWith(clusterroles, undefined, 'system:discovery', (r) => ({
      ...r,
      metadata: { ...r.metadata, annotations: { 'rbac.authorization.kubernetes.io/autoupdate': 'false' } },
      rules: [],
    }));
    await reconcileBootstrapPolicy(w.registry, kinds);
    expect(rulesOf(await w.registry.get(clusterroles, undefined, 'system:basic-user')).flatMap((r) => r.resources)).toEqual([
      'selfsubjectaccessreviews',
      'selfsubjectrulesreviews',
      'selfsubjectreviews',
    ]);
    expect(rulesOf(await w.registry.get(clusterroles, undefined, 'system:discovery'))).toEqual([]);
  });

  it('aggregates view into edit into admin by label, in name order without duplicates', async () => {
    await reconcileBootstrapPolicy(w.registry, kinds);
    const custom = await w.registry.create(clusterroles, undefined, {
      metadata: { name: 'aaa-widgets-view', labels: { 'rbac.authorization.k8s.io/aggregate-to-view': 'true' } },
      rules: [{ verbs: ['get'], apiGroups: ['example.com'], resources: ['widgets'] }],
    });
    const all = (await Promise.all(['view', 'edit', 'admin', 'system:aggregate-to-view', 'system:aggregate-to-edit', 'system:aggregate-to-admin'].map((n) => w.registry.get(clusterroles, undefined, n)))).concat(custom);
    const view = aggregatedRules(all.find((r) => r.metadata.name === 'view')!, all);
    expect(view[0]).toEqual({ verbs: ['get'], apiGroups: ['example.com'], resources: ['widgets'] });
    expect(view).toHaveLength(1 + rulesOf(all.find((r) => r.metadata.name === 'system:aggregate-to-view')!).length);
    // edit picks up view only once view holds its aggregated rules, as the real controller converges.
    const withView: KubeObject[] = all.map((r) => (r.metadata.name === 'view' ? { ...r, rules: view } : r));
    const edit = aggregatedRules(withView.find((r) => r.metadata.name === 'edit')!, withView);
    expect(edit.some((r) => r.resources?.includes('widgets'))).toBe(true);
    expect(edit.some((r) => r.resources?.includes('serviceaccounts/token'))).toBe(true);
  });
});

describe('default ServiceAccount reconciler', () => {
  it('creates `default` in a namespace, again after deletion, and nothing for a namespace that does not exist', async () => {
    const r = new DefaultServiceAccountReconciler(w.registry, { namespaces, serviceAccounts: serviceaccounts });
    await w.registry.create(namespaces, undefined, { metadata: { name: 'team' } });
    await r.reconcile('team');
    const first = await w.registry.get(serviceaccounts, 'team', 'default');
    await r.reconcile('team');
    expect((await w.registry.get(serviceaccounts, 'team', 'default')).metadata.uid).toBe(first.metadata.uid);
    await w.registry.delete(serviceaccounts, 'team', 'default');
    await r.reconcile('team');
    expect((await w.registry.get(serviceaccounts, 'team', 'default')).metadata.uid).not.toBe(first.metadata.uid);
    await r.reconcile('nowhere');
    expect((await statusOf(w.registry.get(serviceaccounts, 'nowhere', 'default'))).code).toBe(404);
  });
});
