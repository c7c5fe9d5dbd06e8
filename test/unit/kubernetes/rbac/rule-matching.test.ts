import { describe, expect, it } from 'vitest';
import type { ResourceAttributes } from '../../../../src/kubernetes/apiserver/rbac/attributes.js';
import { nonResourceURLMatches, resourceMatches, ruleAllows } from '../../../../src/kubernetes/apiserver/rbac/rule-matching.js';

const attrs = (over: Partial<ResourceAttributes>): ResourceAttributes => ({
  kind: 'resource',
  user: { name: 'u', groups: [] },
  verb: 'get',
  apiGroup: 'apps',
  apiVersion: 'v1',
  resource: 'deployments',
  subresource: '',
  namespace: 'default',
  name: 'web',
  ...over,
});

describe('rule matching', () => {
  it('takes * for verbs, groups and resources', () => {
    const rule = { verbs: ['*'], apiGroups: ['*'], resources: ['*'] };
    expect(ruleAllows(attrs({ verb: 'deletecollection', subresource: 'scale' }), rule)).toBe(true);
  });

  it('needs the subresource named, or */subresource', () => {
    expect(resourceMatches({ verbs: ['get'], resources: ['deployments'] }, 'deployments', 'scale')).toBe(false);
    expect(resourceMatches({ verbs: ['get'], resources: ['deployments/scale'] }, 'deployments', 'scale')).toBe(true);
    expect(resourceMatches({ verbs: ['get'], resources: ['*/scale'] }, 'replicasets', 'scale')).toBe(true);
    expect(resourceMatches({ verbs: ['get'], resources: ['*/scale'] }, 'replicasets', '')).toBe(false);
    expect(resourceMatches({ verbs: ['get'], resources: ['deployments/scale'] }, 'deployments', '')).toBe(false);
  });

  it('requires the API group to match exactly', () => {
    expect(ruleAllows(attrs({}), { verbs: ['get'], apiGroups: [''], resources: ['deployments'] })).toBe(false);
    expect(ruleAllows(attrs({}), { verbs: ['get'], apiGroups: ['apps'], resources: ['deployments'] })).toBe(true);
  });

  it('matches non-resource URLs exactly or by a trailing * prefix', () => {
    const rule = { verbs: ['get'], nonResourceURLs: ['/healthz', '/apis/*'] };
    expect(nonResourceURLMatches(rule, '/healthz')).toBe(true);
    expect(nonResourceURLMatches(rule, '/healthz/etcd')).toBe(false);
    expect(nonResourceURLMatches(rule, '/apis/')).toBe(true);
    expect(nonResourceURLMatches(rule, '/apis')).toBe(false);
  });
});
