// kubectl patch with all three types: strategic merge (merge keys, $patch), JSON merge, JSON patch.
import { NS, type Area } from './step.js';

const strategic = JSON.stringify({ spec: { template: { spec: { containers: [{ name: 'nginx', image: 'nginx:1.28', env: [{ name: 'A', value: '1' }] }] } } } });

export const patch: Area = {
  name: 'patch',
  steps: [
    { id: 'strategic', args: ['patch', 'deployment', 'web', '-n', NS, '-p', strategic], expect: { stdout: [/^deployment\.apps\/web patched$/m] } },
    {
      id: 'strategic-merged-by-name',
      args: ['get', 'deployment', 'web', '-n', NS, '-o', 'json'],
      expect: {
        json: [
          { path: 'spec.template.spec.containers.0.image', equals: 'nginx:1.28' },
          { path: 'spec.template.spec.containers.0.ports', equals: [{ containerPort: 80, protocol: 'TCP' }] },
          { path: 'spec.template.spec.containers.0.env', equals: [{ name: 'A', value: '1' }] },
          { path: 'spec.template.spec.containers.1', exists: false },
          { path: 'metadata.generation', equals: 2 },
        ],
      },
    },
    {
      id: 'strategic-delete-directive',
      args: ['patch', 'deployment', 'web', '-n', NS, '-p', JSON.stringify({ spec: { template: { spec: { containers: [{ name: 'nginx', env: [{ name: 'A', $patch: 'delete' }] }] } } } })],
      expect: { stdout: [/^deployment\.apps\/web patched$/m] },
    },
    {
      id: 'strategic-delete-applied',
      args: ['get', 'deployment', 'web', '-n', NS, '-o', 'json'],
      expect: { json: [{ path: 'spec.template.spec.containers.0.env', exists: false }, { path: 'spec.template.spec.containers.0.image', equals: 'nginx:1.28' }] },
    },
    {
      id: 'merge',
      args: ['patch', 'configmap', 'app-config', '-n', NS, '--type=merge', '-p', '{"data":{"mode":"green","size":null}}'],
      expect: { stdout: [/^configmap\/app-config patched$/m] },
    },
    { id: 'merge-applied', args: ['get', 'configmap', 'app-config', '-n', NS, '-o', 'json'], expect: { json: [{ path: 'data', equals: { mode: 'green' } }] } },
    {
      id: 'no-change',
      args: ['patch', 'configmap', 'app-config', '-n', NS, '--type=merge', '-p', '{"data":{"mode":"green"}}'],
      expect: { stdout: [/^configmap\/app-config patched \(no change\)$/m] },
    },
    {
      id: 'json',
      args: ['patch', 'deployment', 'web', '-n', NS, '--type=json', '-p', '[{"op":"replace","path":"/spec/replicas","value":3},{"op":"add","path":"/metadata/labels/patched","value":"json"}]'],
      expect: { stdout: [/^deployment\.apps\/web patched$/m] },
    },
    {
      id: 'json-applied',
      args: ['get', 'deployment', 'web', '-n', NS, '-o', 'json'],
      expect: { json: [{ path: 'spec.replicas', equals: 3 }, { path: 'metadata.labels', equals: { app: 'web', patched: 'json' } }] },
    },
    {
      id: 'json-failed-test',
      args: ['patch', 'deployment', 'web', '-n', NS, '--type=json', '-p', '[{"op":"test","path":"/spec/replicas","value":99},{"op":"replace","path":"/spec/replicas","value":1}]'],
      // The real server answers 422 without causes, which kubectl prints as below.
      expect: { code: 1, stderr: [/^The request is invalid: /m] },
    },
    { id: 'json-failed-test-changed-nothing', args: ['get', 'deployment', 'web', '-n', NS, '-o', 'jsonpath={.spec.replicas}'], expect: { stdout: [/^3$/] } },
    {
      id: 'invalid-result',
      args: ['patch', 'deployment', 'web', '-n', NS, '--type=merge', '-p', '{"spec":{"replicas":-1}}'],
      expect: { code: 1, stderr: [/The Deployment "web" is invalid: spec\.replicas: Invalid value: -1: must be greater than or equal to 0/] },
    },
    {
      id: 'malformed-patch',
      args: ['patch', 'configmap', 'app-config', '-n', NS, '--type=strategic', '-p', 'not json'],
      expect: { code: 1 },
    },
  ],
};
