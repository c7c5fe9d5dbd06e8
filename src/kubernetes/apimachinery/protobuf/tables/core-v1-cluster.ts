// core/v1 kinds beyond core-v1.ts: nodes, persistent volumes, events, pod templates and
// replication controllers, with what they reference that core-v1.ts does not describe.
// Field numbers: generated.proto of k8s.io/api core/v1 at v0.35; JSON names, pointers,
// omitempty and inlining: its Go types. Syntax: ../descriptor.ts.
import type { PackageTable } from '../descriptor.js';

export const coreV1Cluster: PackageTable = {
  package: 'core.v1',
  groupVersion: 'v1',
  kinds: ['Node', 'Event', 'PersistentVolume', 'PodTemplate', 'ReplicationController'],
  messages: {
    AttachedVolume: '1 name s, 2 devicePath s',
    AzureFilePersistentVolumeSource: '1 secretName s, 2 shareName s, 3 readOnly b?, 4 secretNamespace s*',
    CSIPersistentVolumeSource:
      '1 driver s, 2 volumeHandle s, 3 readOnly b?, 4 fsType s?, 5 volumeAttributes {}s?, '
      + '6 controllerPublishSecretRef @SecretReference*?, 7 nodeStageSecretRef @SecretReference*?, '
      + '8 nodePublishSecretRef @SecretReference*?, 9 controllerExpandSecretRef @SecretReference*?, '
      + '10 nodeExpandSecretRef @SecretReference*?',
    CephFSPersistentVolumeSource:
      '1 monitors []s, 2 path s?, 3 user s?, 4 secretFile s?, 5 secretRef @SecretReference*?, '
      + '6 readOnly b?',
    CinderPersistentVolumeSource: '1 volumeID s, 2 fsType s?, 3 readOnly b?, 4 secretRef @SecretReference*?',
    ConfigMapNodeConfigSource:
      '1 namespace s, 2 name s, 3 uid s?, 4 resourceVersion s?, 5 kubeletConfigKey s',
    ContainerImage: '1 names []s, 2 sizeBytes l?',
    DaemonEndpoint: '1 Port i',
    Event:
      '1 metadata @meta.v1.ObjectMeta, 2 involvedObject @ObjectReference, 3 reason s?, 4 message s?, '
      + '5 source @EventSource?, 6 firstTimestamp @meta.v1.Time?, 7 lastTimestamp @meta.v1.Time?, '
      + '8 count i?, 9 type s?, 10 eventTime @meta.v1.MicroTime?, 11 series @EventSeries*?, '
      + '12 action s?, 13 related @ObjectReference*?, 14 reportingComponent s, 15 reportingInstance s',
    EventSeries: '1 count i?, 2 lastObservedTime @meta.v1.MicroTime?',
    EventSource: '1 component s?, 2 host s?',
    FlexPersistentVolumeSource:
      '1 driver s, 2 fsType s?, 3 secretRef @SecretReference*?, 4 readOnly b?, 5 options {}s?',
    GlusterfsPersistentVolumeSource: '1 endpoints s, 2 path s, 3 readOnly b?, 4 endpointsNamespace s*?',
    ISCSIPersistentVolumeSource:
      '1 targetPortal s, 2 iqn s, 3 lun i, 4 iscsiInterface s?, 5 fsType s?, 6 readOnly b?, '
      + '7 portals []s?, 8 chapAuthDiscovery b?, 11 chapAuthSession b?, '
      + '10 secretRef @SecretReference*?, 12 initiatorName s*?',
    LocalVolumeSource: '1 path s, 2 fsType s*?',
    Node: '1 metadata @meta.v1.ObjectMeta?, 2 spec @NodeSpec?, 3 status @NodeStatus?',
    NodeAddress: '1 type s, 2 address s',
    NodeCondition:
      '1 type s, 2 status s, 3 lastHeartbeatTime @meta.v1.Time?, '
      + '4 lastTransitionTime @meta.v1.Time?, 5 reason s?, 6 message s?',
    NodeConfigSource: '2 configMap @ConfigMapNodeConfigSource*?',
    NodeConfigStatus:
      '1 assigned @NodeConfigSource*?, 2 active @NodeConfigSource*?, '
      + '3 lastKnownGood @NodeConfigSource*?, 4 error s?',
    NodeDaemonEndpoints: '1 kubeletEndpoint @DaemonEndpoint?',
    NodeFeatures: '1 supplementalGroupsPolicy b*?',
    NodeRuntimeHandler: '1 name s, 2 features @NodeRuntimeHandlerFeatures*?',
    NodeRuntimeHandlerFeatures: '1 recursiveReadOnlyMounts b*?, 2 userNamespaces b*?',
    NodeSpec:
      '1 podCIDR s?, 7 podCIDRs []s?, 3 providerID s?, 4 unschedulable b?, 5 taints []@Taint?, '
      + '6 configSource @NodeConfigSource*?, 2 externalID s?',
    NodeStatus:
      '1 capacity {}@resource.Quantity?, 2 allocatable {}@resource.Quantity?, 3 phase s?, '
      + '4 conditions []@NodeCondition?, 5 addresses []@NodeAddress?, '
      + '6 daemonEndpoints @NodeDaemonEndpoints?, 7 nodeInfo @NodeSystemInfo?, '
      + '8 images []@ContainerImage?, 9 volumesInUse []s?, 10 volumesAttached []@AttachedVolume?, '
      + '11 config @NodeConfigStatus*?, 12 runtimeHandlers []@NodeRuntimeHandler?, '
      + '13 features @NodeFeatures*?, 14 declaredFeatures []s?',
    NodeSwapStatus: '1 capacity l*?',
    NodeSystemInfo:
      '1 machineID s, 2 systemUUID s, 3 bootID s, 4 kernelVersion s, 5 osImage s, '
      + '6 containerRuntimeVersion s, 7 kubeletVersion s, 8 kubeProxyVersion s, 9 operatingSystem s, '
      + '10 architecture s, 11 swap @NodeSwapStatus*?',
    PersistentVolume:
      '1 metadata @meta.v1.ObjectMeta?, 2 spec @PersistentVolumeSpec?, '
      + '3 status @PersistentVolumeStatus?',
    PersistentVolumeSource:
      '1 gcePersistentDisk @GCEPersistentDiskVolumeSource*?, '
      + '2 awsElasticBlockStore @AWSElasticBlockStoreVolumeSource*?, '
      + '3 hostPath @HostPathVolumeSource*?, 4 glusterfs @GlusterfsPersistentVolumeSource*?, '
      + '5 nfs @NFSVolumeSource*?, 6 rbd @RBDPersistentVolumeSource*?, '
      + '7 iscsi @ISCSIPersistentVolumeSource*?, 8 cinder @CinderPersistentVolumeSource*?, '
      + '9 cephfs @CephFSPersistentVolumeSource*?, 10 fc @FCVolumeSource*?, '
      + '11 flocker @FlockerVolumeSource*?, 12 flexVolume @FlexPersistentVolumeSource*?, '
      + '13 azureFile @AzureFilePersistentVolumeSource*?, '
      + '14 vsphereVolume @VsphereVirtualDiskVolumeSource*?, 15 quobyte @QuobyteVolumeSource*?, '
      + '16 azureDisk @AzureDiskVolumeSource*?, '
      + '17 photonPersistentDisk @PhotonPersistentDiskVolumeSource*?, '
      + '18 portworxVolume @PortworxVolumeSource*?, 19 scaleIO @ScaleIOPersistentVolumeSource*?, '
      + '20 local @LocalVolumeSource*?, 21 storageos @StorageOSPersistentVolumeSource*?, '
      + '22 csi @CSIPersistentVolumeSource*?',
    PersistentVolumeSpec:
      '1 capacity {}@resource.Quantity?, 2 - @PersistentVolumeSource^, 3 accessModes []s?, '
      + '4 claimRef @ObjectReference*?, 5 persistentVolumeReclaimPolicy s?, 6 storageClassName s?, '
      + '7 mountOptions []s?, 8 volumeMode s*?, 9 nodeAffinity @VolumeNodeAffinity*?, '
      + '10 volumeAttributesClassName s*?',
    PersistentVolumeStatus:
      '1 phase s?, 2 message s?, 3 reason s?, 4 lastPhaseTransitionTime @meta.v1.Time*?',
    PodTemplate: '1 metadata @meta.v1.ObjectMeta?, 2 template @PodTemplateSpec?',
    RBDPersistentVolumeSource:
      '1 monitors []s, 2 image s, 3 fsType s?, 4 pool s?, 5 user s?, 6 keyring s?, '
      + '7 secretRef @SecretReference*?, 8 readOnly b?',
    ReplicationController:
      '1 metadata @meta.v1.ObjectMeta?, 2 spec @ReplicationControllerSpec?, '
      + '3 status @ReplicationControllerStatus?',
    ReplicationControllerCondition:
      '1 type s, 2 status s, 3 lastTransitionTime @meta.v1.Time?, 4 reason s?, 5 message s?',
    ReplicationControllerSpec:
      '1 replicas i*?, 4 minReadySeconds i?, 2 selector {}s?, 3 template @PodTemplateSpec*?',
    ReplicationControllerStatus:
      '1 replicas i, 2 fullyLabeledReplicas i?, 4 readyReplicas i?, 5 availableReplicas i?, '
      + '3 observedGeneration l?, 6 conditions []@ReplicationControllerCondition?',
    ScaleIOPersistentVolumeSource:
      '1 gateway s, 2 system s, 3 secretRef @SecretReference*, 4 sslEnabled b?, '
      + '5 protectionDomain s?, 6 storagePool s?, 7 storageMode s?, 8 volumeName s?, 9 fsType s?, '
      + '10 readOnly b?',
    SecretReference: '1 name s?, 2 namespace s?',
    StorageOSPersistentVolumeSource:
      '1 volumeName s?, 2 volumeNamespace s?, 3 fsType s?, 4 readOnly b?, '
      + '5 secretRef @ObjectReference*?',
    Taint: '1 key s, 2 value s?, 3 effect s, 4 timeAdded @meta.v1.Time*?',
    TopologySelectorLabelRequirement: '1 key s, 2 values []s',
    TopologySelectorTerm: '1 matchLabelExpressions []@TopologySelectorLabelRequirement?',
    VolumeNodeAffinity: '1 required @NodeSelector*?',
  },
};
