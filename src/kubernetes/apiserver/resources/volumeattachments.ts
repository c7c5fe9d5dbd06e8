/**
 * VolumeAttachments (storage.k8s.io/v1, cluster-scoped): a request to attach one
 * persistent volume (or an inline volume spec) to a node through a CSI attacher. The spec
 * is immutable; the attacher reports progress in status.
 */
import { invalid, required, type FieldError } from '../field-errors.js';
import { objectAt, stringAt, type KubeObject } from '../object.js';
import { defineResource } from '../resource.js';
import { ageColumn } from '../table.js';
import { column } from './columns.js';
import { immutable, specOf, statusOf } from './workload.js';

function validateVolumeAttachment(obj: KubeObject): FieldError[] {
  const spec = specOf(obj);
  const errs: FieldError[] = [];
  if (!stringAt(spec, 'attacher')) errs.push(required('spec.attacher'));
  if (!stringAt(spec, 'nodeName')) errs.push(required('spec.nodeName'));
  const source = objectAt(spec, 'source') ?? {};
  const given = ['persistentVolumeName', 'inlineVolumeSpec'].filter((k) => source[k] !== undefined);
  if (given.length !== 1) errs.push(invalid('spec.source', source, 'must specify exactly one of inlineVolumeSpec and persistentVolumeName'));
  return errs;
}

export const volumeattachments = defineResource({
  group: 'storage.k8s.io',
  version: 'v1',
  kind: 'VolumeAttachment',
  plural: 'volumeattachments',
  singular: 'volumeattachment',
  namespaced: false,
  subresources: ['status'],
  strategy: {
    prepareForCreate(obj) {
      obj.status = { attached: false };
    },
    prepareForUpdate(next, old) {
      next.status = old.status;
    },
    validate: validateVolumeAttachment,
    validateUpdate: (next, old) => immutable(next.spec, old.spec, 'spec'),
  },
  tableColumns: [
    column('Attacher', 'string', 'attacher indicates the name of the volume driver that MUST handle this request.', (o) => stringAt(specOf(o), 'attacher') ?? ''),
    column('PV', 'string', 'persistentVolumeName represents the name of the persistent volume to attach.', (o) => stringAt(objectAt(specOf(o), 'source') ?? {}, 'persistentVolumeName') ?? ''),
    column('Node', 'string', 'nodeName represents the node that the volume should be attached to.', (o) => stringAt(specOf(o), 'nodeName') ?? ''),
    column('Attached', 'boolean', 'attached indicates the volume is successfully attached.', (o) => statusOf(o).attached === true),
    ageColumn,
  ],
});
