/**
 * ReplicaSets (apps/v1): replicas defaulted to 1, the pod template defaulted as a pod's,
 * selector required and matching the template, a scale subresource. Keeping the pod
 * count is the replicaset controller's job.
 */
import { invalid, required } from '../field-errors.js';
import { defaultTo, ensureObject, numberAt, objectAt } from '../object.js';
import { defineResource } from '../resource.js';
import { ageColumn } from '../table.js';
import { column } from './columns.js';
import { defaultTemplate, immutable, specOf, statusNumber, templateColumns, validateMinimum, validateSelectorForTemplate, validateTemplate } from './workload.js';

export const replicasets = defineResource({
  group: 'apps',
  version: 'v1',
  kind: 'ReplicaSet',
  plural: 'replicasets',
  singular: 'replicaset',
  namespaced: true,
  shortNames: ['rs'],
  categories: ['all'],
  subresources: ['status', 'scale'],
  strategy: {
    generationFields: ['spec'],
    defaults(obj) {
      const spec = ensureObject(obj, 'spec');
      if (!spec) return;
      defaultTo(spec, 'replicas', 1);
      defaultTemplate(spec);
    },
    prepareForCreate(obj) {
      obj.status = { replicas: 0 };
    },
    prepareForUpdate(next, old) {
      next.status = old.status;
    },
    validate(obj) {
      const spec = objectAt(obj, 'spec');
      if (!spec) return [required('spec')];
      const errs = validateSelectorForTemplate(spec, 'replicaset');
      if (typeof spec.replicas !== 'number') errs.push(invalid('spec.replicas', spec.replicas, 'must be greater than or equal to 0'));
      errs.push(...validateMinimum(spec, 'replicas', 'spec.replicas'), ...validateMinimum(spec, 'minReadySeconds', 'spec.minReadySeconds'));
      errs.push(...validateTemplate(objectAt(spec, 'template'), 'spec.template'));
      return errs;
    },
    validateUpdate: (next, old) => immutable(specOf(next).selector, specOf(old).selector, 'spec.selector'),
  },
  tableColumns: [
    column('Desired', 'integer', 'Replicas is the number of desired pods.', (o) => numberAt(specOf(o), 'replicas') ?? 0),
    column('Current', 'integer', 'Replicas is the most recently observed number of non-terminating pods.', (o) => statusNumber(o, 'replicas')),
    column('Ready', 'integer', 'The number of non-terminating pods targeted by this ReplicaSet with a Ready Condition.', (o) => statusNumber(o, 'readyReplicas')),
    ageColumn,
    ...templateColumns(specOf),
  ],
});
