/**
 * Patch metadata of the built-in kinds kos serves, transcribed from the `patchStrategy`
 * and `patchMergeKey` tags of k8s.io/api and apimachinery's ObjectMeta. Lists not listed
 * here (tolerations, envFrom, args, volumeClaimTemplates, …) are atomic: a patch replaces
 * them. Custom resources get no metadata at all (see patchMetaFor).
 */
import type { FieldPatchMeta, PatchSchema } from './patch-meta.js';

const schema = (name: string, fields: Record<string, FieldPatchMeta>): PatchSchema => ({ name, fields });
const mergeBy = (mergeKey: string, item?: PatchSchema): FieldPatchMeta => ({ strategy: 'merge', mergeKey, schema: item });
const nested = (s: PatchSchema): FieldPatchMeta => ({ schema: s });
const conditionsByType = { conditions: mergeBy('type') };

export const objectMeta = schema('ObjectMeta', {
  finalizers: { strategy: 'merge' },
  ownerReferences: mergeBy('uid'),
});

const containerFields = {
  ports: mergeBy('containerPort'),
  env: mergeBy('name'),
  volumeMounts: mergeBy('mountPath'),
  volumeDevices: mergeBy('devicePath'),
};
export const container = schema('Container', containerFields);
const ephemeralContainer = schema('EphemeralContainer', containerFields);

export const podSpec = schema('PodSpec', {
  volumes: { ...mergeBy('name'), retainKeys: true },
  initContainers: mergeBy('name', container),
  containers: mergeBy('name', container),
  ephemeralContainers: mergeBy('name', ephemeralContainer),
  imagePullSecrets: mergeBy('name'),
  hostAliases: mergeBy('ip'),
  topologySpreadConstraints: mergeBy('topologyKey'),
  schedulingGates: mergeBy('name'),
  resourceClaims: { ...mergeBy('name'), retainKeys: true },
});

const podStatus = schema('PodStatus', {
  ...conditionsByType,
  hostIPs: mergeBy('ip'),
  podIPs: mergeBy('ip'),
  resourceClaimStatuses: { ...mergeBy('name'), retainKeys: true },
});

export const podTemplateSpec = schema('PodTemplateSpec', { metadata: nested(objectMeta), spec: nested(podSpec) });

const statusWithConditions = (name: string): PatchSchema => schema(name, conditionsByType);

/** spec.template plus status.conditions: Deployment, ReplicaSet, StatefulSet, DaemonSet, Job, RC. */
function workload(kind: string, specExtra: Record<string, FieldPatchMeta> = {}): PatchSchema {
  return schema(kind, {
    metadata: nested(objectMeta),
    spec: nested(schema(`${kind}Spec`, { template: nested(podTemplateSpec), ...specExtra })),
    status: nested(statusWithConditions(`${kind}Status`)),
  });
}

function withMeta(kind: string, fields: Record<string, FieldPatchMeta> = {}): PatchSchema {
  return schema(kind, { metadata: nested(objectMeta), ...fields });
}

const withStatusConditions = (kind: string): PatchSchema =>
  withMeta(kind, { status: nested(statusWithConditions(`${kind}Status`)) });

/** Keyed by `group/Kind` (core group empty); the tags are the same in every served version. */
export const builtinPatchSchemas: ReadonlyMap<string, PatchSchema> = new Map<string, PatchSchema>([
  ['/Pod', withMeta('Pod', { spec: nested(podSpec), status: nested(podStatus) })],
  ['/PodTemplate', withMeta('PodTemplate', { template: nested(podTemplateSpec) })],
  ['/ReplicationController', workload('ReplicationController')],
  [
    '/Service',
    withMeta('Service', {
      spec: nested(schema('ServiceSpec', { ports: mergeBy('port') })),
      status: nested(statusWithConditions('ServiceStatus')),
    }),
  ],
  ['/ServiceAccount', withMeta('ServiceAccount', { secrets: mergeBy('name') })],
  [
    '/Node',
    withMeta('Node', {
      spec: nested(schema('NodeSpec', { podCIDRs: { strategy: 'merge' } })),
      status: nested(schema('NodeStatus', { ...conditionsByType, addresses: mergeBy('type') })),
    }),
  ],
  ['/Namespace', withStatusConditions('Namespace')],
  ['/PersistentVolumeClaim', withStatusConditions('PersistentVolumeClaim')],
  ['apps/Deployment', workload('Deployment', { strategy: { retainKeys: true } })],
  ['apps/ReplicaSet', workload('ReplicaSet')],
  ['apps/StatefulSet', workload('StatefulSet')],
  ['apps/DaemonSet', workload('DaemonSet')],
  ['batch/Job', workload('Job')],
  [
    'batch/CronJob',
    withMeta('CronJob', {
      spec: nested(
        schema('CronJobSpec', {
          jobTemplate: nested(
            schema('JobTemplateSpec', {
              metadata: nested(objectMeta),
              spec: nested(schema('JobSpec', { template: nested(podTemplateSpec) })),
            }),
          ),
        }),
      ),
    }),
  ],
  ['autoscaling/HorizontalPodAutoscaler', withStatusConditions('HorizontalPodAutoscaler')],
  [
    'policy/PodDisruptionBudget',
    withMeta('PodDisruptionBudget', {
      spec: nested(schema('PodDisruptionBudgetSpec', { selector: { strategy: 'replace' } })),
      status: nested(statusWithConditions('PodDisruptionBudgetStatus')),
    }),
  ],
  ['storage.k8s.io/CSINode', withMeta('CSINode', { spec: nested(schema('CSINodeSpec', { drivers: mergeBy('name') })) })],
]);
