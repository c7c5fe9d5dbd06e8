// kubectl delete: by name, by label, dry run, the three cascade modes on an owner with a
// dependent (ownerReferences carry the owner's uid, saved from an earlier step), and last
// the namespace with everything in it.
import { NS, type Area, type Step } from './step.js';

const owner = (name: string): string => `apiVersion: v1
kind: ConfigMap
metadata: {name: ${name}, namespace: ${NS}}
data: {role: owner}
`;

const dependent = (name: string, ownerName: string, uidVar: string): string => `apiVersion: v1
kind: ConfigMap
metadata:
  name: ${name}
  namespace: ${NS}
  ownerReferences:
  - {apiVersion: v1, kind: ConfigMap, name: ${ownerName}, uid: "\${${uidVar}}"}
data: {role: dependent}
`;

/** Creates `<mode>-owner` and `<mode>-dependent` owned by it. */
function ownerAndDependent(mode: string): Step[] {
  const uidVar = `${mode}OwnerUid`;
  return [
    { id: `${mode}-owner`, args: ['create', '-f', '-', '-o', 'json'], stdin: owner(`${mode}-owner`), save: { [uidVar]: 'metadata.uid' }, expect: { json: [{ path: 'metadata.name', equals: `${mode}-owner` }] } },
    { id: `${mode}-dependent`, args: ['create', '-f', '-'], stdin: dependent(`${mode}-dependent`, `${mode}-owner`, uidVar), expect: { stdout: [new RegExp(`^configmap/${mode}-dependent created$`, 'm')] } },
  ];
}

export const del: Area = {
  name: 'delete',
  steps: [
    { id: 'by-name', args: ['delete', 'configmap', 'order-a', '-n', NS], expect: { stdout: [/^configmap "order-a" deleted$/m] } },
    { id: 'by-name-gone', args: ['get', 'configmap', 'order-a', '-n', NS], expect: { code: 1, stderr: [/\(NotFound\): configmaps "order-a" not found/] } },
    { id: 'missing', args: ['delete', 'configmap', 'order-a', '-n', NS], expect: { code: 1, stderr: [/^Error from server \(NotFound\): configmaps "order-a" not found$/m] } },
    { id: 'ignore-not-found', args: ['delete', 'configmap', 'order-a', '-n', NS, '--ignore-not-found'], expect: { stdout: [/^$/] } },
    { id: 'dry-run-server', args: ['delete', 'configmap', 'order-b', '-n', NS, '--dry-run=server'], expect: { stdout: [/^configmap "order-b" deleted \(server dry run\)$/m] } },
    { id: 'dry-run-kept', args: ['get', 'configmap', 'order-b', '-n', NS, '-o', 'name'], expect: { stdout: [/^configmap\/order-b$/m] } },
    { id: 'by-label', args: ['delete', 'secrets', '-n', NS, '-l', 'nothing=here'], expect: { stdout: [/^No resources found$/m] } },
    ...ownerAndDependent('orphan'),
    { id: 'cascade-orphan', args: ['delete', 'configmap', 'orphan-owner', '-n', NS, '--cascade=orphan', '--timeout=10s'], timeoutMs: 20_000, expect: { stdout: [/^configmap "orphan-owner" deleted$/m] } },
    {
      id: 'cascade-orphan-dependent-kept',
      args: ['get', 'configmap', 'orphan-dependent', '-n', NS, '-o', 'json'],
      expect: { json: [{ path: 'data.role', equals: 'dependent' }, { path: 'metadata.ownerReferences', exists: false }] },
    },
    ...ownerAndDependent('background'),
    { id: 'cascade-background', args: ['delete', 'configmap', 'background-owner', '-n', NS, '--cascade=background'], expect: { stdout: [/^configmap "background-owner" deleted$/m] } },
    {
      id: 'cascade-background-dependent-collected',
      args: ['wait', '--for=delete', 'configmap/background-dependent', '-n', NS, '--timeout=10s'],
      timeoutMs: 20_000,
      expect: {},
    },
    ...ownerAndDependent('foreground'),
    { id: 'cascade-foreground', args: ['delete', 'configmap', 'foreground-owner', '-n', NS, '--cascade=foreground', '--timeout=10s'], timeoutMs: 20_000, expect: { stdout: [/^configmap "foreground-owner" deleted$/m] } },
    { id: 'cascade-foreground-dependent-gone', args: ['get', 'configmap', 'foreground-dependent', '-n', NS], expect: { code: 1, stderr: [/\(NotFound\): configmaps "foreground-dependent" not found/] } },
    { id: 'deployment', args: ['delete', 'deployment', 'web', '-n', NS], expect: { stdout: [/^deployment\.apps "web" deleted$/m] } },
    { id: 'all-of-a-kind', args: ['delete', 'configmaps', '--all', '-n', NS], expect: { stdout: [/^configmap "app-config" deleted$/m, /^configmap "order-b" deleted$/m] } },
    { id: 'namespace', args: ['delete', 'namespace', NS, '--timeout=20s'], timeoutMs: 30_000, expect: { stdout: [/^namespace "conformance" deleted$/m] } },
    { id: 'namespace-gone', args: ['get', 'namespace', NS], expect: { code: 1, stderr: [/^Error from server \(NotFound\): namespaces "conformance" not found$/m] } },
    { id: 'namespace-contents-gone', args: ['get', 'deployments,services,secrets', '-n', NS, '-o', 'name'], expect: { stdout: [/^$/] } },
  ],
};
