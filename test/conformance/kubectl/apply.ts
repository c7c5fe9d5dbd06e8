// kubectl apply of multi-document manifests: client-side (last-applied annotation, three-way
// merge), re-apply after edits, pruning a removed key, server dry run, and server-side
// apply with field managers and conflicts.
import { NS, type Area } from './step.js';

const deployment = (replicas: number, image: string): string => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
  namespace: ${NS}
  labels: {app: api, tier: backend}
spec:
  replicas: ${replicas}
  selector:
    matchLabels: {app: api}
  template:
    metadata:
      labels: {app: api}
    spec:
      containers:
      - name: api
        image: ${image}
        ports:
        - containerPort: 8080
        env:
        - {name: MODE, value: production}
`;

const service = `apiVersion: v1
kind: Service
metadata:
  name: api
  namespace: ${NS}
  labels: {app: api, tier: backend}
spec:
  selector: {app: api}
  ports:
  - {name: http, port: 80, targetPort: 8080}
`;

const configMap = (data: string): string => `apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
  namespace: ${NS}
  labels: {tier: backend}
data:
${data}`;

const first = [configMap('  color: blue\n  extra: "yes"\n'), service, deployment(2, 'registry.example/api:1.0')].join('---\n');
const edited = [configMap('  color: green\n'), service, deployment(3, 'registry.example/api:1.1')].join('---\n');

const ssa = (value: string): string => `apiVersion: v1
kind: ConfigMap
metadata:
  name: ssa-config
  namespace: ${NS}
data:
  owner: ${value}
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: ssa-second
  namespace: ${NS}
data:
  k: v
`;

export const apply: Area = {
  name: 'apply',
  steps: [
    {
      id: 'client-side-create',
      args: ['apply', '-f', '-'],
      stdin: first,
      expect: { stdout: [/^configmap\/settings created$/m, /^service\/api created$/m, /^deployment\.apps\/api created$/m] },
    },
    {
      id: 'client-side-unchanged',
      args: ['apply', '-f', '-'],
      stdin: first,
      expect: { stdout: [/^configmap\/settings unchanged$/m, /^service\/api unchanged$/m, /^deployment\.apps\/api unchanged$/m] },
    },
    {
      id: 'client-side-after-edits',
      args: ['apply', '-f', '-'],
      stdin: edited,
      expect: { stdout: [/^configmap\/settings configured$/m, /^service\/api unchanged$/m, /^deployment\.apps\/api configured$/m] },
    },
    {
      id: 'edits-landed-and-removed-key-pruned',
      args: ['get', 'configmap', 'settings', '-n', NS, '-o', 'json'],
      expect: {
        json: [{ path: 'data', equals: { color: 'green' } }],
        stdout: [/"kubectl\.kubernetes\.io\/last-applied-configuration": "\{.*\\"color\\":\\"green\\"/],
      },
    },
    {
      id: 'deployment-edits-landed',
      args: ['get', 'deployment', 'api', '-n', NS, '-o', 'json'],
      expect: {
        json: [
          { path: 'spec.replicas', equals: 3 },
          { path: 'spec.template.spec.containers.0.image', equals: 'registry.example/api:1.1' },
          { path: 'spec.template.spec.containers.0.env', equals: [{ name: 'MODE', value: 'production' }] },
          { path: 'metadata.generation', equals: 2 },
        ],
      },
    },
    {
      id: 'service-defaults',
      args: ['get', 'service', 'api', '-n', NS, '-o', 'json'],
      expect: {
        json: [
          { path: 'spec.type', equals: 'ClusterIP' },
          { path: 'spec.ports.0', equals: { name: 'http', port: 80, protocol: 'TCP', targetPort: 8080 } },
          { path: 'spec.clusterIP', matches: /^\d+\.\d+\.\d+\.\d+$/ },
          { path: 'spec.sessionAffinity', equals: 'None' },
        ],
      },
    },
    {
      id: 'server-dry-run',
      args: ['apply', '--dry-run=server', '-f', '-'],
      stdin: configMap('  color: red\n'),
      expect: { stdout: [/^configmap\/settings configured \(server dry run\)$/m] },
    },
    {
      id: 'server-dry-run-changed-nothing',
      args: ['get', 'configmap', 'settings', '-n', NS, '-o', 'jsonpath={.data.color}'],
      expect: { stdout: [/^green$/] },
    },
    {
      id: 'server-side-create',
      args: ['apply', '--server-side', '-f', '-'],
      stdin: ssa('first'),
      expect: { stdout: [/^configmap\/ssa-config serverside-applied$/m, /^configmap\/ssa-second serverside-applied$/m] },
    },
    {
      id: 'server-side-managed-fields',
      args: ['get', 'configmap', 'ssa-config', '-n', NS, '-o', 'json', '--show-managed-fields'],
      expect: {
        json: [
          { path: 'data.owner', equals: 'first' },
          { path: 'metadata.managedFields.0.manager', equals: 'kubectl' },
          { path: 'metadata.managedFields.0.operation', equals: 'Apply' },
          { path: 'metadata.managedFields.0.fieldsV1', equals: { 'f:data': { 'f:owner': {} } } },
        ],
      },
    },
    {
      id: 'server-side-reapply-edited',
      args: ['apply', '--server-side', '-f', '-'],
      stdin: ssa('second'),
      expect: { stdout: [/^configmap\/ssa-config serverside-applied$/m] },
    },
    {
      id: 'server-side-conflict',
      args: ['apply', '--server-side', '--field-manager=intruder', '-f', '-'],
      stdin: ssa('intruder'),
      expect: { code: 1, stderr: [/Apply failed with 1 conflict: conflict with "kubectl": \.data\.owner/] },
    },
    {
      id: 'server-side-force-conflicts',
      args: ['apply', '--server-side', '--field-manager=intruder', '--force-conflicts', '-f', '-'],
      stdin: ssa('intruder'),
      expect: { stdout: [/^configmap\/ssa-config serverside-applied$/m] },
    },
    {
      id: 'server-side-result',
      args: ['get', 'configmap', 'ssa-config', '-n', NS, '-o', 'jsonpath={.data.owner}'],
      expect: { stdout: [/^intruder$/] },
    },
    {
      id: 'diff-shows-change',
      args: ['diff', '-f', '-'],
      stdin: configMap('  color: purple\n'),
      // diff exits 1 when there are differences.
      expect: { code: 1, stdout: [/^-\s+color: green$/m, /^\+\s+color: purple$/m] },
    },
  ],
};
