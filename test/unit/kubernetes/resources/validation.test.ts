/** Validation per kind, table-driven: 422 Invalid with the field paths and messages kubectl prints. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ResourceDefinition } from '../../../../src/kubernetes/apiserver/resource.js';
import { cronjobs } from '../../../../src/kubernetes/apiserver/resources/cronjobs.js';
import { daemonsets } from '../../../../src/kubernetes/apiserver/resources/daemonsets.js';
import { endpointslices } from '../../../../src/kubernetes/apiserver/resources/endpointslices.js';
import { eventsV1 } from '../../../../src/kubernetes/apiserver/resources/events-v1.js';
import { horizontalpodautoscalersV1 } from '../../../../src/kubernetes/apiserver/resources/hpa-v1.js';
import { horizontalpodautoscalersV2 } from '../../../../src/kubernetes/apiserver/resources/hpa-v2.js';
import { ingresses } from '../../../../src/kubernetes/apiserver/resources/ingresses.js';
import { jobs } from '../../../../src/kubernetes/apiserver/resources/jobs.js';
import { networkpolicies } from '../../../../src/kubernetes/apiserver/resources/networkpolicies.js';
import { persistentvolumeclaims } from '../../../../src/kubernetes/apiserver/resources/persistentvolumeclaims.js';
import { poddisruptionbudgets } from '../../../../src/kubernetes/apiserver/resources/poddisruptionbudgets.js';
import { replicasets } from '../../../../src/kubernetes/apiserver/resources/replicasets.js';
import { resourcequotas } from '../../../../src/kubernetes/apiserver/resources/resourcequotas.js';
import { statefulsets } from '../../../../src/kubernetes/apiserver/resources/statefulsets.js';
import { storageclasses } from '../../../../src/kubernetes/apiserver/resources/storageclasses.js';
import { statusOf, world, type World } from '../apiserver/world.js';

let w: World;
beforeEach(async () => {
  w = await world();
});
afterEach(async () => {
  await w.close();
});

const template = (restartPolicy?: string) => ({
  metadata: { labels: { app: 'a' } },
  spec: { ...(restartPolicy ? { restartPolicy } : {}), containers: [{ name: 'c', image: 'busybox' }] },
});
const hpaRef = { kind: 'Deployment', name: 'd' };

const cases: { name: string; def: ResourceDefinition; body: Record<string, unknown>; message: string }[] = [
  {
    name: 'job template restartPolicy must be Never or OnFailure',
    def: jobs,
    body: { metadata: { name: 'j' }, spec: { template: template() } },
    message: 'Job.batch "j" is invalid: spec.template.spec.restartPolicy: Unsupported value: "Always": supported values: "OnFailure", "Never"',
  },
  {
    name: 'job with a manual selector that misses the template',
    def: jobs,
    body: { metadata: { name: 'j' }, spec: { manualSelector: true, selector: { matchLabels: { app: 'b' } }, template: template('Never') } },
    message: 'spec.template.metadata.labels: Invalid value: {"app":"a"}: `selector` does not match template `labels`',
  },
  {
    name: 'job with negative backoffLimit',
    def: jobs,
    body: { metadata: { name: 'j' }, spec: { backoffLimit: -1, template: template('Never') } },
    message: 'spec.backoffLimit: Invalid value: -1: must be greater than or equal to 0',
  },
  {
    name: 'cronjob schedule with too few fields',
    def: cronjobs,
    body: { metadata: { name: 'c' }, spec: { schedule: '* * *', jobTemplate: { spec: { template: template('Never') } } } },
    message: 'spec.schedule: Invalid value: "* * *": expected exactly 5 fields, found 3: [* * *]',
  },
  {
    name: 'cronjob schedule naming a time zone',
    def: cronjobs,
    body: { metadata: { name: 'c' }, spec: { schedule: 'TZ=UTC 0 * * * *', jobTemplate: { spec: { template: template('Never') } } } },
    message: 'spec.schedule: Invalid value: "TZ=UTC 0 * * * *": cannot use TZ or CRON_TZ in schedule, use timeZone field instead',
  },
  {
    name: 'cronjob with an unknown time zone',
    def: cronjobs,
    body: { metadata: { name: 'c' }, spec: { schedule: '@hourly', timeZone: 'Mars/Olympus', jobTemplate: { spec: { template: template('Never') } } } },
    message: 'spec.timeZone: Invalid value: "Mars/Olympus": unknown time zone Mars/Olympus',
  },
  {
    name: 'replicaset selector that misses the template',
    def: replicasets,
    body: { metadata: { name: 'r' }, spec: { selector: { matchLabels: { app: 'b' } }, template: template() } },
    message: '`selector` does not match template `labels`',
  },
  {
    name: 'statefulset with an unknown podManagementPolicy',
    def: statefulsets,
    body: { metadata: { name: 's' }, spec: { selector: { matchLabels: { app: 'a' } }, podManagementPolicy: 'Random', template: template() } },
    message: 'spec.podManagementPolicy: Unsupported value: "Random": supported values: "OrderedReady", "Parallel"',
  },
  {
    name: 'daemonset with maxUnavailable and maxSurge both 0',
    def: daemonsets,
    body: {
      metadata: { name: 'd' },
      spec: { selector: { matchLabels: { app: 'a' } }, updateStrategy: { rollingUpdate: { maxUnavailable: 0 } }, template: template() },
    },
    message: 'spec.updateStrategy.rollingUpdate.maxUnavailable: Invalid value: 0: may not be 0 when `maxSurge` is 0',
  },
  {
    name: 'hpa with maxReplicas below minReplicas',
    def: horizontalpodautoscalersV2,
    body: { metadata: { name: 'h' }, spec: { scaleTargetRef: hpaRef, minReplicas: 3, maxReplicas: 2 } },
    message: 'spec.maxReplicas: Invalid value: 2: must be greater than or equal to `minReplicas`',
  },
  {
    name: 'hpa without a target name',
    def: horizontalpodautoscalersV2,
    body: { metadata: { name: 'h' }, spec: { scaleTargetRef: { kind: 'Deployment' }, maxReplicas: 2 } },
    message: 'spec.scaleTargetRef.name: Required value',
  },
  {
    name: 'hpa v1 with a zero CPU target names the v1 field',
    def: horizontalpodautoscalersV1,
    body: { metadata: { name: 'h' }, spec: { scaleTargetRef: hpaRef, maxReplicas: 2, targetCPUUtilizationPercentage: 0 } },
    message: 'spec.targetCPUUtilizationPercentage: Invalid value: 0: must be greater than or equal to 1',
  },
  {
    name: 'ingress path without pathType',
    def: ingresses,
    body: { metadata: { name: 'i' }, spec: { rules: [{ http: { paths: [{ path: '/', backend: { service: { name: 's', port: { number: 80 } } } }] } }] } },
    message: 'spec.rules[0].http.paths[0].pathType: Required value: pathType must be specified',
  },
  {
    name: 'ingress with neither rules nor default backend',
    def: ingresses,
    body: { metadata: { name: 'i' }, spec: {} },
    message: 'spec.rules: Invalid value: []: either `defaultBackend` or `rules` must be specified',
  },
  {
    name: 'networkpolicy with a bad CIDR',
    def: networkpolicies,
    body: { metadata: { name: 'n' }, spec: { podSelector: {}, ingress: [{ from: [{ ipBlock: { cidr: '10.0.0.0/33' } }] }] } },
    message: 'spec.ingress[0].from[0].ipBlock.cidr: Invalid value: "10.0.0.0/33": must be a valid CIDR value',
  },
  {
    name: 'pdb with minAvailable and maxUnavailable',
    def: poddisruptionbudgets,
    body: { metadata: { name: 'p' }, spec: { minAvailable: 1, maxUnavailable: '50%' } },
    message: 'spec: Invalid value: {"minAvailable":1,"maxUnavailable":"50%"}: minAvailable and maxUnavailable cannot be both set',
  },
  {
    name: 'pvc without access modes and storage request',
    def: persistentvolumeclaims,
    body: { metadata: { name: 'c' }, spec: {} },
    message: '[spec.accessModes: Required value: at least 1 access mode is required, spec.resources[storage]: Required value]',
  },
  {
    name: 'pvc with a malformed storage request',
    def: persistentvolumeclaims,
    body: { metadata: { name: 'c' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: 'lots' } } } },
    message: 'spec.resources[storage]: Invalid value: "lots": must match the regular expression',
  },
  {
    name: 'endpointslice without addressType',
    def: endpointslices,
    body: { metadata: { name: 'e' } },
    message: 'addressType: Required value',
  },
  {
    name: 'resourcequota with a negative quantity',
    def: resourcequotas,
    body: { metadata: { name: 'q' }, spec: { hard: { pods: '-1' } } },
    message: 'spec.hard[pods]: Invalid value: "-1": must be greater than or equal to 0',
  },
  {
    name: 'events.k8s.io event without the fields that API requires',
    def: eventsV1,
    body: { metadata: { name: 'e' }, regarding: { kind: 'Pod', name: 'p' }, type: 'Normal' },
    message: 'eventTime: Required value',
  },
];

describe('validation', () => {
  it.each(cases)('$name', async ({ def, body, message }) => {
    const status = await statusOf(w.registry.create(def, 'default', body));
    expect(status).toMatchObject({ code: 422, reason: 'Invalid' });
    expect(status.message).toContain(message);
  });

  it('storageclass: provisioner required, parameters immutable', async () => {
    expect((await statusOf(w.registry.create(storageclasses, undefined, { metadata: { name: 's' } }))).message).toBe(
      'StorageClass.storage.k8s.io "s" is invalid: provisioner: Required value',
    );
    await w.registry.create(storageclasses, undefined, { metadata: { name: 's' }, provisioner: 'p', parameters: { a: '1' } });
    const status = await statusOf(w.registry.updateWith(storageclasses, undefined, 's', (c) => ({ ...c, parameters: { a: '2' } })));
    expect(status.message).toBe('StorageClass.storage.k8s.io "s" is invalid: parameters: Forbidden: updates to parameters are forbidden.');
  });

  it('job: selector and template are immutable', async () => {
    await w.registry.create(jobs, 'default', { metadata: { name: 'j' }, spec: { template: template('Never') } });
    const status = await statusOf(
      w.registry.updateWith(jobs, 'default', 'j', (c) => {
        const spec = c.spec as { template: { spec: { containers: { image: string }[] } } };
        spec.template.spec.containers[0]!.image = 'other';
        return c;
      }),
    );
    expect(status.message).toContain('spec.template: Invalid value');
    expect(status.message).toContain('field is immutable');
  });

  it('pvc: may grow, may not shrink or change access modes', async () => {
    const claim = { metadata: { name: 'c' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } };
    await w.registry.create(persistentvolumeclaims, 'default', claim);
    const withStorage = (s: string) => (c: Record<string, unknown>) => ({ ...c, spec: { ...(c.spec as object), resources: { requests: { storage: s } } } });
    const grown = await w.registry.updateWith(persistentvolumeclaims, 'default', 'c', (c) => withStorage('2Gi')(c));
    expect(grown.spec).toMatchObject({ resources: { requests: { storage: '2Gi' } } });
    expect((await statusOf(w.registry.updateWith(persistentvolumeclaims, 'default', 'c', (c) => withStorage('1Gi')(c)))).message).toContain(
      'spec.resources.requests.storage: Forbidden: field can not be less than status.capacity',
    );
    expect(
      (await statusOf(w.registry.updateWith(persistentvolumeclaims, 'default', 'c', (c) => ({ ...c, spec: { ...(c.spec as object), accessModes: ['ReadWriteMany'] } })))).message,
    ).toContain('spec: Forbidden: spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims');
  });

  it('statefulset: only the updatable spec fields may change', async () => {
    await w.registry.create(statefulsets, 'default', { metadata: { name: 's' }, spec: { selector: { matchLabels: { app: 'a' } }, serviceName: 'x', template: template() } });
    const scaled = await w.registry.updateWith(statefulsets, 'default', 's', (c) => ({ ...c, spec: { ...(c.spec as object), replicas: 3 } }));
    expect(scaled.spec).toMatchObject({ replicas: 3 });
    const status = await statusOf(w.registry.updateWith(statefulsets, 'default', 's', (c) => ({ ...c, spec: { ...(c.spec as object), serviceName: 'y' } })));
    expect(status.message).toContain("spec: Forbidden: updates to statefulset spec for fields other than 'replicas'");
  });
});
