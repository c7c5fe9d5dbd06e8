/**
 * StorageClasses (storage.k8s.io/v1, cluster-scoped): reclaimPolicy Delete and
 * volumeBindingMode Immediate by default; a provisioner is required; parameters,
 * provisioner, reclaimPolicy and volumeBindingMode never change after creation. The
 * default class is marked by the `storageclass.kubernetes.io/is-default-class` annotation.
 */
import { notSupported, required, type FieldError } from '../field-errors.js';
import { defaultTo, stringAt, type KubeObject } from '../object.js';
import { defineResource, type TableColumn } from '../resource.js';
import { ageColumn, nameColumn } from '../table.js';
import { column } from './columns.js';

const reclaimPolicies = ['Delete', 'Retain'];
const bindingModes = ['Immediate', 'WaitForFirstConsumer'];
const defaultClassAnnotations = ['storageclass.kubernetes.io/is-default-class', 'storageclass.beta.kubernetes.io/is-default-class'];

export const isDefaultClass = (o: KubeObject): boolean => defaultClassAnnotations.some((a) => o.metadata.annotations?.[a] === 'true');

function validateStorageClass(obj: KubeObject): FieldError[] {
  const errs: FieldError[] = [];
  const provisioner = obj.provisioner;
  if (typeof provisioner !== 'string' || provisioner === '') errs.push(required('provisioner'));
  if (!reclaimPolicies.includes(String(obj.reclaimPolicy))) errs.push(notSupported('reclaimPolicy', obj.reclaimPolicy, reclaimPolicies));
  if (!bindingModes.includes(String(obj.volumeBindingMode))) errs.push(notSupported('volumeBindingMode', obj.volumeBindingMode, bindingModes));
  return errs;
}

function validateStorageClassUpdate(next: KubeObject, old: KubeObject): FieldError[] {
  const errs: FieldError[] = [];
  for (const f of ['parameters', 'provisioner', 'reclaimPolicy', 'volumeBindingMode'] as const) {
    if (JSON.stringify(next[f]) !== JSON.stringify(old[f])) errs.push({ type: 'Forbidden', field: f, detail: `updates to ${f} are forbidden.` });
  }
  return errs;
}

/** NAME with ` (default)` after the default class, as kubectl prints it. */
const nameWithDefault: TableColumn = { ...nameColumn, cell: (o) => `${o.metadata.name ?? ''}${isDefaultClass(o) ? ' (default)' : ''}` };

export const storageclasses = defineResource({
  group: 'storage.k8s.io',
  version: 'v1',
  kind: 'StorageClass',
  plural: 'storageclasses',
  singular: 'storageclass',
  namespaced: false,
  shortNames: ['sc'],
  strategy: {
    defaults(obj) {
      defaultTo(obj, 'reclaimPolicy', 'Delete');
      defaultTo(obj, 'volumeBindingMode', 'Immediate');
    },
    validate: validateStorageClass,
    validateUpdate: validateStorageClassUpdate,
  },
  tableColumns: [
    nameWithDefault,
    column('Provisioner', 'string', 'provisioner indicates the type of the provisioner.', (o) => stringAt(o, 'provisioner') ?? ''),
    column('ReclaimPolicy', 'string', 'reclaimPolicy controls the reclaimPolicy for dynamically provisioned PersistentVolumes of this storage class.', (o) => stringAt(o, 'reclaimPolicy') ?? 'Delete'),
    column('VolumeBindingMode', 'string', 'volumeBindingMode indicates how PersistentVolumeClaims should be provisioned and bound.', (o) => stringAt(o, 'volumeBindingMode') ?? 'Immediate'),
    column('AllowVolumeExpansion', 'string', 'allowVolumeExpansion shows whether the storage class allow volume expand.', (o) => o.allowVolumeExpansion === true),
    ageColumn,
  ],
});
