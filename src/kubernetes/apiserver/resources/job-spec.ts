/**
 * JobSpec defaulting and validation, shared by Jobs and the jobTemplate of CronJobs. The
 * defaults are SetDefaults_Job's: completions and parallelism 1 when neither is given,
 * backoffLimit 6, completionMode NonIndexed, suspend false, podReplacementPolicy
 * TerminatingOrFailed (Failed with a podFailurePolicy).
 */
import { invalid, notSupported, required, type FieldError } from '../field-errors.js';
import { defaultTo, objectAt, type JsonObject } from '../object.js';
import { defaultTemplate, validateMinimum, validateTemplate } from './workload.js';

const completionModes = ['NonIndexed', 'Indexed'];
const replacementPolicies = ['TerminatingOrFailed', 'Failed'];
const jobRestartPolicies = ['OnFailure', 'Never'];

export function defaultJobSpec(spec: JsonObject): void {
  if (spec.completions == null && spec.parallelism == null) {
    spec.completions = 1;
    spec.parallelism = 1;
  }
  defaultTo(spec, 'parallelism', 1);
  defaultTo(spec, 'backoffLimit', spec.backoffLimitPerIndex == null ? 6 : 2147483647);
  defaultTo(spec, 'completionMode', 'NonIndexed');
  defaultTo(spec, 'suspend', false);
  defaultTo(spec, 'podReplacementPolicy', spec.podFailurePolicy == null ? 'TerminatingOrFailed' : 'Failed');
  defaultTemplate(spec);
}

/** The checks every JobSpec gets; `path` is `spec` or `spec.jobTemplate.spec`. */
export function validateJobSpec(spec: JsonObject, path: string): FieldError[] {
  const errs: FieldError[] = [];
  for (const f of ['parallelism', 'completions', 'backoffLimit', 'ttlSecondsAfterFinished']) errs.push(...validateMinimum(spec, f, `${path}.${f}`));
  errs.push(...validateMinimum(spec, 'activeDeadlineSeconds', `${path}.activeDeadlineSeconds`, 1));
  const mode = spec.completionMode;
  if (mode !== undefined && !completionModes.includes(String(mode))) errs.push(notSupported(`${path}.completionMode`, mode, completionModes));
  if (mode === 'Indexed' && spec.completions == null) errs.push(required(`${path}.completions`, 'when completion mode is Indexed'));
  const replacement = spec.podReplacementPolicy;
  if (replacement !== undefined && !replacementPolicies.includes(String(replacement))) errs.push(notSupported(`${path}.podReplacementPolicy`, replacement, replacementPolicies));
  if (spec.suspend !== undefined && typeof spec.suspend !== 'boolean') errs.push(invalid(`${path}.suspend`, spec.suspend, 'must be a boolean'));
  const template = objectAt(spec, 'template');
  errs.push(...validateTemplate(template, `${path}.template`));
  const restart = objectAt(template ?? {}, 'spec')?.restartPolicy;
  if (template && !jobRestartPolicies.includes(String(restart))) errs.push(notSupported(`${path}.template.spec.restartPolicy`, restart, jobRestartPolicies));
  return errs;
}
