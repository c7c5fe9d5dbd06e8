/**
 * ControllerRevisions (apps/v1): immutable snapshots of a StatefulSet's or DaemonSet's
 * template, written by their controllers. Only metadata may change after creation.
 */
import { invalid, required, type FieldError } from '../field-errors.js';
import type { KubeObject } from '../object.js';
import { defineResource } from '../resource.js';
import { ageColumn } from '../table.js';
import { column } from './columns.js';
import { immutable } from './workload.js';

function controllerCell(o: KubeObject): string {
  const owner = (o.metadata.ownerReferences ?? []).find((r) => r.controller === true);
  if (!owner) return '<none>';
  const group = owner.apiVersion.includes('/') ? owner.apiVersion.split('/')[0] : '';
  return `${owner.kind.toLowerCase()}${group ? `.${group}` : ''}/${owner.name}`;
}

export const controllerrevisions = defineResource({
  group: 'apps',
  version: 'v1',
  kind: 'ControllerRevision',
  plural: 'controllerrevisions',
  singular: 'controllerrevision',
  namespaced: true,
  strategy: {
    validate(obj) {
      const errs: FieldError[] = [];
      const revision = obj.revision;
      if (revision === undefined) errs.push(required('revision'));
      else if (typeof revision !== 'number' || !Number.isInteger(revision) || revision < 0) {
        errs.push(invalid('revision', revision, 'must be greater than or equal to 0'));
      }
      return errs;
    },
    validateUpdate: (next, old) => [...immutable(next.data, old.data, 'data'), ...immutable(next.revision, old.revision, 'revision')],
  },
  tableColumns: [
    column('Controller', 'string', 'Controller of the object', controllerCell),
    column('Revision', 'string', 'Revision indicates the revision of the state represented by Data.', (o) => (typeof o.revision === 'number' ? o.revision : 0)),
    ageColumn,
  ],
});
