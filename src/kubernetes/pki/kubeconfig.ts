/**
 * The kubeconfig kubectl and client libraries read: one cluster, one user and one
 * context, all named `kos-<cluster>`, credentials inline as base64 data so the file works
 * wherever it is copied.
 */
import { writeFileSync } from 'node:fs';
import { stringify } from 'yaml';

export interface KubeconfigOptions {
  path: string;
  name: string;
  server: string;
  caPem: string;
  clientCertPem: string;
  clientKeyPem: string;
}

const b64 = (s: string): string => Buffer.from(s, 'utf8').toString('base64');

export function kubeconfigYaml(opts: Omit<KubeconfigOptions, 'path'>): string {
  const config = {
    apiVersion: 'v1',
    kind: 'Config',
    preferences: {},
    clusters: [{ name: opts.name, cluster: { server: opts.server, 'certificate-authority-data': b64(opts.caPem) } }],
    users: [{ name: opts.name, user: { 'client-certificate-data': b64(opts.clientCertPem), 'client-key-data': b64(opts.clientKeyPem) } }],
    contexts: [{ name: opts.name, context: { cluster: opts.name, user: opts.name, namespace: 'default' } }],
    'current-context': opts.name,
  };
  return stringify(config);
}

export function writeKubeconfig(opts: KubeconfigOptions): void {
  writeFileSync(opts.path, kubeconfigYaml(opts), { mode: 0o600 });
}
