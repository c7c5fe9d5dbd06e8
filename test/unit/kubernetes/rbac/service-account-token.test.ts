import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../../../src/core/clock.js';
import { TokenRejectedError } from '../../../../src/kubernetes/apiserver/authn/authenticator.js';
import { decodeJwt, keyIdOf, signJwt, type JwtSigningKey } from '../../../../src/kubernetes/apiserver/authn/jwt.js';
import { ServiceAccountTokens, type BoundObjectReader } from '../../../../src/kubernetes/apiserver/authn/service-account-token.js';
import { answerTokenRequest } from '../../../../src/kubernetes/apiserver/authn/token-request.js';
import type { KubeObject } from '../../../../src/kubernetes/apiserver/object.js';
import { StatusError } from '../../../../src/kubernetes/apiserver/status.js';

const issuer = 'https://kubernetes.default.svc.cluster.local';

function key(type: 'ec' | 'rsa'): JwtSigningKey {
  const pair = type === 'ec' ? generateKeyPairSync('ec', { namedCurve: 'P-256' }) : generateKeyPairSync('rsa', { modulusLength: 2048 });
  return { alg: type === 'ec' ? 'ES256' : 'RS256', kid: keyIdOf(pair.publicKey), ...pair };
}

const esKey = key('ec');

function setup(objects: KubeObject[]) {
  const clock = new VirtualClock(Date.UTC(2026, 0, 1));
  const store = new Map(objects.map((o) => [`${o.kind}/${o.metadata.namespace}/${o.metadata.name}`, o]));
  const reader: BoundObjectReader = { get: (kind, ns, name) => Promise.resolve(store.get(`${kind}/${ns}/${name}`)) };
  return { clock, store, reader, tokens: new ServiceAccountTokens({ key: esKey, clock, reader }) };
}

const sa: KubeObject = { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'builder', namespace: 'team', uid: 'sa-uid-1' } };
const pod: KubeObject = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web', namespace: 'team', uid: 'pod-uid-1' }, spec: { serviceAccountName: 'builder' } };

describe('service account tokens', () => {
  it('carry the claims the real server issues', () => {
    const { tokens } = setup([sa]);
    const { token, expiresAt } = tokens.issue(sa, { audiences: [issuer], expirationSeconds: 3600 });
    const { header, claims } = decodeJwt(token)!;
    expect(header).toEqual({ alg: 'ES256', kid: esKey.kid });
    const now = Date.UTC(2026, 0, 1) / 1000;
    expect(claims).toMatchObject({
      iss: issuer,
      sub: 'system:serviceaccount:team:builder',
      aud: [issuer],
      iat: now,
      nbf: now,
      exp: now + 3600,
      'kubernetes.io': { namespace: 'team', serviceaccount: { name: 'builder', uid: 'sa-uid-1' } },
    });
    expect(claims.jti).toMatch(/^[0-9a-f-]{36}$/);
    expect(expiresAt).toBe((now + 3600) * 1000);
  });

  it('authenticate as the service account with its groups and credential id', async () => {
    const { tokens } = setup([sa]);
    const { token } = tokens.issue(sa, { audiences: [issuer], expirationSeconds: 3600 });
    const verdict = await tokens.authenticateToken(token, [issuer]);
    const jti = decodeJwt(token)!.claims.jti as string;
    expect(verdict).toEqual({
      user: {
        name: 'system:serviceaccount:team:builder',
        uid: 'sa-uid-1',
        groups: ['system:serviceaccounts', 'system:serviceaccounts:team'],
        extra: { 'authentication.kubernetes.io/credential-id': [`JTI=${jti}`] },
      },
      audiences: [issuer],
    });
  });

  it('also verify RS256 tokens', async () => {
    const rsa = key('rsa');
    const { reader, clock } = setup([sa]);
    const tokens = new ServiceAccountTokens({ key: rsa, clock, reader });
    const { token } = tokens.issue(sa, { audiences: [issuer], expirationSeconds: 600 });
    expect(decodeJwt(token)!.header.alg).toBe('RS256');
    expect((await tokens.authenticateToken(token, [issuer]))?.user.name).toBe('system:serviceaccount:team:builder');
  });

  it('stop working once expired, for another audience, or for a recreated service account', async () => {
    const { tokens, clock, store } = setup([sa]);
    const { token } = tokens.issue(sa, { audiences: [issuer], expirationSeconds: 600 });
    await expect(tokens.authenticateToken(token, ['https://elsewhere'])).rejects.toThrow(/is invalid for the target audiences/);
    store.set('ServiceAccount/team/builder', { ...sa, metadata: { ...sa.metadata, uid: 'sa-uid-2' } });
    await expect(tokens.authenticateToken(token, [issuer])).rejects.toThrow('service account UID (sa-uid-2) does not match claim (sa-uid-1)');
    store.set('ServiceAccount/team/builder', sa);
    await clock.advance(661_000);
    await expect(tokens.authenticateToken(token, [issuer])).rejects.toThrow('service account token has expired');
  });

  it('reject a forged signature and ignore tokens of other issuers', async () => {
    const { tokens } = setup([sa]);
    const forged = signJwt(key('ec'), { ...decodeJwt(tokens.issue(sa, { audiences: [issuer], expirationSeconds: 600 }).token)!.claims });
    await expect(tokens.authenticateToken(forged, [issuer])).rejects.toBeInstanceOf(TokenRejectedError);
    expect(await tokens.authenticateToken(signJwt(esKey, { iss: 'keystone' }), [issuer])).toBeUndefined();
    expect(await tokens.authenticateToken('gAAAAABfernet-token', [issuer])).toBeUndefined();
  });
});

