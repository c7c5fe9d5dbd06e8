/**
 * kubectl 1.33 against an in-process cluster, on the paths that need OpenAPI v3:
 * `apply -f` (client-side, validation on), re-apply after edits, `explain`, `create -f`.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kubectlPath, runKubectl, startTestCluster, type KubectlResult, type TestCluster } from './fixture.js';

let cluster: TestCluster;
let kubectlBin: string;
let dir: string;

beforeAll(async () => {
  kubectlBin = kubectlPath();
  cluster = await startTestCluster();
  dir = mkdtempSync(join(tmpdir(), 'kos-openapi-'));
});

afterAll(async () => {
  await cluster?.close();
  rmSync(dir, { recursive: true, force: true });
});

async function kubectl(...args: string[]): Promise<KubectlResult> {
  return runKubectl(kubectlBin, cluster, args, dir);
}

function manifest(name: string, replicas: number, value: string): string {
  const path = join(dir, name);
  writeFileSync(path, `apiVersion: v1
kind: Namespace
metadata:
  name: shop
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
  namespace: shop
data:
  mode: "${value}"
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
spec:
  replicas: ${replicas}
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
      - name: web
        image: nginx:1.25
        ports:
        - containerPort: 80
        env:
        - name: MODE
          value: "${value}"
`);
  return path;
}

describe('kubectl 1.33 with OpenAPI v3', () => {
  it('apply -f creates a multi-document manifest with server-side field validation', async () => {
    const out = await kubectl('apply', '-f', manifest('v1.yaml', 2, 'a'), '-v=6');
    expect(out.code, out.stderr).toBe(0);
    expect(out.stdout.trim().split('\n')).toEqual(['namespace/shop created', 'configmap/settings created', 'deployment.apps/web created']);
    // kubectl found fieldValidation on PATCH in /openapi/v3 and asked the server to validate.
    expect(out.stderr).toContain('fieldValidation=Strict');
    expect(out.stderr).not.toContain('/openapi/v2');
  });

  it('re-apply after edits patches from the v3 schemas', async () => {
    const out = await kubectl('apply', '-f', manifest('v2.yaml', 3, 'b'), '-v=6');
    expect(out.code, out.stderr).toBe(0);
    expect(out.stdout.trim().split('\n')).toEqual(['namespace/shop unchanged', 'configmap/settings configured', 'deployment.apps/web configured']);
    expect(out.stderr).not.toContain('error calculating patch');
    expect(out.stderr).toMatch(/GET.*\/openapi\/v3\/apis\/apps\/v1\?hash=[0-9A-F]{128}/);
    const got = await kubectl('get', 'deployment', 'web', '-n', 'shop', '-o', 'jsonpath={.spec.replicas} {.spec.template.spec.containers[0].env[0].value} {.spec.template.spec.containers[0].ports[0].containerPort}');
    expect(got.stdout).toBe('3 b 80');
    const cm = await kubectl('get', 'configmap', 'settings', '-n', 'shop', '-o', 'jsonpath={.data.mode}');
    expect(cm.stdout).toBe('b');
  });

  it('explain shows the fields and types of a nested field', async () => {
    const out = await kubectl('explain', 'deployment.spec.template.spec.containers');
    expect(out.code, out.stderr).toBe(0);
    expect(out.stdout).toContain('GROUP:      apps');
    expect(out.stdout).toContain('KIND:       Deployment');
    expect(out.stdout).toContain('FIELD: containers <[]Container>');
    expect(out.stdout).toMatch(/\n {2}name\t<string> -required-\n/);
    expect(out.stdout).toMatch(/\n {2}ports\t<\[\]ContainerPort>\n/);
    expect(out.stdout).toMatch(/\n {2}resources\t<ResourceRequirements>\n/);
    const top = await kubectl('explain', 'pods');
    expect(top.stdout).toContain('A group of containers scheduled together on a node.');
    expect(top.stdout).toMatch(/\n {2}spec\t<PodSpec>\n/);
  });

  it('create -f with validation on creates the objects', async () => {
    const path = join(dir, 'create.yaml');
    writeFileSync(path, 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: created\n  namespace: shop\ndata:\n  k: v\n');
    const out = await kubectl('create', '-f', path, '--validate=strict', '-v=6');
    expect(out.code, out.stderr).toBe(0);
    expect(out.stdout.trim()).toBe('configmap/created created');
    expect(out.stderr).toContain('fieldManager=kubectl-create&fieldValidation=Strict');
  });

  it('create -f --validate=warn creates the object and prints the server\'s warning', async () => {
    const path = join(dir, 'warn.yaml');
    writeFileSync(path, 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: warned\n  namespace: shop\n  colour: red\ndata:\n  k: v\n');
    const out = await kubectl('create', '-f', path, '--validate=warn');
    expect(out.code, out.stderr).toBe(0);
    expect(out.stderr).toContain('Warning: unknown field "metadata.colour"');
    expect(out.stdout.trim()).toBe('configmap/warned created');
  });

  it('create -f --validate=strict with an unknown field fails with the strict decoding error', async () => {
    const path = join(dir, 'unknown.yaml');
    writeFileSync(path, 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: strict\n  namespace: shop\n  colour: red\ndata:\n  k: v\n');
    const out = await kubectl('create', '-f', path, '--validate=strict');
    expect(out.code).not.toBe(0);
    expect(out.stderr).toContain(
      'Error from server (BadRequest): error when creating "' + path + '": ConfigMap in version "v1" cannot be handled as a ConfigMap: strict decoding error: unknown field "metadata.colour"',
    );
    const got = await kubectl('get', 'configmap', 'strict', '-n', 'shop');
    expect(got.stderr).toContain('NotFound');
  });

  it('create -f --validate=false drops the unknown field and stores the rest', async () => {
    const path = join(dir, 'ignored.yaml');
    writeFileSync(path, 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: lenient\n  namespace: shop\n  colour: red\ndata:\n  k: v\n');
    const out = await kubectl('create', '-f', path, '--validate=false');
    expect(out.code, out.stderr).toBe(0);
    const got = await kubectl('get', 'configmap', 'lenient', '-n', 'shop', '-o', 'json');
    const obj = JSON.parse(got.stdout) as { metadata: Record<string, unknown>; data: Record<string, string> };
    expect(obj.metadata.colour).toBeUndefined();
    expect(obj.data).toEqual({ k: 'v' });
  });
});
