import { describe, expect, it } from 'vitest';
import type { UserInfo } from '../../../../src/kubernetes/apiserver/authn/user.js';
import type { KubeObject } from '../../../../src/kubernetes/apiserver/object.js';
import { attributesOf, forbiddenMessage } from '../../../../src/kubernetes/apiserver/rbac/attributes.js';
import { RbacAuthorizer, privilegedGroupsAuthorizer, unionAuthorizer } from '../../../../src/kubernetes/apiserver/rbac/authorizer.js';
import { staticPolicy } from '../../../../src/kubernetes/apiserver/rbac/policy-cache.js';
import { parseRequestInfo } from '../../../../src/kubernetes/apiserver/request-info.js';

const rbac = 'rbac.authorization.k8s.io/v1';
const obj = (kind: string, name: string, rest: Record<string, unknown>, namespace?: string): KubeObject => ({
  apiVersion: rbac,
  kind,
  metadata: { name, ...(namespace ? { namespace } : {}) },
  ...rest,
});

const policy = staticPolicy([
  obj('ClusterRole', 'pod-reader', { rules: [{ verbs: ['get', 'list'], apiGroups: [''], resources: ['pods', 'pods/log'] }] }),
  obj('ClusterRole', 'discovery', { rules: [{ verbs: ['get'], nonResourceURLs: ['/api', '/apis/*'] }] }),
  obj('Role', 'one-cm', { rules: [{ verbs: ['get', 'update'], apiGroups: [''], resources: ['configmaps'], resourceNames: ['settings'] }] }, 'team'),
  obj('ClusterRoleBinding', 'discovery', { roleRef: { kind: 'ClusterRole', name: 'discovery' }, subjects: [{ kind: 'Group', name: 'system:authenticated' }] }),
  obj('RoleBinding', 'sa-reads-pods', { roleRef: { kind: 'ClusterRole', name: 'pod-reader' }, subjects: [{ kind: 'ServiceAccount', name: 'builder' }] }, 'team'),
  obj('RoleBinding', 'alice-cm', { roleRef: { kind: 'Role', name: 'one-cm' }, subjects: [{ kind: 'User', name: 'alice' }] }, 'team'),
  obj('RoleBinding', 'dangling', { roleRef: { kind: 'Role', name: 'gone' }, subjects: [{ kind: 'User', name: 'alice' }] }, 'team'),
]);
const authorizer = new RbacAuthorizer(policy);

const sa: UserInfo = { name: 'system:serviceaccount:team:builder', groups: ['system:serviceaccounts', 'system:serviceaccounts:team', 'system:authenticated'] };
const alice: UserInfo = { name: 'alice', groups: ['system:authenticated'] };

const request = (user: UserInfo, method: string, path: string, query: Record<string, string> = {}) => attributesOf(user, parseRequestInfo(method, path, query));

