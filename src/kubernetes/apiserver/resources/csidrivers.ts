/**
 * CSIDrivers (storage.k8s.io/v1, cluster-scoped) with SetDefaults_CSIDriver's values:
 * attachRequired true, podInfoOnMount false, storageCapacity false, requiresRepublish
 * false, fsGroupPolicy ReadWriteOnceWithFSType, volumeLifecycleModes [Persistent],
 * seLinuxMount false. attachRequired, podInfoOnMount and the modes are immutable.
 */
import { notSupported, type FieldError } from '../field-errors.js';
import { arrayAt, defaultTo, ensureObject, isObject, type KubeObject } from '../object.js';
import { defineResource } from '../resource.js';
import { ageColumn } from '../table.js';
import { column } from './columns.js';
import { immutable, specOf } from './workload.js';

const fsGroupPolicies = ['File', 'None', 'ReadWriteOnceWithFSType'];
const lifecycleModes = ['Ephemeral', 'Persistent'];

function validateCSIDriver(obj: KubeObject): FieldError[] {
  const spec = specOf(obj);
  const errs: FieldError[] = [];
  if (!fsGroupPolicies.includes(String(spec.fsGroupPolicy))) errs.push(notSupported('spec.fsGroupPolicy', spec.fsGroupPolicy, fsGroupPolicies));
  (arrayAt(spec, 'volumeLifecycleModes') ?? []).forEach((m, i) => {
    if (!lifecycleModes.includes(String(m))) errs.push(notSupported(`spec.volumeLifecycleModes[${i}]`, m, lifecycleModes));
  });
  return errs;
}

const flag = (o: KubeObject, key: string, fallback: boolean): boolean => (typeof specOf(o)[key] === 'boolean' ? (specOf(o)[key] as boolean) : fallback);

export const csidrivers = defineResource({
  group: 'storage.k8s.io',
  version: 'v1',
  kind: 'CSIDriver',
  plural: 'csidrivers',
  singular: 'csidriver',
  namespaced: false,
  strategy: {
    defaults(obj) {
      const spec = ensureObject(obj, 'spec');
      if (!spec) return;
      defaultTo(spec, 'attachRequired', true);
      defaultTo(spec, 'podInfoOnMount', false);
      defaultTo(spec, 'storageCapacity', false);
      defaultTo(spec, 'requiresRepublish', false);
      defaultTo(spec, 'fsGroupPolicy', 'ReadWriteOnceWithFSType');
      if ((arrayAt(spec, 'volumeLifecycleModes') ?? []).length === 0) spec.volumeLifecycleModes = ['Persistent'];
      defaultTo(spec, 'seLinuxMount', false);
    },
    validate: validateCSIDriver,
    validateUpdate: (next, old) => [
      ...immutable(specOf(next).attachRequired, specOf(old).attachRequired, 'spec.attachRequired'),
      ...immutable(specOf(next).volumeLifecycleModes, specOf(old).volumeLifecycleModes, 'spec.volumeLifecycleModes'),
    ],
  },
  tableColumns: [
    column('AttachRequired', 'boolean', 'attachRequired indicates this CSI volume driver requires an attach operation.', (o) => flag(o, 'attachRequired', true)),
    column('PodInfoOnMount', 'boolean', 'podInfoOnMount indicates this CSI volume driver requires additional pod information (like podName, podUID, etc.) during mount operations.', (o) => flag(o, 'podInfoOnMount', false)),
    column('StorageCapacity', 'boolean', 'storageCapacity indicates that the CSI volume driver wants pod scheduling to consider the storage capacity.', (o) => flag(o, 'storageCapacity', false)),
    column('TokenRequests', 'string', 'tokenRequests indicates the CSI driver needs pods\' service account tokens it is mounting volume for to do necessary authentication.', (o) => {
      const t = arrayAt(specOf(o), 'tokenRequests');
      return t ? t.filter(isObject).map((r) => String(r.audience ?? '')).join(',') : '<unset>';
    }),
    column('RequiresRepublish', 'boolean', 'requiresRepublish indicates the CSI driver wants `NodePublishVolume` being periodically called to reflect any possible change in the mounted volume.', (o) => flag(o, 'requiresRepublish', false)),
    column('Modes', 'string', 'volumeLifecycleModes defines what kind of volumes this CSI volume driver supports.', (o) => (arrayAt(specOf(o), 'volumeLifecycleModes') ?? []).map(String).join(',') || '<none>'),
    ageColumn,
  ],
});
