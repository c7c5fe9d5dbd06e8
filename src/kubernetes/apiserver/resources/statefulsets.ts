/**
 * StatefulSets (apps/v1) with the real server's defaults: replicas 1, podManagementPolicy
 * OrderedReady, updateStrategy RollingUpdate with partition 0, revisionHistoryLimit 10,
 * persistentVolumeClaimRetentionPolicy Retain/Retain, and volumeMode Filesystem on each
 * volumeClaimTemplate. Scale subresource; most of the spec is immutable after creation.
 */
import { invalid, notSupported, required, type FieldError } from '../field-errors.js';
import { arrayAt, defaultTo, ensureObject, isObject, numberAt, objectAt, stringAt } from '../object.js';
import { defineResource } from '../resource.js';
import { ageColumn } from '../table.js';
import { column } from './columns.js';
import { defaultClaimSpec } from './persistentvolumeclaims.js';
import { defaultTemplate, intOrPercentProblem, specOf, statusNumber, templateColumns, validateMinimum, validateSelectorForTemplate, validateTemplate } from './workload.js';

const podManagementPolicies = ['OrderedReady', 'Parallel'];
const updateStrategies = ['RollingUpdate', 'OnDelete'];
const retentionPolicies = ['Retain', 'Delete'];
/** Spec fields an update may change; the real server forbids touching any other. */
const updatableSpecFields = ['replicas', 'ordinals', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy', 'minReadySeconds', 'revisionHistoryLimit'];

function defaultUpdateStrategy(spec: Record<string, unknown>): void {
  const strategy = ensureObject(spec, 'updateStrategy');
  if (!strategy) return;
  defaultTo(strategy, 'type', 'RollingUpdate');
  if (strategy.type === 'RollingUpdate') {
    const ru = ensureObject(strategy, 'rollingUpdate');
    if (ru) defaultTo(ru, 'partition', 0);
  }
}

function validateStatefulSetSpec(spec: Record<string, unknown>): FieldError[] {
  const errs = validateSelectorForTemplate(spec, 'statefulset');
  if (typeof spec.replicas !== 'number') errs.push(invalid('spec.replicas', spec.replicas, 'must be greater than or equal to 0'));
  errs.push(...validateMinimum(spec, 'replicas', 'spec.replicas'), ...validateMinimum(spec, 'minReadySeconds', 'spec.minReadySeconds'));
  if (!podManagementPolicies.includes(String(spec.podManagementPolicy))) errs.push(notSupported('spec.podManagementPolicy', spec.podManagementPolicy, podManagementPolicies));
  const strategy = objectAt(spec, 'updateStrategy') ?? {};
  if (!updateStrategies.includes(String(strategy.type))) errs.push(notSupported('spec.updateStrategy.type', strategy.type, updateStrategies));
  const ru = objectAt(strategy, 'rollingUpdate');
  if (ru) {
    errs.push(...validateMinimum(ru, 'partition', 'spec.updateStrategy.rollingUpdate.partition'));
    if (ru.maxUnavailable !== undefined) {
      const p = intOrPercentProblem(ru.maxUnavailable, 'spec.updateStrategy.rollingUpdate.maxUnavailable');
      if (p) errs.push(p);
      else if (ru.maxUnavailable === 0 || ru.maxUnavailable === '0%') errs.push(invalid('spec.updateStrategy.rollingUpdate.maxUnavailable', ru.maxUnavailable, 'must be greater than 0'));
    }
  }
  const retention = objectAt(spec, 'persistentVolumeClaimRetentionPolicy') ?? {};
  for (const f of ['whenDeleted', 'whenScaled']) {
    if (!retentionPolicies.includes(String(retention[f]))) errs.push(notSupported(`spec.persistentVolumeClaimRetentionPolicy.${f}`, retention[f], retentionPolicies));
  }
  const template = objectAt(spec, 'template');
  errs.push(...validateTemplate(template, 'spec.template'));
  const restart = stringAt(objectAt(template ?? {}, 'spec') ?? {}, 'restartPolicy');
  if (restart !== undefined && restart !== 'Always') errs.push(notSupported('spec.template.spec.restartPolicy', restart, ['Always']));
  return errs;
}

export const statefulsets = defineResource({
  group: 'apps',
  version: 'v1',
  kind: 'StatefulSet',
  plural: 'statefulsets',
  singular: 'statefulset',
  namespaced: true,
  shortNames: ['sts'],
  categories: ['all'],
  subresources: ['status', 'scale'],
  strategy: {
    generationFields: ['spec'],
    defaults(obj) {
      const spec = ensureObject(obj, 'spec');
      if (!spec) return;
      defaultTo(spec, 'replicas', 1);
      defaultTo(spec, 'podManagementPolicy', 'OrderedReady');
      defaultUpdateStrategy(spec);
      defaultTo(spec, 'revisionHistoryLimit', 10);
      const retention = ensureObject(spec, 'persistentVolumeClaimRetentionPolicy');
      if (retention) {
        defaultTo(retention, 'whenDeleted', 'Retain');
        defaultTo(retention, 'whenScaled', 'Retain');
      }
      defaultTemplate(spec);
      for (const claim of (arrayAt(spec, 'volumeClaimTemplates') ?? []).filter(isObject)) {
        const claimSpec = ensureObject(claim, 'spec');
        if (claimSpec) defaultClaimSpec(claimSpec);
        defaultTo(claim, 'apiVersion', 'v1');
        defaultTo(claim, 'kind', 'PersistentVolumeClaim');
        defaultTo(claim, 'status', { phase: 'Pending' });
      }
    },
    prepareForCreate(obj) {
      obj.status = { replicas: 0, availableReplicas: 0 };
    },
    prepareForUpdate(next, old) {
      next.status = old.status;
    },
    validate(obj) {
      const spec = objectAt(obj, 'spec');
      return spec ? validateStatefulSetSpec(spec) : [required('spec')];
    },
    validateUpdate(next, old) {
      const a = { ...specOf(next) };
      const b = { ...specOf(old) };
      for (const f of updatableSpecFields) {
        delete a[f];
        delete b[f];
      }
      return JSON.stringify(a) === JSON.stringify(b)
        ? []
        : [{ type: 'Forbidden', field: 'spec', detail: `updates to statefulset spec for fields other than ${updatableSpecFields.map((f) => `'${f}'`).join(', ')} are forbidden` }];
    },
  },
  tableColumns: [
    column('Ready', 'string', 'Number of the pod with ready state', (o) => `${statusNumber(o, 'readyReplicas')}/${numberAt(specOf(o), 'replicas') ?? 0}`),
    ageColumn,
    ...templateColumns(specOf, false),
  ],
});
