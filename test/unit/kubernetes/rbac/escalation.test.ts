import { describe, expect, it } from 'vitest';
import { breakdown, compactRule, missingRules } from '../../../../src/kubernetes/apiserver/rbac/escalation.js';

describe('RBAC escalation', () => {
  it('breaks a rule into single permissions', () => {
    expect(breakdown({ apiGroups: ['', 'apps'], resources: ['pods'], verbs: ['get', 'list'] })).toHaveLength(4);
    expect(breakdown({ nonResourceURLs: ['/healthz'], verbs: ['get'] })).toEqual([{ nonResourceURLs: ['/healthz'], verbs: ['get'] }]);
  });

  it('finds what the held rules do not grant, wildcards and subresources included', () => {
    const held = [
      { apiGroups: [''], resources: ['pods', 'configmaps'], verbs: ['get', 'list'] },
      { apiGroups: ['apps'], resources: ['*'], verbs: ['*'] },
      { apiGroups: [''], resources: ['*/status'], verbs: ['get'] },
      { apiGroups: [''], resources: ['secrets'], resourceNames: ['one'], verbs: ['get'] },
    ];
    expect(missingRules(held, [{ apiGroups: [''], resources: ['pods'], verbs: ['get'] }])).toEqual([]);
    expect(missingRules(held, [{ apiGroups: ['apps'], resources: ['deployments/scale'], verbs: ['update'] }])).toEqual([]);
    expect(missingRules(held, [{ apiGroups: [''], resources: ['services/status'], verbs: ['get'] }])).toEqual([]);
    expect(missingRules(held, [{ apiGroups: [''], resources: ['secrets'], resourceNames: ['one'], verbs: ['get'] }])).toEqual([]);
    // Named access does not cover access to all; a wildcard asked is only covered by a wildcard held.
    expect(missingRules(held, [{ apiGroups: [''], resources: ['secrets'], verbs: ['get'] }])).toEqual([{ apiGroups: [''], resources: ['secrets'], verbs: ['get'] }]);
    expect(missingRules(held, [{ apiGroups: [''], resources: ['*'], verbs: ['get'] }])).toHaveLength(1);
    expect(missingRules(held, [{ apiGroups: [''], resources: ['pods'], verbs: ['delete', 'get'] }])).toEqual([{ apiGroups: [''], resources: ['pods'], verbs: ['delete'] }]);
  });

  it('writes rules as the real server does', () => {
    expect(compactRule({ apiGroups: [''], resources: ['pods'], verbs: ['get', 'list'] })).toBe('{APIGroups:[""], Resources:["pods"], Verbs:["get" "list"]}');
    expect(compactRule({ nonResourceURLs: ['/metrics'], verbs: ['get'] })).toBe('{NonResourceURLs:["/metrics"], Verbs:["get"]}');
  });
});