describe('TokenRequest', () => {
  it('defaults audiences and an hour, binds to a pod, and the token carries the pod', async () => {
    const { tokens, reader, store } = setup([sa, pod]);
    const answer = await answerTokenRequest(sa, { spec: { boundObjectRef: { kind: 'Pod', apiVersion: 'v1', name: 'web' } } }, { tokens, reader, apiAudiences: [issuer] });
    expect(answer).toMatchObject({
      apiVersion: 'authentication.k8s.io/v1',
      kind: 'TokenRequest',
      metadata: { name: 'builder', namespace: 'team' },
      spec: { audiences: [issuer], expirationSeconds: 3600 },
      status: { expirationTimestamp: '2026-01-01T01:00:00Z' },
    });
    const token = (answer.status as { token: string }).token;
    const verdict = await tokens.authenticateToken(token, [issuer]);
    expect(verdict?.user.extra).toMatchObject({ 'authentication.kubernetes.io/pod-name': ['web'], 'authentication.kubernetes.io/pod-uid': ['pod-uid-1'] });
    store.delete('Pod/team/web');
    await expect(tokens.authenticateToken(token, [issuer])).rejects.toThrow('service account token has been invalidated');
  });

  it('refuses durations under ten minutes and pods of other service accounts', async () => {
    const { tokens, reader } = setup([sa, { ...pod, spec: { serviceAccountName: 'default' } }]);
    const ctx = { tokens, reader, apiAudiences: [issuer] };
    const short = await answerTokenRequest(sa, { spec: { expirationSeconds: 60 } }, ctx).catch((e: unknown) => e);
    expect(short).toBeInstanceOf(StatusError);
    expect((short as StatusError).status.message).toBe(
      'TokenRequest.authentication.k8s.io "builder" is invalid: spec.expirationSeconds: Invalid value: 60: may not specify a duration less than 10 minutes',
    );
    const other = await answerTokenRequest(sa, { spec: { boundObjectRef: { kind: 'Pod', name: 'web' } } }, ctx).catch((e: unknown) => e);
    expect((other as StatusError).status.code).toBe(400);
  });
});
