import { describe, expect, it } from 'vitest';
import { impersonate, impersonationRequest } from '../../../../src/kubernetes/apiserver/authn/impersonation.js';
import type { ResourceAttributes } from '../../../../src/kubernetes/apiserver/rbac/attributes.js';

const admin = { name: 'admin', groups: ['system:authenticated'] };

describe('impersonation', () => {
  it('reads the headers, extra keys unescaped and lowercased', () => {
    expect(impersonationRequest({})).toBeUndefined();
    expect(
      impersonationRequest({ 'impersonate-user': 'jane', 'impersonate-group': ['dev', 'ops'], 'impersonate-extra-scopes%2Fread': 'x' }),
    ).toEqual({ user: 'jane', groups: ['dev', 'ops'], extra: { 'scopes/read': ['x'] } });
  });

  it('asks for impersonate on the user, each group and extra value, and the uid', async () => {
    const asked: string[] = [];
    const outcome = await impersonate(admin, { user: 'jane', uid: 'u1', groups: ['dev'], extra: { k: ['v'] } }, async (a) => {
      asked.push(`${a.verb} ${a.apiGroup}/${a.resource}${a.subresource ? `/${a.subresource}` : ''} ${a.name}`);
      return { allowed: true, reason: '' };
    });
    expect(asked).toEqual(['impersonate /users jane', 'impersonate /groups dev', 'impersonate authentication.k8s.io/userextras/k v', 'impersonate authentication.k8s.io/uids u1']);
    expect(outcome).toEqual({ user: { name: 'jane', uid: 'u1', groups: ['dev', 'system:authenticated'], extra: { k: ['v'] } } });
  });

  it('checks a service account in its namespace and gives it its groups', async () => {
    let seen: ResourceAttributes | undefined;
    const outcome = await impersonate(admin, { user: 'system:serviceaccount:ns1:builder', groups: [], extra: {} }, async (a) => {
      seen = a;
      return { allowed: true, reason: '' };
    });
    expect(seen).toMatchObject({ resource: 'serviceaccounts', namespace: 'ns1', name: 'builder' });
    expect(outcome).toEqual({
      user: { name: 'system:serviceaccount:ns1:builder', groups: ['system:serviceaccounts', 'system:serviceaccounts:ns1', 'system:authenticated'] },
    });
  });

  it('refuses with the first attribute not allowed, and groups without a user', async () => {
    const outcome = await impersonate(admin, { user: 'jane', groups: ['dev'], extra: {} }, async (a) => ({ allowed: a.resource === 'users', reason: '' }));
    expect(outcome).toMatchObject({ forbidden: { resource: 'groups', name: 'dev' } });
    expect(await impersonate(admin, { groups: ['dev'], extra: {} }, async () => ({ allowed: true, reason: '' }))).toHaveProperty('badRequest');
  });
});
