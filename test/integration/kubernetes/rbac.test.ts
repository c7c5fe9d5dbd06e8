/**
 * Authentication and RBAC with the real clients: kubectl 1.33 (its protobuf
 * SelfSubjectAccessReview, SelfSubjectRulesReview and TokenRequest bodies included) and
 * @kubernetes/client-node with a bearer token — a ServiceAccount token user bound to
 * `view` may read pods and nothing more.
 */
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import https from 'node:https';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { AuthenticationV1Api, CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kubectlPath, startTestCluster, type TestCluster } from './fixture.js';

const run = promisify(execFile);
let cluster: TestCluster;
let kubectlBin: string;
let token: string;
let tokenKubeconfig: string;

async function kubectl(kubeconfig: string, ...args: string[]): Promise<{ stdout: string; stderr: string; code: number }> {
  try {
    const { stdout, stderr } = await run(kubectlBin, ['--kubeconfig', kubeconfig, ...args], { timeout: 20_000 });
    return { stdout, stderr, code: 0 };
  } catch (e) {
    const err = e as { stdout?: string; stderr?: string; code?: number };
    return { stdout: err.stdout ?? '', stderr: err.stderr ?? '', code: typeof err.code === 'number' ? err.code : 1 };
  }
}
const admin = (...args: string[]) => kubectl(cluster.kubeconfigPath, ...args);
const viewer = (...args: string[]) => kubectl(tokenKubeconfig, ...args);

/** The written kubeconfig with the admin certificate swapped for a bearer token. */
function kubeconfigWithToken(bearer: string): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromFile(cluster.kubeconfigPath);
  const user = kc.getCurrentUser()!;
  kc.users = [{ name: user.name, token: bearer }];
  return kc;
}

/** The HTTP code and body of a client-node call that must fail. */
async function failureOf(p: Promise<unknown>): Promise<{ code?: number; body?: string }> {
  try {
    await p;
  } catch (e) {
    return e as { code?: number; body?: string };
  }
  throw new Error('expected the call to fail');
}

beforeAll(async () => {
  kubectlBin = kubectlPath();
  cluster = await startTestCluster();
  const created = await admin('create', 'token', 'default', '-n', 'default');
  expect(created.stderr).toBe('');
  token = created.stdout.trim();
  tokenKubeconfig = join(cluster.dataDir, 'viewer.kubeconfig');
  writeFileSync(tokenKubeconfig, kubeconfigWithToken(token).exportConfig());
  expect((await admin('create', 'rolebinding', 'default-view', '--clusterrole=view', '--serviceaccount=default:default', '-n', 'default')).code).toBe(0);
});

afterAll(async () => {
  await cluster?.close();
});

