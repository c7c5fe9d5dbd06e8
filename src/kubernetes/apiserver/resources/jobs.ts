/**
 * Jobs (batch/v1). Beyond the JobSpec defaults, creation does what the real server's job
 * strategy does: manualSelector false, a selector on a label unique to this job
 * (`batch.kubernetes.io/controller-uid`), the job-name and controller-uid labels (new and
 * legacy spellings) on the pod template, and the template's labels on the job when it has
 * none. Running the pods is the job controller's work.
 */
import { invalid, required, type FieldError } from '../field-errors.js';
import { ensureObject, isObject, numberAt, objectAt, stringAt, type JsonObject, type KubeObject } from '../object.js';
import { defineResource } from '../resource.js';
import { ageColumn } from '../table.js';
import { humanDuration, parseTimestamp } from '../time.js';
import { column } from './columns.js';
import { defaultJobSpec, validateJobSpec } from './job-spec.js';
import { immutable, selectorMatches, specOf, statusNumber, statusOf, templateColumns } from './workload.js';

export const controllerUidLabel = 'batch.kubernetes.io/controller-uid';
export const jobNameLabel = 'batch.kubernetes.io/job-name';
const legacyControllerUidLabel = 'controller-uid';
const legacyJobNameLabel = 'job-name';

/** Labels the pods of a job carry, and the selector that finds exactly them. */
function generateSelector(obj: KubeObject, spec: JsonObject): void {
  const template = ensureObject(spec, 'template');
  const meta = template && ensureObject(template, 'metadata');
  const labels = meta && ensureObject(meta, 'labels');
  if (!labels) return;
  const name = obj.metadata.name ?? '';
  const uid = obj.metadata.uid ?? '';
  for (const key of [legacyJobNameLabel, jobNameLabel]) if (labels[key] === undefined) labels[key] = name;
  for (const key of [legacyControllerUidLabel, controllerUidLabel]) if (labels[key] === undefined) labels[key] = uid;
  const selector = ensureObject(spec, 'selector');
  const matchLabels = selector && ensureObject(selector, 'matchLabels');
  if (matchLabels && matchLabels[controllerUidLabel] === undefined) matchLabels[controllerUidLabel] = uid;
}

function validateJob(obj: KubeObject): FieldError[] {
  const spec = objectAt(obj, 'spec');
  if (!spec) return [required('spec')];
  const errs = validateJobSpec(spec, 'spec');
  const selector = objectAt(spec, 'selector');
  if (!selector) errs.push(required('spec.selector'));
  else {
    const labels = objectAt(objectAt(objectAt(spec, 'template') ?? {}, 'metadata') ?? {}, 'labels') ?? {};
    if (!selectorMatches(selector, labels)) errs.push(invalid('spec.template.metadata.labels', labels, '`selector` does not match template `labels`'));
    if (spec.manualSelector !== true && selector.matchLabels && isObject(selector.matchLabels) && selector.matchLabels[controllerUidLabel] !== obj.metadata.uid) {
      errs.push(invalid('spec.selector', selector, '`selector` not auto-generated'));
    }
  }
  return errs;
}

function conditionTrue(o: KubeObject, type: string): boolean {
  const conditions = statusOf(o).conditions;
  return Array.isArray(conditions) && conditions.some((c) => isObject(c) && c.type === type && c.status === 'True');
}

function statusCell(o: KubeObject): string {
  if (conditionTrue(o, 'Complete')) return 'Complete';
  if (conditionTrue(o, 'Failed')) return 'Failed';
  if (o.metadata.deletionTimestamp) return 'Terminating';
  if (conditionTrue(o, 'Suspended')) return 'Suspended';
  if (conditionTrue(o, 'FailureTarget')) return 'FailureTarget';
  return 'Running';
}

function completionsCell(o: KubeObject): string {
  const spec = specOf(o);
  const succeeded = statusNumber(o, 'succeeded');
  const completions = numberAt(spec, 'completions');
  if (completions !== undefined) return `${succeeded}/${completions}`;
  const parallelism = numberAt(spec, 'parallelism') ?? 0;
  return parallelism > 1 ? `${succeeded}/1 of ${parallelism}` : `${succeeded}/1`;
}

function durationCell(o: KubeObject, now: number): string {
  const start = parseTimestamp(stringAt(statusOf(o), 'startTime'));
  if (start === undefined) return '';
  const end = parseTimestamp(stringAt(statusOf(o), 'completionTime')) ?? now;
  return humanDuration(end - start);
}

export const jobs = defineResource({
  group: 'batch',
  version: 'v1',
  kind: 'Job',
  plural: 'jobs',
  singular: 'job',
  namespaced: true,
  categories: ['all'],
  subresources: ['status'],
  strategy: {
    generationFields: ['spec'],
    defaults(obj) {
      const spec = ensureObject(obj, 'spec');
      if (spec) defaultJobSpec(spec);
    },
    prepareForCreate(obj) {
      obj.status = {};
      const spec = objectAt(obj, 'spec');
      if (!spec) return;
      if (spec.manualSelector == null) spec.manualSelector = false;
      if (spec.manualSelector !== true) generateSelector(obj, spec);
      const templateLabels = objectAt(objectAt(objectAt(spec, 'template') ?? {}, 'metadata') ?? {}, 'labels');
      if (templateLabels && Object.keys(obj.metadata.labels ?? {}).length === 0) obj.metadata.labels = { ...(templateLabels as Record<string, string>) };
    },
    prepareForUpdate(next, old) {
      next.status = old.status;
    },
    validate: validateJob,
    validateUpdate(next, old) {
      const a = specOf(next);
      const b = specOf(old);
      const errs = [...immutable(a.selector, b.selector, 'spec.selector'), ...immutable(a.completionMode, b.completionMode, 'spec.completionMode')];
      // A suspended job that never started may get a new template (kueue relies on it).
      const neverStarted = b.suspend === true && stringAt(statusOf(old), 'startTime') === undefined;
      if (!neverStarted) errs.push(...immutable(a.template, b.template, 'spec.template'));
      return errs;
    },
  },
  tableColumns: [
    column('Status', 'string', 'Status of the job.', statusCell),
    column('Completions', 'string', 'The number of pods which reached phase Succeeded.', completionsCell),
    column('Duration', 'string', 'Time required to complete the job.', durationCell),
    ageColumn,
    ...templateColumns(specOf),
  ],
});
