/** Defaulting per kind, table-driven: what the real server fills in, read back from the registry. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ResourceDefinition } from '../../../../src/kubernetes/apiserver/resource.js';
import { cronjobs } from '../../../../src/kubernetes/apiserver/resources/cronjobs.js';
import { csidrivers } from '../../../../src/kubernetes/apiserver/resources/csidrivers.js';
import { daemonsets } from '../../../../src/kubernetes/apiserver/resources/daemonsets.js';
import { endpointslices } from '../../../../src/kubernetes/apiserver/resources/endpointslices.js';
import { horizontalpodautoscalersV2 } from '../../../../src/kubernetes/apiserver/resources/hpa-v2.js';
import { jobs } from '../../../../src/kubernetes/apiserver/resources/jobs.js';
import { limitranges } from '../../../../src/kubernetes/apiserver/resources/limitranges.js';
import { networkpolicies } from '../../../../src/kubernetes/apiserver/resources/networkpolicies.js';
import { persistentvolumeclaims } from '../../../../src/kubernetes/apiserver/resources/persistentvolumeclaims.js';
import { persistentvolumes } from '../../../../src/kubernetes/apiserver/resources/persistentvolumes.js';
import { replicasets } from '../../../../src/kubernetes/apiserver/resources/replicasets.js';
import { statefulsets } from '../../../../src/kubernetes/apiserver/resources/statefulsets.js';
import { storageclasses } from '../../../../src/kubernetes/apiserver/resources/storageclasses.js';
import { world, type World } from '../apiserver/world.js';

let w: World;
beforeEach(async () => {
  w = await world();
});
afterEach(async () => {
  await w.close();
});

const template = (restartPolicy?: string) => ({
  metadata: { labels: { app: 'a' } },
  spec: { ...(restartPolicy ? { restartPolicy } : {}), containers: [{ name: 'c', image: 'busybox:1.36' }] },
});
const selector = { matchLabels: { app: 'a' } };
const defaultedPodSpec = { restartPolicy: 'Always', dnsPolicy: 'ClusterFirst', terminationGracePeriodSeconds: 30, schedulerName: 'default-scheduler' };

const cases: { name: string; def: ResourceDefinition; body: Record<string, unknown>; expected: Record<string, unknown> }[] = [
  {
    name: 'replicaset: replicas 1 and pod template defaults',
    def: replicasets,
    body: { metadata: { name: 'rs' }, spec: { selector, template: template() } },
    expected: { spec: { replicas: 1, template: { spec: { ...defaultedPodSpec, containers: [{ imagePullPolicy: 'IfNotPresent' }] } } } },
  },
  {
    name: 'statefulset: ordered, rolling with partition 0, history 10, claims retained, claim template volumeMode',
    def: statefulsets,
    body: {
      metadata: { name: 'sts' },
      spec: {
        selector,
        serviceName: 'sts',
        template: template(),
        volumeClaimTemplates: [{ metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } }],
      },
    },
    expected: {
      spec: {
        replicas: 1,
        podManagementPolicy: 'OrderedReady',
        updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 0 } },
        revisionHistoryLimit: 10,
        persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Retain', whenScaled: 'Retain' },
        volumeClaimTemplates: [{ apiVersion: 'v1', kind: 'PersistentVolumeClaim', spec: { volumeMode: 'Filesystem' }, status: { phase: 'Pending' } }],
      },
    },
  },
  {
    name: 'daemonset: RollingUpdate maxUnavailable 1 maxSurge 0, history 10',
    def: daemonsets,
    body: { metadata: { name: 'ds' }, spec: { selector, template: template() } },
    expected: { spec: { updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1, maxSurge: 0 } }, revisionHistoryLimit: 10 } },
  },
  {
    name: 'job: completions/parallelism 1, backoffLimit 6, NonIndexed, not suspended, TerminatingOrFailed, manualSelector false',
    def: jobs,
    body: { metadata: { name: 'pi' }, spec: { template: template('Never') } },
    expected: {
      spec: {
        completions: 1,
        parallelism: 1,
        backoffLimit: 6,
        completionMode: 'NonIndexed',
        suspend: false,
        podReplacementPolicy: 'TerminatingOrFailed',
        manualSelector: false,
        template: { metadata: { labels: { app: 'a', 'job-name': 'pi', 'batch.kubernetes.io/job-name': 'pi' } } },
      },
      status: {},
    },
  },
  {
    name: 'job: parallelism alone leaves completions unset; a podFailurePolicy means Failed',
    def: jobs,
    body: { metadata: { name: 'q' }, spec: { parallelism: 3, podFailurePolicy: { rules: [] }, template: template('Never') } },
    expected: { spec: { parallelism: 3, podReplacementPolicy: 'Failed' } },
  },
  {
    name: 'cronjob: Allow, not suspended, history 3 and 1',
    def: cronjobs,
    body: { metadata: { name: 'cj' }, spec: { schedule: '*/5 * * * *', jobTemplate: { spec: { template: template('OnFailure') } } } },
    expected: {
      spec: {
        concurrencyPolicy: 'Allow',
        suspend: false,
        successfulJobsHistoryLimit: 3,
        failedJobsHistoryLimit: 1,
        jobTemplate: { spec: { template: { spec: { restartPolicy: 'OnFailure', dnsPolicy: 'ClusterFirst' } } } },
      },
    },
  },
  {
    name: 'hpa v2: minReplicas 1 and CPU 80% when no metric is given',
    def: horizontalpodautoscalersV2,
    body: { metadata: { name: 'h' }, spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'd' }, maxReplicas: 5 } },
    expected: { spec: { minReplicas: 1, metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } } }] } },
  },
  {
    name: 'hpa v2: a given behavior gets its unset rules',
    def: horizontalpodautoscalersV2,
    body: {
      metadata: { name: 'b' },
      spec: { scaleTargetRef: { kind: 'Deployment', name: 'd' }, maxReplicas: 5, behavior: { scaleDown: { stabilizationWindowSeconds: 60 } } },
    },
    expected: {
      spec: {
        behavior: {
          scaleUp: { stabilizationWindowSeconds: 0, selectPolicy: 'Max', policies: [{ type: 'Pods', value: 4, periodSeconds: 15 }, { type: 'Percent', value: 100, periodSeconds: 15 }] },
          scaleDown: { stabilizationWindowSeconds: 60, selectPolicy: 'Max', policies: [{ type: 'Percent', value: 100, periodSeconds: 15 }] },
        },
      },
    },
  },
  {
    name: 'networkpolicy: Ingress only, port protocol TCP',
    def: networkpolicies,
    body: { metadata: { name: 'np' }, spec: { podSelector: {}, ingress: [{ ports: [{ port: 80 }] }] } },
    expected: { spec: { policyTypes: ['Ingress'], ingress: [{ ports: [{ port: 80, protocol: 'TCP' }] }] } },
  },
  {
    name: 'networkpolicy: egress rules add Egress',
    def: networkpolicies,
    body: { metadata: { name: 'np2' }, spec: { podSelector: {}, egress: [{}] } },
    expected: { spec: { policyTypes: ['Ingress', 'Egress'] } },
  },
  {
    name: 'pvc: volumeMode Filesystem, status Pending',
    def: persistentvolumeclaims,
    body: { metadata: { name: 'c' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } },
    expected: { spec: { volumeMode: 'Filesystem' }, status: { phase: 'Pending' } },
  },
  {
    name: 'endpointslice: port protocol TCP',
    def: endpointslices,
    body: { metadata: { name: 'e' }, addressType: 'IPv4', endpoints: [{ addresses: ['10.0.0.1'] }], ports: [{ port: 80 }] },
    expected: { ports: [{ port: 80, protocol: 'TCP', name: '' }] },
  },
  {
    name: 'limitrange: default limit from max, default request from default',
    def: limitranges,
    body: { metadata: { name: 'l' }, spec: { limits: [{ type: 'Container', max: { cpu: '2' }, min: { memory: '64Mi' } }] } },
    expected: { spec: { limits: [{ default: { cpu: '2' }, defaultRequest: { cpu: '2', memory: '64Mi' } }] } },
  },
];

