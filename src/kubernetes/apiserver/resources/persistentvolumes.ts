/**
 * PersistentVolumes (core/v1, cluster-scoped): reclaim policy Retain and volumeMode
 * Filesystem by default, status Pending on creation, capacity, access modes and exactly
 * one volume source required.
 */
import { notSupported, required, type FieldError } from '../field-errors.js';
import { defaultTo, ensureObject, isObject, objectAt, stringAt, type KubeObject } from '../object.js';
import { defineResource } from '../resource.js';
import { ageColumn } from '../table.js';
import { rfc3339 } from '../time.js';
import { accessModesText, modesOf, storageOf, validateAccessModes, validateStorageQuantity } from './access-modes.js';
import { column } from './columns.js';
import { specOf, statusOf } from './workload.js';

const reclaimPolicies = ['Delete', 'Recycle', 'Retain'];
/** PersistentVolumeSpec fields that are not a volume source. */
const nonSourceFields = new Set([
  'capacity',
  'accessModes',
  'claimRef',
  'persistentVolumeReclaimPolicy',
  'storageClassName',
  'mountOptions',
  'volumeMode',
  'nodeAffinity',
  'volumeAttributesClassName',
]);

function validateVolumeSpec(spec: Record<string, unknown>): FieldError[] {
  const errs: FieldError[] = [];
  if (!objectAt(spec, 'capacity')) errs.push(required('spec.capacity'));
  else errs.push(...validateStorageQuantity(objectAt(spec, 'capacity'), 'spec.capacity'));
  errs.push(...validateAccessModes(spec.accessModes, 'spec.accessModes'));
  if (!reclaimPolicies.includes(String(spec.persistentVolumeReclaimPolicy))) {
    errs.push(notSupported('spec.persistentVolumeReclaimPolicy', spec.persistentVolumeReclaimPolicy, reclaimPolicies));
  }
  const sources = Object.keys(spec).filter((k) => !nonSourceFields.has(k) && isObject(spec[k]));
  if (sources.length === 0) errs.push(required('spec', 'must specify a volume type'));
  else if (sources.length > 1) errs.push({ type: 'Forbidden', field: `spec.${sources[1]}`, detail: 'may not specify more than 1 volume type' });
  return errs;
}

const claimCell = (o: KubeObject): string => {
  const ref = objectAt(specOf(o), 'claimRef');
  return ref ? `${stringAt(ref, 'namespace') ?? ''}/${stringAt(ref, 'name') ?? ''}` : '';
};

export const persistentvolumes = defineResource({
  group: '',
  version: 'v1',
  kind: 'PersistentVolume',
  plural: 'persistentvolumes',
  singular: 'persistentvolume',
  namespaced: false,
  shortNames: ['pv'],
  subresources: ['status'],
  strategy: {
    defaults(obj) {
      const spec = ensureObject(obj, 'spec');
      if (spec) {
        defaultTo(spec, 'persistentVolumeReclaimPolicy', 'Retain');
        defaultTo(spec, 'volumeMode', 'Filesystem');
      }
      const status = ensureObject(obj, 'status');
      if (status) defaultTo(status, 'phase', 'Pending');
    },
    prepareForCreate(obj, ctx) {
      obj.status = { phase: 'Pending', lastPhaseTransitionTime: rfc3339(ctx.now) };
    },
    prepareForUpdate(next, old) {
      next.status = old.status;
    },
    validate: (obj) => validateVolumeSpec(specOf(obj)),
  },
  tableColumns: [
    column('Capacity', 'string', 'capacity is the description of the persistent volume\'s resources and capacity.', (o) => storageOf(objectAt(specOf(o), 'capacity'))),
    column('Access Modes', 'string', 'accessModes contains all ways the volume can be mounted.', (o) => accessModesText(modesOf(specOf(o)))),
    column('Reclaim Policy', 'string', 'persistentVolumeReclaimPolicy defines what happens to a persistent volume when released from its claim.', (o) => stringAt(specOf(o), 'persistentVolumeReclaimPolicy') ?? ''),
    column('Status', 'string', 'phase indicates if a volume is available, bound to a claim, or released by a claim.', (o) => (o.metadata.deletionTimestamp ? 'Terminating' : stringAt(statusOf(o), 'phase') ?? '')),
    column('Claim', 'string', 'claimRef is part of a bi-directional binding between PersistentVolume and PersistentVolumeClaim.', claimCell),
    column('StorageClass', 'string', 'StorageClass of the pv', (o) => stringAt(specOf(o), 'storageClassName') ?? o.metadata.annotations?.['volume.beta.kubernetes.io/storage-class'] ?? ''),
    column('VolumeAttributesClass', 'string', 'VolumeAttributesClass of the pv', (o) => stringAt(specOf(o), 'volumeAttributesClassName') ?? '<unset>'),
    column('Reason', 'string', 'reason is a brief CamelCase string that describes any failure and is meant for machine parsing and tidy display in the CLI.', (o) => stringAt(statusOf(o), 'reason') ?? ''),
    ageColumn,
    column('VolumeMode', 'string', 'volumeMode defines if a volume is intended to be used with a formatted filesystem or to remain in raw block state.', (o) => stringAt(specOf(o), 'volumeMode') ?? '<unset>', 1),
  ],
});
