/** Table cells of the new kinds, as kubectl prints them. */
import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../../src/kubernetes/apiserver/object.js';
import type { ResourceDefinition } from '../../../../src/kubernetes/apiserver/resource.js';
import { cronjobs } from '../../../../src/kubernetes/apiserver/resources/cronjobs.js';
import { endpoints } from '../../../../src/kubernetes/apiserver/resources/endpoints.js';
import { horizontalpodautoscalersV1 } from '../../../../src/kubernetes/apiserver/resources/hpa-v1.js';
import { horizontalpodautoscalersV2 } from '../../../../src/kubernetes/apiserver/resources/hpa-v2.js';
import { jobs } from '../../../../src/kubernetes/apiserver/resources/jobs.js';
import { poddisruptionbudgets } from '../../../../src/kubernetes/apiserver/resources/poddisruptionbudgets.js';
import { resourcequotas } from '../../../../src/kubernetes/apiserver/resources/resourcequotas.js';
import { statefulsets } from '../../../../src/kubernetes/apiserver/resources/statefulsets.js';
import { storageclasses } from '../../../../src/kubernetes/apiserver/resources/storageclasses.js';
import { toTable } from '../../../../src/kubernetes/apiserver/table.js';

const now = Date.UTC(2026, 0, 1, 1, 0, 0);
const obj = (fields: Record<string, unknown>, meta: Record<string, unknown> = {}): KubeObject => ({
  apiVersion: 'x',
  kind: 'X',
  metadata: { name: 'n', creationTimestamp: '2026-01-01T00:00:00Z', ...meta },
  ...fields,
});

function table(def: ResourceDefinition, o: KubeObject): { headers: string[]; wide: boolean[]; cells: unknown[] } {
  const t = toTable(def, [o], { resourceVersion: '1' }, 'None', now);
  return { headers: t.columnDefinitions.map((c) => c.name), wide: t.columnDefinitions.map((c) => c.priority === 1), cells: t.rows[0]!.cells };
}

const containers = [{ name: 'a', image: 'img:1' }, { name: 'b', image: 'img:2' }];

describe('table columns', () => {
  it('jobs: NAME STATUS COMPLETIONS DURATION AGE, wide CONTAINERS IMAGES SELECTOR', () => {
    const t = table(
      jobs,
      obj({
        spec: { completions: 3, selector: { matchLabels: { 'batch.kubernetes.io/controller-uid': 'u' } }, template: { spec: { containers } } },
        status: { succeeded: 3, startTime: '2026-01-01T00:00:00Z', completionTime: '2026-01-01T00:00:42Z', conditions: [{ type: 'Complete', status: 'True' }] },
      }),
    );
    expect(t.headers).toEqual(['Name', 'Status', 'Completions', 'Duration', 'Age', 'Containers', 'Images', 'Selector']);
    expect(t.wide).toEqual([false, false, false, false, false, true, true, true]);
    expect(t.cells).toEqual(['n', 'Complete', '3/3', '42s', '60m', 'a,b', 'img:1,img:2', 'batch.kubernetes.io/controller-uid=u']);
  });

  it('jobs: a work queue without completions, running', () => {
    expect(table(jobs, obj({ spec: { parallelism: 2, template: { spec: { containers } } } })).cells.slice(1, 4)).toEqual(['Running', '0/1 of 2', '']);
  });

  it('cronjobs: schedule, timezone, suspend, active, last schedule', () => {
    const t = table(cronjobs, obj({ spec: { schedule: '@hourly', suspend: false, jobTemplate: { spec: { template: { spec: { containers } } } } }, status: { active: [{}], lastScheduleTime: '2026-01-01T00:59:00Z' } }));
    expect(t.headers.slice(0, 7)).toEqual(['Name', 'Schedule', 'Timezone', 'Suspend', 'Active', 'Last Schedule', 'Age']);
    expect(t.cells.slice(0, 8)).toEqual(['n', '@hourly', '<none>', false, 1, '60s', '60m', 'a,b']);
  });

  it('hpa: REFERENCE TARGETS MINPODS MAXPODS REPLICAS at v2 and at v1', () => {
    const v2 = obj({
      spec: {
        scaleTargetRef: { kind: 'Deployment', name: 'd' },
        minReplicas: 1,
        maxReplicas: 5,
        metrics: [
          { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } } },
          { type: 'Pods', pods: { metric: { name: 'qps' }, target: { type: 'AverageValue', averageValue: '10' } } },
          { type: 'External', external: { metric: { name: 'q' }, target: { type: 'Value', value: '1' } } },
        ],
      },
      status: { currentReplicas: 2, currentMetrics: [{ type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: 40 } } }] },
    });
    const t = table(horizontalpodautoscalersV2, v2);
    expect(t.headers).toEqual(['Name', 'Reference', 'Targets', 'MinPods', 'MaxPods', 'Replicas', 'Age']);
    expect(t.cells).toEqual(['n', 'Deployment/d', 'cpu: 40%/80%, <unknown>/10 + 1 more...', '1', 5, 2, '60m']);
    const v1 = obj({ spec: { scaleTargetRef: { kind: 'Deployment', name: 'd' }, minReplicas: 1, maxReplicas: 5, targetCPUUtilizationPercentage: 50 }, status: { currentReplicas: 0 } });
    expect(table(horizontalpodautoscalersV1, v1).cells).toEqual(['n', 'Deployment/d', 'cpu: <unknown>/50%', '1', 5, 0, '60m']);
  });

  it('statefulsets: READY then AGE, wide CONTAINERS IMAGES (no selector)', () => {
    const t = table(statefulsets, obj({ spec: { replicas: 3, template: { spec: { containers } } }, status: { readyReplicas: 1 } }));
    expect(t.headers).toEqual(['Name', 'Ready', 'Age', 'Containers', 'Images']);
    expect(t.cells).toEqual(['n', '1/3', '60m', 'a,b', 'img:1,img:2']);
  });

  it('storageclasses: the default class is marked after its name', () => {
    const t = table(storageclasses, obj({ provisioner: 'p', reclaimPolicy: 'Delete', volumeBindingMode: 'WaitForFirstConsumer' }, { annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' } }));
    expect(t.headers).toEqual(['Name', 'Provisioner', 'ReclaimPolicy', 'VolumeBindingMode', 'AllowVolumeExpansion', 'Age']);
    expect(t.cells).toEqual(['n (default)', 'p', 'Delete', 'WaitForFirstConsumer', false, '60m']);
  });

  it('pdb: N/A for the unset bound', () => {
    expect(table(poddisruptionbudgets, obj({ spec: { minAvailable: '50%' }, status: { disruptionsAllowed: 1 } })).cells).toEqual(['n', '50%', 'N/A', 1, '60m']);
  });

  it('endpoints: at most three, then how many more', () => {
    const subsets = [{ addresses: [1, 2, 3, 4].map((i) => ({ ip: `10.0.0.${i}` })), ports: [{ port: 80 }] }];
    expect(table(endpoints, obj({ subsets })).cells[1]).toBe('10.0.0.1:80,10.0.0.2:80,10.0.0.3:80 + 1 more...');
  });

  it('resourcequotas: AGE before REQUEST and LIMIT', () => {
    const t = table(resourcequotas, obj({ status: { hard: { pods: '10', 'limits.cpu': '2', 'requests.cpu': '1' }, used: { pods: '3' } } }));
    expect(t.headers).toEqual(['Name', 'Age', 'Request', 'Limit']);
    expect(t.cells).toEqual(['n', '60m', 'pods: 3/10, requests.cpu: 0/1', 'limits.cpu: 0/2']);
  });
});