describe('kubectl auth', () => {
  it('the admin may create pods', async () => {
    const out = await admin('auth', 'can-i', 'create', 'pods');
    expect(out.stdout.trim()).toBe('yes');
  });

  it('create token gives a JWT signed by the cluster for system:serviceaccount:default:default', () => {
    const claims = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()) as Record<string, unknown>;
    expect(claims.sub).toBe('system:serviceaccount:default:default');
    expect(claims.iss).toBe('https://kubernetes.default.svc.cluster.local');
    expect((claims.exp as number) - (claims.iat as number)).toBe(3600);
  });

  it('a view-bound service account lists pods but may not create them, with the real message', async () => {
    expect((await viewer('get', 'pods')).code).toBe(0);
    const out = await viewer('run', 'web', '--image=nginx');
    expect(out.code).not.toBe(0);
    expect(out.stderr.trim()).toBe(
      'Error from server (Forbidden): pods is forbidden: User "system:serviceaccount:default:default" cannot create resource "pods" in API group "" in the namespace "default"',
    );
    expect((await viewer('auth', 'can-i', 'create', 'pods')).stdout.trim()).toBe('no');
    expect((await viewer('auth', 'can-i', 'list', 'pods')).stdout.trim()).toBe('yes');
    expect((await viewer('auth', 'can-i', 'list', 'pods', '-n', 'kube-system')).stdout.trim()).toBe('no');
  });

  it('impersonation: --as acts as the service account, and only for those allowed to impersonate', async () => {
    const as = '--as=system:serviceaccount:default:default';
    expect((await admin('auth', 'can-i', 'create', 'pods', as)).stdout.trim()).toBe('no');
    expect((await admin('auth', 'whoami', as, '-o', 'jsonpath={.status.userInfo.username}')).stdout).toBe('system:serviceaccount:default:default');
    const refused = await viewer('get', 'pods', '--as=jane');
    expect(refused.stderr.trim()).toBe(
      'Error from server (Forbidden): users "jane" is forbidden: User "system:serviceaccount:default:default" cannot impersonate resource "users" in API group "" at the cluster scope',
    );
  });

  it('escalation: a role or binding granting more than the writer holds is refused', async () => {
    // The service account may manage roles and bindings in default, nothing more.
    expect((await admin('create', 'role', 'rbac-manager', '--verb=create,get,list,update,patch,delete', '--resource=roles.rbac.authorization.k8s.io,rolebindings.rbac.authorization.k8s.io', '-n', 'default')).code).toBe(0);
    expect((await admin('create', 'rolebinding', 'rbac-manager', '--role=rbac-manager', '--serviceaccount=default:default', '-n', 'default')).code).toBe(0);
    const escalating = await viewer('create', 'role', 'secrets-reader', '--verb=get', '--resource=secrets', '-n', 'default');
    expect(escalating.stderr.trim()).toBe(
      'Error from server (Forbidden): roles.rbac.authorization.k8s.io "secrets-reader" is forbidden: user "system:serviceaccount:default:default" (groups=["system:serviceaccounts" "system:serviceaccounts:default" "system:authenticated"]) is attempting to grant RBAC permissions not currently held:\n{APIGroups:[""], Resources:["secrets"], Verbs:["get"]}',
    );
    // What it holds (view includes pods) it may grant.
    expect((await viewer('create', 'role', 'pods-reader', '--verb=get', '--resource=pods', '-n', 'default')).code).toBe(0);
    const binding = await viewer('create', 'rolebinding', 'admin-for-me', '--clusterrole=admin', '--serviceaccount=default:default', '-n', 'default');
    expect(binding.stderr).toMatch(/rolebindings\.rbac\.authorization\.k8s\.io "admin-for-me" is forbidden: .* is attempting to grant RBAC permissions not currently held/);
  });

  it('auth can-i --list shows the aggregated view rules and the self-review rules', async () => {
    const out = await viewer('auth', 'can-i', '--list');
    expect(out.code).toBe(0);
    const rows = out.stdout.trim().split('\n').map((l) => l.trim().split(/\s{2,}/));
    expect(rows[0]).toEqual(['Resources', 'Non-Resource URLs', 'Resource Names', 'Verbs']);
    expect(rows).toContainEqual(['pods', '[]', '[]', '[get list watch]']);
    expect(rows).toContainEqual(['selfsubjectaccessreviews.authorization.k8s.io', '[]', '[]', '[create]']);
    // The Resources cell is empty for URL rules, so the trimmed row starts at the URLs.
    expect(rows).toContainEqual(['[/api/*]', '[]', '[get]']);
  });

  it('auth whoami names the service account, its uid and groups', async () => {
    const sa = JSON.parse((await admin('get', 'sa', 'default', '-o', 'json')).stdout) as { metadata: { uid: string } };
    const out = await viewer('auth', 'whoami', '-o', 'json');
    const review = JSON.parse(out.stdout) as { status: { userInfo: Record<string, unknown> } };
    expect(review.status.userInfo).toMatchObject({
      username: 'system:serviceaccount:default:default',
      uid: sa.metadata.uid,
      groups: ['system:serviceaccounts', 'system:serviceaccounts:default', 'system:authenticated'],
    });
  });

  it('rbac kinds print the columns kubectl shows', async () => {
    const out = await admin('get', 'rolebindings', '-o', 'wide');
    const rows = out.stdout.trim().split('\n').map((l) => l.trim().split(/\s{2,}/));
    expect(rows[0]).toEqual(['NAME', 'ROLE', 'AGE', 'USERS', 'GROUPS', 'SERVICEACCOUNTS']);
    expect(rows[1]?.[0]).toBe('default-view');
    expect(rows[1]?.[1]).toBe('ClusterRole/view');
    expect(rows[1]?.at(-1)).toBe('default/default');
    const roles = await admin('get', 'clusterroles', 'view');
    expect(roles.stdout.split('\n')[0]?.trim().split(/\s{2,}/)).toEqual(['NAME', 'CREATED AT']);
  });
});

describe('client-node with a bearer token', () => {
  it('lists pods as the service account and gets 403 creating a configmap', async () => {
    const core = kubeconfigWithToken(token).makeApiClient(CoreV1Api);
    const pods = await core.listNamespacedPod({ namespace: 'default' });
    expect(pods.items).toEqual([]);
    const err = await failureOf(core.createNamespacedConfigMap({ namespace: 'default', body: { metadata: { name: 'x' } } }));
    expect(err.code).toBe(403);
    expect(JSON.parse(err.body ?? '{}')).toMatchObject({ reason: 'Forbidden', details: { kind: 'configmaps' } });
  });

  it('is 401 with a token the cluster did not sign, and TokenReview says why', async () => {
    const forged = `${token.split('.').slice(0, 2).join('.')}.AAAA`;
    const core = kubeconfigWithToken(forged).makeApiClient(CoreV1Api);
    const err = await failureOf(core.listNamespacedPod({ namespace: 'default' }));
    expect(err.code).toBe(401);
    const kc = new KubeConfig();
    kc.loadFromFile(cluster.kubeconfigPath);
    const authn = kc.makeApiClient(AuthenticationV1Api);
    const good = await authn.createTokenReview({ body: { spec: { token } } });
    expect(good.status).toMatchObject({ authenticated: true, user: { username: 'system:serviceaccount:default:default' }, audiences: ['https://kubernetes.default.svc.cluster.local'] });
    const bad = await authn.createTokenReview({ body: { spec: { token: forged } } });
    expect(bad.status?.authenticated).toBeFalsy();
    expect(bad.status?.error).toBe('invalid bearer token, invalid signature');
  });

  it('anonymous requests are 401 except the public paths', async () => {
    const agent = new https.Agent({ rejectUnauthorized: false });
    const get = (path: string) =>
      new Promise<number>((resolve, reject) => {
        https
          .get(`${cluster.url}${path}`, { agent }, (res) => {
            res.resume();
            resolve(res.statusCode ?? 0);
          })
          .on('error', reject);
      });
    expect(await get('/api/v1/namespaces')).toBe(401);
    expect(await get('/version')).toBe(200);
    expect(await get('/healthz')).toBe(200);
    agent.destroy();
  });
});
