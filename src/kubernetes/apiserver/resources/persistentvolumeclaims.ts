/**
 * PersistentVolumeClaims (core/v1): volumeMode Filesystem by default, status Pending until
 * a volume is bound (the binder and the Cinder CSI integration come later), accessModes
 * and a positive storage request required. After creation only the storage request (to
 * grow it), volumeAttributesClassName and an unset volumeName may change.
 */
import type { FieldError } from '../field-errors.js';
import { defaultTo, ensureObject, objectAt, stringAt, type JsonObject, type KubeObject } from '../object.js';
import { defineResource } from '../resource.js';
import { ageColumn } from '../table.js';
import { accessModesText, modesOf, storageOf, validateAccessModes, validateStorageQuantity } from './access-modes.js';
import { column } from './columns.js';
import { parseQuantity } from './quantity.js';
import { specOf, statusOf } from './workload.js';

const volumeModes = ['Block', 'Filesystem'];

/** Defaults of a claim spec, also applied to StatefulSet volumeClaimTemplates. */
export function defaultClaimSpec(spec: JsonObject): void {
  defaultTo(spec, 'volumeMode', 'Filesystem');
}

/** The class from spec, or the beta annotation older manifests still carry. */
export function claimClass(o: KubeObject): string {
  return stringAt(specOf(o), 'storageClassName') ?? o.metadata.annotations?.['volume.beta.kubernetes.io/storage-class'] ?? '';
}

export function validateClaimSpec(spec: JsonObject, path: string): FieldError[] {
  const errs = validateAccessModes(spec.accessModes, `${path}.accessModes`);
  errs.push(...validateStorageQuantity(objectAt(objectAt(spec, 'resources') ?? {}, 'requests'), `${path}.resources`));
  const mode = spec.volumeMode;
  if (mode !== undefined && !volumeModes.includes(String(mode))) errs.push({ type: 'NotSupported', field: `${path}.volumeMode`, value: mode, supported: volumeModes });
  return errs;
}

/** The spec without what an update may change: the storage request, the attributes class, the volume name. */
function fixedPartOf(spec: JsonObject): JsonObject {
  const c = structuredClone(spec);
  delete objectAt(c, 'resources')?.requests;
  delete c.volumeAttributesClassName;
  delete c.volumeName;
  return c;
}

function validateClaimUpdate(next: KubeObject, old: KubeObject): FieldError[] {
  const errs: FieldError[] = [];
  const requestOf = (o: KubeObject): number | undefined => parseQuantity(objectAt(objectAt(specOf(o), 'resources') ?? {}, 'requests')?.storage);
  const [grown, before] = [requestOf(next), requestOf(old)];
  if (grown !== undefined && before !== undefined && grown < before) {
    errs.push({ type: 'Forbidden', field: 'spec.resources.requests.storage', detail: 'field can not be less than status.capacity' });
  }
  const oldVolume = stringAt(specOf(old), 'volumeName');
  const rebound = !!oldVolume && stringAt(specOf(next), 'volumeName') !== oldVolume;
  if (rebound || JSON.stringify(fixedPartOf(specOf(next))) !== JSON.stringify(fixedPartOf(specOf(old)))) {
    errs.push({ type: 'Forbidden', field: 'spec', detail: 'spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims' });
  }
  return errs;
}

export const persistentvolumeclaims = defineResource({
  group: '',
  version: 'v1',
  kind: 'PersistentVolumeClaim',
  plural: 'persistentvolumeclaims',
  singular: 'persistentvolumeclaim',
  namespaced: true,
  shortNames: ['pvc'],
  subresources: ['status'],
  strategy: {
    defaults(obj) {
      const spec = ensureObject(obj, 'spec');
      if (spec) defaultClaimSpec(spec);
      const status = ensureObject(obj, 'status');
      if (status) defaultTo(status, 'phase', 'Pending');
    },
    prepareForCreate(obj) {
      obj.status = { phase: 'Pending' };
    },
    prepareForUpdate(next, old) {
      next.status = old.status;
    },
    validate: (obj) => validateClaimSpec(specOf(obj), 'spec'),
    validateUpdate: validateClaimUpdate,
  },
  tableColumns: [
    column('Status', 'string', 'Phase represents the current phase of PersistentVolumeClaim.', (o) => (o.metadata.deletionTimestamp ? 'Terminating' : stringAt(statusOf(o), 'phase') ?? '')),
    column('Volume', 'string', 'volumeName is the binding reference to the PersistentVolume backing this claim.', (o) => stringAt(specOf(o), 'volumeName') ?? ''),
    column('Capacity', 'string', 'capacity represents the actual resources of the underlying volume.', (o) => (stringAt(specOf(o), 'volumeName') ? storageOf(objectAt(statusOf(o), 'capacity')) : '')),
    column('Access Modes', 'string', 'accessModes contains the actual access modes the volume backing the PVC has.', (o) => (stringAt(specOf(o), 'volumeName') ? accessModesText(modesOf(statusOf(o))) : '')),
    column('StorageClass', 'string', 'StorageClass of the pvc', claimClass),
    column('VolumeAttributesClass', 'string', 'VolumeAttributesClass of the pvc', (o) => stringAt(specOf(o), 'volumeAttributesClassName') ?? '<unset>'),
    ageColumn,
    column('VolumeMode', 'string', 'volumeMode defines what type of volume is required by the claim.', (o) => stringAt(specOf(o), 'volumeMode') ?? '<unset>', 1),
  ],
});
