/**
 * DaemonSets (apps/v1): updateStrategy RollingUpdate with maxUnavailable 1 and maxSurge
 * 0, revisionHistoryLimit 10, the pod template defaulted; the pods' restartPolicy must
 * be Always. Placing a pod on every node is the daemonset controller's job.
 */
import { invalid, notSupported, required, type FieldError } from '../field-errors.js';
import { defaultTo, ensureObject, objectAt, stringAt } from '../object.js';
import { defineResource } from '../resource.js';
import { ageColumn } from '../table.js';
import { column } from './columns.js';
import { defaultTemplate, immutable, intOrPercentProblem, specOf, statusNumber, templateColumns, templatePodSpec, validateMinimum, validateSelectorForTemplate, validateTemplate } from './workload.js';

const updateStrategies = ['RollingUpdate', 'OnDelete'];

function validateUpdateStrategy(spec: Record<string, unknown>): FieldError[] {
  const strategy = objectAt(spec, 'updateStrategy') ?? {};
  if (!updateStrategies.includes(String(strategy.type))) return [notSupported('spec.updateStrategy.type', strategy.type, updateStrategies)];
  const ru = objectAt(strategy, 'rollingUpdate');
  if (!ru) return [];
  const errs: FieldError[] = [];
  const path = 'spec.updateStrategy.rollingUpdate';
  for (const f of ['maxUnavailable', 'maxSurge']) {
    const p = ru[f] === undefined ? undefined : intOrPercentProblem(ru[f], `${path}.${f}`);
    if (p) errs.push(p);
  }
  const isZero = (v: unknown): boolean => v === 0 || v === '0%';
  if (errs.length === 0 && isZero(ru.maxUnavailable) && isZero(ru.maxSurge)) {
    errs.push(invalid(`${path}.maxUnavailable`, ru.maxUnavailable, 'may not be 0 when `maxSurge` is 0'));
  }
  return errs;
}

const nodeSelectorText = (o: Record<string, unknown>): string => {
  const sel = objectAt(templatePodSpec(specOf(o)) ?? {}, 'nodeSelector') ?? {};
  const parts = Object.entries(sel).map(([k, v]) => `${k}=${String(v)}`).sort();
  return parts.length ? parts.join(',') : '<none>';
};

export const daemonsets = defineResource({
  group: 'apps',
  version: 'v1',
  kind: 'DaemonSet',
  plural: 'daemonsets',
  singular: 'daemonset',
  namespaced: true,
  shortNames: ['ds'],
  categories: ['all'],
  subresources: ['status'],
  strategy: {
    generationFields: ['spec'],
    defaults(obj) {
      const spec = ensureObject(obj, 'spec');
      if (!spec) return;
      const strategy = ensureObject(spec, 'updateStrategy');
      if (strategy) {
        defaultTo(strategy, 'type', 'RollingUpdate');
        if (strategy.type === 'RollingUpdate') {
          const ru = ensureObject(strategy, 'rollingUpdate');
          if (ru) {
            defaultTo(ru, 'maxUnavailable', 1);
            defaultTo(ru, 'maxSurge', 0);
          }
        }
      }
      defaultTo(spec, 'revisionHistoryLimit', 10);
      defaultTemplate(spec);
    },
    prepareForCreate(obj) {
      obj.status = { currentNumberScheduled: 0, numberMisscheduled: 0, desiredNumberScheduled: 0, numberReady: 0 };
    },
    prepareForUpdate(next, old) {
      next.status = old.status;
    },
    validate(obj) {
      const spec = objectAt(obj, 'spec');
      if (!spec) return [required('spec')];
      const errs = validateSelectorForTemplate(spec, 'daemonset');
      errs.push(...validateUpdateStrategy(spec), ...validateMinimum(spec, 'minReadySeconds', 'spec.minReadySeconds'));
      errs.push(...validateTemplate(objectAt(spec, 'template'), 'spec.template'));
      const restart = stringAt(templatePodSpec(spec) ?? {}, 'restartPolicy');
      if (restart !== undefined && restart !== 'Always') errs.push(notSupported('spec.template.spec.restartPolicy', restart, ['Always']));
      return errs;
    },
    validateUpdate: (next, old) => immutable(specOf(next).selector, specOf(old).selector, 'spec.selector'),
  },
  tableColumns: [
    column('Desired', 'integer', 'The total number of nodes that should be running the daemon pod (including nodes correctly running the daemon pod).', (o) => statusNumber(o, 'desiredNumberScheduled')),
    column('Current', 'integer', 'The number of nodes that are running at least 1 daemon pod and are supposed to run the daemon pod.', (o) => statusNumber(o, 'currentNumberScheduled')),
    column('Ready', 'integer', 'The number of nodes that should be running the daemon pod and have one or more of the daemon pod running with a Ready Condition.', (o) => statusNumber(o, 'numberReady')),
    column('Up-to-date', 'integer', 'The total number of nodes that are running updated daemon pod', (o) => statusNumber(o, 'updatedNumberScheduled')),
    column('Available', 'integer', 'The number of nodes that should be running the daemon pod and have one or more of the daemon pod running and available (ready for at least spec.minReadySeconds)', (o) => statusNumber(o, 'numberAvailable')),
    column('Node Selector', 'string', 'NodeSelector is a selector which must be true for the pod to fit on a node.', nodeSelectorText),
    ageColumn,
    ...templateColumns(specOf),
  ],
});
