// kubectl describe: its output is built from defaulted fields, so it shows defaulting too.
import { NS, type Area } from './step.js';

export const describe: Area = {
  name: 'describe',
  steps: [
    {
      id: 'deployment',
      args: ['describe', 'deployment', 'web', '-n', NS],
      expect: {
        stdout: [
          /^Name:\s+web$/m,
          /^Namespace:\s+conformance$/m,
          /^Selector:\s+app=web$/m,
          /^Replicas:\s+2 desired \| \d+ updated \| \d+ total \| \d+ available \| \d+ unavailable$/m,
          /^StrategyType:\s+RollingUpdate$/m,
          /^RollingUpdateStrategy:\s+25% max unavailable, 25% max surge$/m,
          /^\s+Image:\s+nginx:1\.27$/m,
          /^\s+Port:\s+80\/TCP$/m,
        ],
      },
    },
    {
      id: 'configmap',
      args: ['describe', 'configmap', 'settings', '-n', NS],
      expect: { stdout: [/^Name:\s+settings$/m, /^Labels:\s+tier=backend$/m, /^Data\n====\ncolor:\n----\ngreen$/m] },
    },
    {
      id: 'secret',
      args: ['describe', 'secret', 'app-secret', '-n', NS],
      expect: { stdout: [/^Type:\s+Opaque$/m, /^password:\s+6 bytes$/m], notStdout: [/s3cret/] },
    },
    {
      id: 'namespace',
      args: ['describe', 'namespace', NS],
      expect: { stdout: [/^Name:\s+conformance$/m, /^Status:\s+Active$/m] },
    },
    {
      id: 'service',
      args: ['describe', 'service', 'api', '-n', NS],
      expect: { stdout: [/^Type:\s+ClusterIP$/m, /^Port:\s+http\s+80\/TCP$/m, /^TargetPort:\s+8080\/TCP$/m] },
    },
    {
      id: 'by-label',
      args: ['describe', 'deployments', '-n', NS, '-l', 'app=api'],
      expect: { stdout: [/^Name:\s+api$/m], notStdout: [/^Name:\s+web$/m] },
    },
    {
      id: 'not-found',
      args: ['describe', 'configmap', 'nope', '-n', NS],
      expect: { code: 1, stderr: [/^Error from server \(NotFound\): configmaps "nope" not found$/m] },
    },
  ],
};
