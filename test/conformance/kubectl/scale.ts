// kubectl scale, its --current-replicas precondition, and the scale subresource directly.
import { NS, type Area } from './step.js';

export const scale: Area = {
  name: 'scale',
  steps: [
    { id: 'scale', args: ['scale', 'deployment', 'web', '-n', NS, '--replicas=4'], expect: { stdout: [/^deployment\.apps\/web scaled$/m] } },
    { id: 'scale-read-back', args: ['get', 'deployment', 'web', '-n', NS, '-o', 'jsonpath={.spec.replicas}'], expect: { stdout: [/^4$/] } },
    {
      id: 'scale-precondition',
      args: ['scale', 'deployment', 'web', '-n', NS, '--current-replicas=3', '--replicas=5'],
      expect: { code: 1, stderr: [/Expected replicas to be 3, was 4/] },
    },
    {
      id: 'scale-subresource-patch',
      args: ['patch', 'deployment', 'web', '-n', NS, '--subresource=scale', '--type=merge', '-p', '{"spec":{"replicas":2}}'],
      expect: { stdout: [/^scale\.autoscaling\/web patched$/m] },
    },
    {
      id: 'scale-subresource-get',
      args: ['get', 'deployment', 'web', '-n', NS, '--subresource=scale', '-o', 'json'],
      expect: { json: [{ path: 'kind', equals: 'Scale' }, { path: 'apiVersion', equals: 'autoscaling/v1' }, { path: 'spec.replicas', equals: 2 }, { path: 'status.selector', equals: 'app=web' }] },
    },
    {
      id: 'scale-by-label',
      args: ['scale', 'deployments', '-n', NS, '-l', 'app=api', '--replicas=1'],
      expect: { stdout: [/^deployment\.apps\/api scaled$/m] },
    },
  ],
};
