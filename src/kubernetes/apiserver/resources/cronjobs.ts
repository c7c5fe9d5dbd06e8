/**
 * CronJobs (batch/v1): concurrencyPolicy Allow, suspend false, successfulJobsHistoryLimit
 * 3 and failedJobsHistoryLimit 1 by default, the job template's pod spec defaulted, the
 * schedule and timeZone checked as the real server checks them.
 */
import { invalid, notSupported, required, type FieldError } from '../field-errors.js';
import { arrayAt, defaultTo, ensureObject, objectAt, stringAt, type JsonObject, type KubeObject } from '../object.js';
import { defineResource } from '../resource.js';
import { ageColumn } from '../table.js';
import { ageOf } from '../time.js';
import { column } from './columns.js';
import { cronScheduleProblem, isKnownTimeZone, namesTimeZone } from './cron-schedule.js';
import { validateJobSpec } from './job-spec.js';
import { defaultTemplate, specOf, statusOf, templateColumns, validateMinimum } from './workload.js';

const concurrencyPolicies = ['Allow', 'Forbid', 'Replace'];

const jobSpecOf = (o: JsonObject): JsonObject => objectAt(objectAt(specOf(o), 'jobTemplate') ?? {}, 'spec') ?? {};

function validateCronJob(obj: KubeObject): FieldError[] {
  const spec = objectAt(obj, 'spec');
  if (!spec) return [required('spec')];
  const errs: FieldError[] = [];
  const schedule = spec.schedule;
  if (typeof schedule !== 'string' || schedule === '') errs.push(required('spec.schedule'));
  else if (namesTimeZone(schedule)) errs.push(invalid('spec.schedule', schedule, 'cannot use TZ or CRON_TZ in schedule, use timeZone field instead'));
  else {
    const problem = cronScheduleProblem(schedule);
    if (problem) errs.push(invalid('spec.schedule', schedule, problem));
  }
  const zone = spec.timeZone;
  if (zone !== undefined && (typeof zone !== 'string' || !isKnownTimeZone(zone))) errs.push(invalid('spec.timeZone', zone, `unknown time zone ${String(zone)}`));
  if (!concurrencyPolicies.includes(String(spec.concurrencyPolicy))) errs.push(notSupported('spec.concurrencyPolicy', spec.concurrencyPolicy, concurrencyPolicies));
  for (const f of ['startingDeadlineSeconds', 'successfulJobsHistoryLimit', 'failedJobsHistoryLimit']) errs.push(...validateMinimum(spec, f, `spec.${f}`));
  // The name becomes part of each job's name, which carries an 11-character suffix.
  if ((obj.metadata.name ?? '').length > 52) errs.push(invalid('metadata.name', obj.metadata.name, 'must be no more than 52 characters'));
  const jobTemplate = objectAt(spec, 'jobTemplate');
  if (!jobTemplate) errs.push(required('spec.jobTemplate'));
  else errs.push(...validateJobSpec(objectAt(jobTemplate, 'spec') ?? {}, 'spec.jobTemplate.spec'));
  return errs;
}

export const cronjobs = defineResource({
  group: 'batch',
  version: 'v1',
  kind: 'CronJob',
  plural: 'cronjobs',
  singular: 'cronjob',
  namespaced: true,
  shortNames: ['cj'],
  categories: ['all'],
  subresources: ['status'],
  strategy: {
    generationFields: ['spec'],
    defaults(obj) {
      const spec = ensureObject(obj, 'spec');
      if (!spec) return;
      defaultTo(spec, 'concurrencyPolicy', 'Allow');
      defaultTo(spec, 'suspend', false);
      defaultTo(spec, 'successfulJobsHistoryLimit', 3);
      defaultTo(spec, 'failedJobsHistoryLimit', 1);
      const jobTemplate = ensureObject(spec, 'jobTemplate');
      const jobSpec = jobTemplate && ensureObject(jobTemplate, 'spec');
      if (jobSpec) defaultTemplate(jobSpec);
    },
    prepareForCreate(obj) {
      obj.status = {};
    },
    prepareForUpdate(next, old) {
      next.status = old.status;
    },
    validate: validateCronJob,
  },
  tableColumns: [
    column('Schedule', 'string', 'The schedule in Cron format, see https://en.wikipedia.org/wiki/Cron.', (o) => stringAt(specOf(o), 'schedule') ?? ''),
    column('Timezone', 'string', 'The time zone name for the given schedule, see https://en.wikipedia.org/wiki/List_of_tz_database_time_zones.', (o) => stringAt(specOf(o), 'timeZone') ?? '<none>'),
    column('Suspend', 'boolean', 'This flag tells the controller to suspend subsequent executions, it does not apply to already started executions.', (o) => specOf(o).suspend === true),
    column('Active', 'integer', 'A list of pointers to currently running jobs.', (o) => (arrayAt(statusOf(o), 'active') ?? []).length),
    column('Last Schedule', 'string', 'Information when was the last time the job was successfully scheduled.', (o, now) => {
      const last = stringAt(statusOf(o), 'lastScheduleTime');
      return last ? ageOf(last, now) : '<none>';
    }),
    ageColumn,
    ...templateColumns(jobSpecOf),
  ],
});
