// storage.k8s.io/v1 message layouts.
// Field numbers: generated.proto of k8s.io/api storage/v1 at v0.35; JSON names, pointers,
// omitempty and inlining: its Go types. Syntax: ../descriptor.ts.
import type { PackageTable } from '../descriptor.js';

export const storageV1: PackageTable = {
  package: 'storage.v1',
  groupVersion: 'storage.k8s.io/v1',
  kinds: ['StorageClass', 'CSIDriver', 'CSINode', 'VolumeAttachment'],
  messages: {
    CSIDriver: '1 metadata @meta.v1.ObjectMeta?, 2 spec @CSIDriverSpec',
    CSIDriverSpec:
      '1 attachRequired b*?, 2 podInfoOnMount b*?, 3 volumeLifecycleModes []s?, '
      + '4 storageCapacity b*?, 5 fsGroupPolicy s*?, 6 tokenRequests []@TokenRequest?, '
      + '7 requiresRepublish b*?, 8 seLinuxMount b*?, 9 nodeAllocatableUpdatePeriodSeconds l*?, '
      + '10 serviceAccountTokenInSecrets b*?',
    CSINode: '1 metadata @meta.v1.ObjectMeta?, 2 spec @CSINodeSpec',
    CSINodeDriver: '1 name s, 2 nodeID s, 3 topologyKeys []s, 4 allocatable @VolumeNodeResources*?',
    CSINodeSpec: '1 drivers []@CSINodeDriver',
    StorageClass:
      '1 metadata @meta.v1.ObjectMeta?, 2 provisioner s, 3 parameters {}s?, 4 reclaimPolicy s*?, '
      + '5 mountOptions []s?, 6 allowVolumeExpansion b*?, 7 volumeBindingMode s*?, '
      + '8 allowedTopologies []@core.v1.TopologySelectorTerm?',
    TokenRequest: '1 audience s, 2 expirationSeconds l*?',
    VolumeAttachment:
      '1 metadata @meta.v1.ObjectMeta?, 2 spec @VolumeAttachmentSpec, '
      + '3 status @VolumeAttachmentStatus?',
    VolumeAttachmentSource: '1 persistentVolumeName s*?, 2 inlineVolumeSpec @core.v1.PersistentVolumeSpec*?',
    VolumeAttachmentSpec: '1 attacher s, 2 source @VolumeAttachmentSource, 3 nodeName s',
    VolumeAttachmentStatus:
      '1 attached b, 2 attachmentMetadata {}s?, 3 attachError @VolumeError*?, '
      + '4 detachError @VolumeError*?',
    VolumeError: '1 time @meta.v1.Time?, 2 message s?, 3 errorCode i*?',
    VolumeNodeResources: '1 count i*?',
  },
};