const clusterCases: typeof cases = [
  {
    name: 'storageclass: reclaimPolicy Delete, volumeBindingMode Immediate',
    def: storageclasses,
    body: { metadata: { name: 'standard' }, provisioner: 'cinder.csi.openstack.org' },
    expected: { reclaimPolicy: 'Delete', volumeBindingMode: 'Immediate' },
  },
  {
    name: 'persistentvolume: Retain, Filesystem, Pending',
    def: persistentvolumes,
    body: { metadata: { name: 'pv' }, spec: { capacity: { storage: '1Gi' }, accessModes: ['ReadWriteOnce'], hostPath: { path: '/x' } } },
    expected: { spec: { persistentVolumeReclaimPolicy: 'Retain', volumeMode: 'Filesystem' }, status: { phase: 'Pending', lastPhaseTransitionTime: '2026-01-01T00:00:00Z' } },
  },
  {
    name: 'csidriver: SetDefaults_CSIDriver values',
    def: csidrivers,
    body: { metadata: { name: 'cinder.csi.openstack.org' }, spec: {} },
    expected: {
      spec: {
        attachRequired: true,
        podInfoOnMount: false,
        storageCapacity: false,
        requiresRepublish: false,
        fsGroupPolicy: 'ReadWriteOnceWithFSType',
        volumeLifecycleModes: ['Persistent'],
        seLinuxMount: false,
      },
    },
  },
];

describe('defaults', () => {
  it.each(cases)('$name', async ({ def, body, expected }) => {
    expect(await w.registry.create(def, 'default', body)).toMatchObject(expected);
  });
  it.each(clusterCases)('$name', async ({ def, body, expected }) => {
    expect(await w.registry.create(def, undefined, body)).toMatchObject(expected);
  });

  it('job: selector on the controller uid, the uid on the template, the template labels on the job', async () => {
    const job = await w.registry.create(jobs, 'default', { metadata: { name: 'pi' }, spec: { template: template('Never') } });
    const uid = job.metadata.uid!;
    expect(job.spec).toMatchObject({ selector: { matchLabels: { 'batch.kubernetes.io/controller-uid': uid } } });
    const labels = { app: 'a', 'batch.kubernetes.io/controller-uid': uid, 'batch.kubernetes.io/job-name': 'pi', 'controller-uid': uid, 'job-name': 'pi' };
    expect((job.spec as { template: { metadata: { labels: unknown } } }).template.metadata.labels).toEqual(labels);
    expect(job.metadata.labels).toEqual(labels);
    expect(Object.keys((job.spec as { selector: { matchLabels: object } }).selector.matchLabels)).toEqual(['batch.kubernetes.io/controller-uid']);
  });

  it('job: manualSelector true keeps the given selector and labels', async () => {
    const job = await w.registry.create(jobs, 'default', { metadata: { name: 'm', labels: { own: 'x' } }, spec: { manualSelector: true, selector, template: template('Never') } });
    expect(job.spec).toMatchObject({ manualSelector: true, selector });
    expect(job.metadata.labels).toEqual({ own: 'x' });
  });
});
