/**
 * The few schema facts the protobuf descriptor tables do not carry, transcribed from the
 * `+optional`, `+listType` and `+listMapKey` markers of k8s.io/api (v0.35). Everything else
 * in a schema comes from the descriptors: names, types, formats, and `required` (a field
 * without omitempty is required, as kube-openapi decides it, unless listed here).
 * Keys are our qualified message names (`core.v1.Container`).
 */

/** How server-side apply merges a list; lists not named here are atomic. */
export type ListTopology = { readonly type: 'set' } | { readonly type: 'map'; readonly keys: readonly string[] };

const set: ListTopology = { type: 'set' };
const mapBy = (...keys: string[]): ListTopology => ({ type: 'map', keys });

/** Fields written without omitempty that are nevertheless optional (`+optional`). */
export const optionalWithoutOmitEmpty: Readonly<Record<string, readonly string[]>> = {
  'apps.v1.StatefulSetOrdinals': ['start'],
  'apps.v1.StatefulSetSpec': ['serviceName'],
  'apps.v1.StatefulSetStatus': ['availableReplicas'],
  'authentication.v1.TokenRequestSpec': ['expirationSeconds', 'boundObjectRef'],
  'autoscaling.v2.HorizontalPodAutoscalerStatus': ['currentMetrics'],
  'batch.v1.PodFailurePolicyOnPodConditionsPattern': ['status'],
  'core.v1.AzureFilePersistentVolumeSource': ['secretNamespace'],
  'core.v1.ContainerImage': ['names'],
  'core.v1.Event': ['reportingComponent', 'reportingInstance'],
  'core.v1.GRPCAction': ['service'],
  'core.v1.NodeRuntimeHandler': ['name'],
  'core.v1.ProjectedVolumeSource': ['sources'],
  'core.v1.TypedLocalObjectReference': ['apiGroup'],
  'core.v1.TypedObjectReference': ['apiGroup'],
  'discovery.v1.EndpointSlice': ['ports'],
  'events.v1.Event': ['metadata'],
  'networking.v1.IngressClassParametersReference': ['scope'],
  'networking.v1.NetworkPolicySpec': ['podSelector'],
  'rbac.v1.ClusterRole': ['rules'],
  'rbac.v1.Role': ['rules'],
  'storage.v1.CSINodeDriver': ['topologyKeys'],
};

/** Lists merged as sets or as maps keyed by some of their items' fields (`+listType`). */
export const listTopology: Readonly<Record<string, Readonly<Record<string, ListTopology>>>> = {
  'apps.v1.DaemonSetStatus': { conditions: mapBy('type') },
  'apps.v1.DeploymentStatus': { conditions: mapBy('type') },
  'apps.v1.ReplicaSetStatus': { conditions: mapBy('type') },
  'apps.v1.StatefulSetStatus': { conditions: mapBy('type') },
  'autoscaling.v2.HorizontalPodAutoscalerStatus': { conditions: mapBy('type') },
  'batch.v1.PodFailurePolicyOnExitCodesRequirement': { values: set },
  'batch.v1.UncountedTerminatedPods': { succeeded: set, failed: set },
  'core.v1.Container': {
    ports: mapBy('containerPort', 'protocol'),
    env: mapBy('name'),
    volumeMounts: mapBy('mountPath'),
    volumeDevices: mapBy('devicePath'),
  },
  'core.v1.ContainerRestartRuleOnExitCodes': { values: set },
  'core.v1.ContainerStatus': { volumeMounts: mapBy('mountPath'), allocatedResourcesStatus: mapBy('name') },
  'core.v1.EphemeralContainerCommon': {
    ports: mapBy('containerPort', 'protocol'),
    env: mapBy('name'),
    volumeMounts: mapBy('mountPath'),
    volumeDevices: mapBy('devicePath'),
  },
  'core.v1.NamespaceStatus': { conditions: mapBy('type') },
  'core.v1.NodeSpec': { podCIDRs: set },
  'core.v1.NodeStatus': { conditions: mapBy('type'), addresses: mapBy('type') },
  'core.v1.PersistentVolumeClaimStatus': { conditions: mapBy('type') },
  'core.v1.PodSpec': {
    volumes: mapBy('name'),
    initContainers: mapBy('name'),
    containers: mapBy('name'),
    ephemeralContainers: mapBy('name'),
    imagePullSecrets: mapBy('name'),
    hostAliases: mapBy('ip'),
    topologySpreadConstraints: mapBy('topologyKey', 'whenUnsatisfiable'),
    schedulingGates: mapBy('name'),
    resourceClaims: mapBy('name'),
  },
  'core.v1.PodStatus': {
    conditions: mapBy('type'),
    podIPs: mapBy('ip'),
    resourceClaimStatuses: mapBy('name'),
  },
  'core.v1.ReplicationControllerStatus': { conditions: mapBy('type') },
  'core.v1.ResourceRequirements': { claims: mapBy('name') },
  'core.v1.ResourceStatus': { resources: mapBy('resourceID') },
  'core.v1.ServiceAccount': { secrets: mapBy('name') },
  'core.v1.ServiceSpec': { ports: mapBy('port', 'protocol') },
  'core.v1.ServiceStatus': { conditions: mapBy('type') },
  'discovery.v1.Endpoint': { addresses: set },
  'meta.v1.ObjectMeta': { ownerReferences: mapBy('uid'), finalizers: set },
  'policy.v1.PodDisruptionBudgetStatus': { conditions: mapBy('type') },
  'storage.v1.CSIDriverSpec': { volumeLifecycleModes: set },
  'storage.v1.CSINodeSpec': { drivers: mapBy('name') },
};
