/**
 * Deployments (apps/v1), with the real server's defaults (replicas 1, RollingUpdate
 * 25%/25%, revisionHistoryLimit 10, progressDeadlineSeconds 600, pod template defaults),
 * generation bumped on spec changes and a scale subresource. Rolling them out is the
 * deployment controller's job (a later piece).
 */
import { invalid, required, type FieldError } from '../field-errors.js';
import { arrayAt, defaultTo, ensureObject, isObject, numberAt, objectAt, type KubeObject } from '../object.js';
import { defineResource } from '../resource.js';
import { ageColumn } from '../table.js';
import { column } from './columns.js';
import { labelSelectorText } from './label-selector-text.js';
import { validatePodSpec } from './pod-spec.js';
import { defaultTemplate } from './workload.js';

function defaultStrategy(spec: Record<string, unknown>): void {
  const strategy = ensureObject(spec, 'strategy');
  if (!strategy) return;
  defaultTo(strategy, 'type', 'RollingUpdate');
  if (strategy.type === 'RollingUpdate') {
    const ru = ensureObject(strategy, 'rollingUpdate');
    if (!ru) return;
    defaultTo(ru, 'maxUnavailable', '25%');
    defaultTo(ru, 'maxSurge', '25%');
  }
}

function validateSelectorMatchesTemplate(spec: Record<string, unknown>): FieldError[] {
  const selector = objectAt(spec, 'selector');
  if (!selector) return [required('spec.selector')];
  const matchLabels = objectAt(selector, 'matchLabels') ?? {};
  const expressions = arrayAt(selector, 'matchExpressions') ?? [];
  if (Object.keys(matchLabels).length === 0 && expressions.length === 0) {
    return [invalid('spec.selector', selector, 'empty selector is invalid for deployment')];
  }
  const labels = objectAt(objectAt(objectAt(spec, 'template') ?? {}, 'metadata') ?? {}, 'labels') ?? {};
  const matches = Object.entries(matchLabels).every(([k, v]) => labels[k] === v);
  return matches ? [] : [invalid('spec.template.metadata.labels', labels, '`selector` does not match template `labels`')];
}

/** Deployments show desired/ready replicas from status, which the controller fills. */
const statusNumber = (o: KubeObject, field: string): number => numberAt(objectAt(o, 'status') ?? {}, field) ?? 0;

function containersOf(o: KubeObject): Record<string, unknown>[] {
  const podSpec = objectAt(objectAt(objectAt(o, 'spec') ?? {}, 'template') ?? {}, 'spec') ?? {};
  return (arrayAt(podSpec, 'containers') ?? []).filter(isObject);
}

export const deployments = defineResource({
  group: 'apps',
  version: 'v1',
  kind: 'Deployment',
  plural: 'deployments',
  singular: 'deployment',
  namespaced: true,
  shortNames: ['deploy'],
  categories: ['all'],
  subresources: ['status', 'scale'],
  strategy: {
    generationFields: ['spec'],
    defaults(obj) {
      const spec = ensureObject(obj, 'spec');
      if (!spec) return;
      defaultTo(spec, 'replicas', 1);
      defaultStrategy(spec);
      defaultTo(spec, 'revisionHistoryLimit', 10);
      defaultTo(spec, 'progressDeadlineSeconds', 600);
      defaultTemplate(spec);
    },
    prepareForCreate(obj) {
      obj.status = {};
    },
    prepareForUpdate(next, old) {
      next.status = old.status;
    },
    validate(obj) {
      const spec = objectAt(obj, 'spec');
      if (!spec) return [required('spec')];
      const errs = validateSelectorMatchesTemplate(spec);
      const replicas = spec.replicas;
      if (typeof replicas !== 'number' || !Number.isInteger(replicas) || replicas < 0) {
        errs.push(invalid('spec.replicas', replicas, 'must be greater than or equal to 0'));
      }
      errs.push(...validatePodSpec(objectAt(objectAt(spec, 'template') ?? {}, 'spec'), 'spec.template.spec'));
      return errs;
    },
    validateUpdate(next, old) {
      const a = JSON.stringify(objectAt(next, 'spec')?.selector);
      const b = JSON.stringify(objectAt(old, 'spec')?.selector);
      return a === b ? [] : [invalid('spec.selector', objectAt(next, 'spec')?.selector, 'field is immutable')];
    },
  },
  tableColumns: [
    column('Ready', 'string', 'Number of the pod with ready state', (o) => `${statusNumber(o, 'readyReplicas')}/${numberAt(objectAt(o, 'spec') ?? {}, 'replicas') ?? 0}`),
    column('Up-to-date', 'integer', 'Total number of non-terminated pods targeted by this deployment that have the desired template spec.', (o) => statusNumber(o, 'updatedReplicas')),
    column('Available', 'integer', 'Total number of available pods (ready for at least minReadySeconds) targeted by this deployment.', (o) => statusNumber(o, 'availableReplicas')),
    ageColumn,
    column('Containers', 'string', 'Names of each container in the template.', (o) => containersOf(o).map((c) => String(c.name)).join(','), 1),
    column('Images', 'string', 'Images referenced by each container in the template.', (o) => containersOf(o).map((c) => String(c.image)).join(','), 1),
    column('Selector', 'string', 'Label selector for pods. Existing ReplicaSets whose pods are selected by this will be the ones affected by this deployment.', (o) => labelSelectorText(objectAt(objectAt(o, 'spec') ?? {}, 'selector')) || '<none>', 1),
  ],
});
