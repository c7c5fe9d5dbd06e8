// kubectl create for the kinds kubectl 1.32+ sends as protobuf: namespace, configmap,
// secret, deployment, serviceaccount, role and rolebinding.
import { NS, type Area } from './step.js';

export const create: Area = {
  name: 'create',
  steps: [
    { id: 'namespace', args: ['create', 'namespace', NS], expect: { stdout: [/^namespace\/conformance created$/m] } },
    {
      id: 'namespace-again',
      args: ['create', 'namespace', NS],
      expect: { code: 1, stderr: [/^Error from server \(AlreadyExists\): namespaces "conformance" already exists$/m] },
    },
    {
      id: 'configmap',
      args: ['create', 'configmap', 'app-config', '-n', NS, '--from-literal=mode=blue', '--from-literal=size=3'],
      expect: { stdout: [/^configmap\/app-config created$/m] },
    },
    {
      id: 'configmap-read-back',
      args: ['get', 'configmap', 'app-config', '-n', NS, '-o', 'json'],
      expect: { json: [{ path: 'data', equals: { mode: 'blue', size: '3' } }, { path: 'metadata.namespace', equals: NS }, { path: 'metadata.uid', matches: /^[0-9a-f-]{36}$/ }] },
    },
    {
      id: 'secret-generic',
      args: ['create', 'secret', 'generic', 'app-secret', '-n', NS, '--from-literal=password=s3cret'],
      expect: { stdout: [/^secret\/app-secret created$/m] },
    },
    {
      id: 'secret-read-back',
      args: ['get', 'secret', 'app-secret', '-n', NS, '-o', 'json'],
      expect: { json: [{ path: 'type', equals: 'Opaque' }, { path: 'data.password', equals: 'czNjcmV0' }] },
    },
    {
      id: 'secret-docker-registry',
      args: ['create', 'secret', 'docker-registry', 'regcred', '-n', NS, '--docker-server=registry.example', '--docker-username=u', '--docker-password=p'],
      expect: { stdout: [/^secret\/regcred created$/m] },
    },
    {
      id: 'secret-docker-registry-type',
      args: ['get', 'secret', 'regcred', '-n', NS, '-o', 'jsonpath={.type}'],
      expect: { stdout: [/^kubernetes\.io\/dockerconfigjson$/] },
    },
    {
      id: 'deployment',
      args: ['create', 'deployment', 'web', '-n', NS, '--image=nginx:1.27', '--replicas=2', '--port=80'],
      expect: { stdout: [/^deployment\.apps\/web created$/m] },
    },
    {
      id: 'deployment-defaults',
      args: ['get', 'deployment', 'web', '-n', NS, '-o', 'json'],
      expect: {
        json: [
          { path: 'spec.replicas', equals: 2 },
          { path: 'spec.selector.matchLabels', equals: { app: 'web' } },
          { path: 'spec.strategy.type', equals: 'RollingUpdate' },
          { path: 'spec.strategy.rollingUpdate', equals: { maxSurge: '25%', maxUnavailable: '25%' } },
          { path: 'spec.revisionHistoryLimit', equals: 10 },
          { path: 'spec.template.spec.containers.0.image', equals: 'nginx:1.27' },
          { path: 'spec.template.spec.containers.0.ports.0', equals: { containerPort: 80, protocol: 'TCP' } },
          { path: 'spec.template.spec.containers.0.imagePullPolicy', equals: 'IfNotPresent' },
          { path: 'spec.template.spec.restartPolicy', equals: 'Always' },
          { path: 'spec.template.spec.dnsPolicy', equals: 'ClusterFirst' },
          { path: 'spec.template.spec.terminationGracePeriodSeconds', equals: 30 },
          { path: 'metadata.generation', equals: 1 },
        ],
      },
    },
    {
      id: 'configmaps-for-sorting',
      args: ['create', 'configmap', 'order-a', '-n', NS, '--from-literal=rank=2'],
      expect: { stdout: [/^configmap\/order-a created$/m] },
    },
    {
      id: 'configmaps-for-sorting-2',
      args: ['create', 'configmap', 'order-b', '-n', NS, '--from-literal=rank=1'],
      expect: { stdout: [/^configmap\/order-b created$/m] },
    },
    { id: 'serviceaccount', args: ['create', 'serviceaccount', 'builder', '-n', NS], expect: { stdout: [/^serviceaccount\/builder created$/m] } },
    {
      id: 'dry-run-client',
      args: ['create', 'configmap', 'dry', '-n', NS, '--from-literal=a=b', '--dry-run=client', '-o', 'yaml'],
      expect: { stdout: [/^kind: ConfigMap$/m, /^ {2}name: dry$/m] },
    },
    {
      id: 'dry-run-server',
      args: ['create', 'configmap', 'dry', '-n', NS, '--from-literal=a=b', '--dry-run=server'],
      expect: { stdout: [/^configmap\/dry created \(server dry run\)$/m] },
    },
    {
      id: 'dry-run-server-stored-nothing',
      args: ['get', 'configmap', 'dry', '-n', NS],
      expect: { code: 1, stderr: [/^Error from server \(NotFound\): configmaps "dry" not found$/m] },
    },
    {
      id: 'invalid-name',
      args: ['create', 'configmap', 'Bad_Name', '-n', NS],
      expect: { code: 1, stderr: [/ConfigMap "Bad_Name" is invalid: metadata\.name: Invalid value: "Bad_Name": a lowercase RFC 1123 subdomain/] },
    },
  ],
};