describe('RbacAuthorizer', () => {
  it('allows a service account through a RoleBinding whose subject defaults to the binding namespace', async () => {
    const d = await authorizer.authorize(request(sa, 'GET', '/api/v1/namespaces/team/pods'));
    expect(d).toEqual({ allowed: true, reason: 'RBAC: allowed by RoleBinding "sa-reads-pods/team" of ClusterRole "pod-reader" to ServiceAccount "builder/team"' });
    expect((await authorizer.authorize(request(sa, 'GET', '/api/v1/namespaces/team/pods/web/log'))).allowed).toBe(true);
  });

  it('denies outside the binding namespace, other verbs and other subresources', async () => {
    expect((await authorizer.authorize(request(sa, 'GET', '/api/v1/namespaces/other/pods'))).allowed).toBe(false);
    expect((await authorizer.authorize(request(sa, 'POST', '/api/v1/namespaces/team/pods'))).allowed).toBe(false);
    expect((await authorizer.authorize(request(sa, 'GET', '/api/v1/namespaces/team/pods/web/exec'))).allowed).toBe(false);
    // A list across all namespaces is a cluster-scoped request: RoleBindings do not reach it.
    expect((await authorizer.authorize(request(sa, 'GET', '/api/v1/pods'))).allowed).toBe(false);
  });

  it('honours resourceNames: the named object only, never a list', async () => {
    expect((await authorizer.authorize(request(alice, 'GET', '/api/v1/namespaces/team/configmaps/settings'))).allowed).toBe(true);
    expect((await authorizer.authorize(request(alice, 'PUT', '/api/v1/namespaces/team/configmaps/settings'))).allowed).toBe(true);
    expect((await authorizer.authorize(request(alice, 'GET', '/api/v1/namespaces/team/configmaps/other'))).allowed).toBe(false);
    expect((await authorizer.authorize(request(alice, 'GET', '/api/v1/namespaces/team/configmaps'))).allowed).toBe(false);
  });

  it('reports a binding to a missing role as the reason of a denial', async () => {
    const d = await authorizer.authorize(request(alice, 'DELETE', '/api/v1/namespaces/team/configmaps/settings'));
    expect(d).toEqual({ allowed: false, reason: 'RBAC: role.rbac.authorization.k8s.io "gone" not found' });
  });

  it('matches non-resource URLs exactly and by trailing-star prefix, for groups', async () => {
    expect((await authorizer.authorize(request(alice, 'GET', '/api'))).allowed).toBe(true);
    expect((await authorizer.authorize(request(alice, 'GET', '/apis/apps/v1'))).allowed).toBe(true);
    expect((await authorizer.authorize(request(alice, 'GET', '/api/v1'))).allowed).toBe(false);
    expect((await authorizer.authorize(request({ name: 'x', groups: [] }, 'GET', '/api'))).allowed).toBe(false);
  });

  it('lists the rules that apply in a namespace, resource and non-resource apart', () => {
    const rules = authorizer.rulesFor(sa, 'team');
    expect(rules.resourceRules).toEqual([{ verbs: ['get', 'list'], apiGroups: [''], resources: ['pods', 'pods/log'] }]);
    expect(rules.nonResourceRules).toEqual([{ verbs: ['get'], nonResourceURLs: ['/api', '/apis/*'] }]);
    expect(rules.incomplete).toBe(false);
    expect(authorizer.rulesFor(alice, 'team')).toMatchObject({ incomplete: true, evaluationError: 'role.rbac.authorization.k8s.io "gone" not found' });
  });

  it('lets system:masters do anything ahead of RBAC', async () => {
    const chain = unionAuthorizer([privilegedGroupsAuthorizer, authorizer]);
    const root: UserInfo = { name: 'kubernetes-admin', groups: ['system:masters', 'system:authenticated'] };
    expect(await chain.authorize(request(root, 'DELETE', '/api/v1/nodes/n1'))).toEqual({ allowed: true, reason: '' });
    expect((await chain.authorize(request(alice, 'DELETE', '/api/v1/nodes/n1'))).allowed).toBe(false);
  });
});

describe('forbiddenMessage', () => {
  it('words a namespaced, a cluster-scoped, a subresource and a path request like the real server', () => {
    expect(forbiddenMessage(request(alice, 'GET', '/api/v1/namespaces/default/pods'))).toBe(
      'User "alice" cannot list resource "pods" in API group "" in the namespace "default"',
    );
    expect(forbiddenMessage(request(alice, 'GET', '/apis/apps/v1/deployments'))).toBe('User "alice" cannot list resource "deployments" in API group "apps" at the cluster scope');
    expect(forbiddenMessage(request(alice, 'GET', '/api/v1/namespaces/default/pods/p/log'))).toBe(
      'User "alice" cannot get resource "pods/log" in API group "" in the namespace "default"',
    );
    expect(forbiddenMessage(request(alice, 'GET', '/metrics'))).toBe('User "alice" cannot get path "/metrics"');
  });

  it('puts a request on a namespace object in that namespace', () => {
    expect(forbiddenMessage(request(alice, 'GET', '/api/v1/namespaces/team'))).toBe('User "alice" cannot get resource "namespaces" in API group "" in the namespace "team"');
  });
});
