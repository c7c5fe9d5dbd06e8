import { describe, expect, it } from 'vitest';
import { defaultMemoryRequest, defaultMilliCpuRequest, podInfoFrom, podRequests } from '../../../../src/kubernetes/scheduler/pod-info.js';
import { pod } from './fixtures.js';

const c = (cpu?: string, memory?: string, extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  name: 'c',
  image: 'x',
  resources: { requests: { ...(cpu ? { cpu } : {}), ...(memory ? { memory } : {}) } },
  ...extra,
});

describe('podRequests', () => {
  it('sums containers and takes the largest plain init container when it is bigger', () => {
    const spec = { containers: [c('200m', '100Mi'), c('300m', '100Mi')], initContainers: [c('1', '50Mi'), c('100m', '1Gi')] };
    expect(podRequests(spec, false)).toEqual({ cpu: 1000, memory: 2 ** 30, ephemeral: 0 });
  });

  it('adds sidecar init containers to the sum and to later init containers', () => {
    // Sidecar 500m runs beside the app (200m) → 700m; the plain init after it needs 500m + 400m = 900m.
    const spec = { containers: [c('200m')], initContainers: [c('500m', undefined, { restartPolicy: 'Always' }), c('400m')] };
    expect(podRequests(spec, false).cpu).toBe(900);
  });

  it('adds the pod overhead and rounds millicores up', () => {
    const spec = { containers: [c('0.0001')], overhead: { cpu: '250m', memory: '64Mi' } };
    expect(podRequests(spec, false)).toEqual({ cpu: 251, memory: 64 * 2 ** 20, ephemeral: 0 });
  });

  it('uses 100m and 200Mi for containers without requests when scoring', () => {
    const spec = { containers: [c(), c('1')] };
    expect(podRequests(spec, true)).toEqual({ cpu: defaultMilliCpuRequest + 1000, memory: 2 * defaultMemoryRequest, ephemeral: 0 });
    expect(podRequests(spec, false)).toEqual({ cpu: 1000, memory: 0, ephemeral: 0 });
  });
});

describe('podInfoFrom', () => {
  it('reads priority, host ports, tolerations and the controller', () => {
    const p = pod(
      'a',
      {
        priority: 1000,
        containers: [{ name: 'c', image: 'x', ports: [{ containerPort: 80, hostPort: 8080 }, { containerPort: 53, hostPort: 53, protocol: 'UDP', hostIP: '10.0.0.1' }] }],
        tolerations: [{ key: 'k', operator: 'Exists' }],
      },
      { ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'rs', uid: 'u', controller: true }] },
    );
    const i = podInfoFrom(p);
    expect(i.priority).toBe(1000);
    expect(i.hostPorts).toEqual([
      { protocol: 'TCP', ip: '0.0.0.0', port: 8080 },
      { protocol: 'UDP', ip: '10.0.0.1', port: 53 },
    ]);
    expect(i.tolerations).toEqual([{ key: 'k', operator: 'Exists', value: '', effect: '' }]);
    expect(i.controller).toEqual({ kind: 'ReplicaSet', name: 'rs' });
  });
});
