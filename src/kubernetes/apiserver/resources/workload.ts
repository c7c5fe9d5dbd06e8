/**
 * What the workload kinds (replicasets, statefulsets, daemonsets, jobs, cronjobs) share:
 * their pod template's defaults and validation, the selector-matches-template rule, the
 * CONTAINERS/IMAGES/SELECTOR cells kubectl prints with -o wide, and small field checks.
 */
import { invalid, required, type FieldError } from '../field-errors.js';
import { arrayAt, ensureObject, isObject, numberAt, objectAt, type JsonObject, type KubeObject } from '../object.js';
import type { TableColumn } from '../resource.js';
import { validateLabels } from '../validation.js';
import { column } from './columns.js';
import { labelSelectorText } from './label-selector-text.js';
import { defaultPodSpec, validatePodSpec } from './pod-spec.js';

export const specOf = (o: JsonObject): JsonObject => objectAt(o, 'spec') ?? {};
export const statusOf = (o: JsonObject): JsonObject => objectAt(o, 'status') ?? {};

/** A status counter, 0 until a controller fills it. */
export const statusNumber = (o: JsonObject, field: string): number => numberAt(statusOf(o), field) ?? 0;

/** Default `spec.template.spec` (creating the objects on the way when absent). */
export function defaultTemplate(spec: JsonObject): void {
  const template = ensureObject(spec, 'template');
  const podSpec = template && ensureObject(template, 'spec');
  if (podSpec) defaultPodSpec(podSpec);
}

/** The pod template: its labels and its pod spec, at `path` (e.g. `spec.template`). */
export function validateTemplate(template: JsonObject | undefined, path: string): FieldError[] {
  if (!template) return [required(path)];
  const labels = objectAt(objectAt(template, 'metadata') ?? {}, 'labels') ?? {};
  return [...validateLabels(labels as Record<string, string>, `${path}.metadata.labels`), ...validatePodSpec(objectAt(template, 'spec'), `${path}.spec`)];
}

/** True when every matchLabels pair and matchExpressions requirement selects these labels. */
export function selectorMatches(selector: JsonObject, labels: JsonObject): boolean {
  const matchLabels = objectAt(selector, 'matchLabels') ?? {};
  if (!Object.entries(matchLabels).every(([k, v]) => labels[k] === v)) return false;
  return (arrayAt(selector, 'matchExpressions') ?? []).filter(isObject).every((e) => {
    const key = String(e.key);
    const values = (arrayAt(e, 'values') ?? []).map(String);
    const has = Object.prototype.hasOwnProperty.call(labels, key);
    switch (e.operator) {
      case 'In':
        return has && values.includes(String(labels[key]));
      case 'NotIn':
        return !has || !values.includes(String(labels[key]));
      case 'Exists':
        return has;
      case 'DoesNotExist':
        return !has;
      default:
        return false;
    }
  });
}

/** `spec.selector` present, not empty, and selecting the template's labels. */
export function validateSelectorForTemplate(spec: JsonObject, kindWord: string): FieldError[] {
  const selector = objectAt(spec, 'selector');
  if (!selector) return [required('spec.selector')];
  const hasLabels = Object.keys(objectAt(selector, 'matchLabels') ?? {}).length > 0;
  const hasExpressions = (arrayAt(selector, 'matchExpressions') ?? []).length > 0;
  if (!hasLabels && !hasExpressions) return [invalid('spec.selector', selector, `empty selector is invalid for ${kindWord}`)];
  const labels = objectAt(objectAt(objectAt(spec, 'template') ?? {}, 'metadata') ?? {}, 'labels') ?? {};
  return selectorMatches(selector, labels) ? [] : [invalid('spec.template.metadata.labels', labels, '`selector` does not match template `labels`')];
}

/** An optional integer field that must be ≥ min when present. */
export function validateMinimum(obj: JsonObject, key: string, path: string, min = 0): FieldError[] {
  const v = obj[key];
  if (v === undefined || v === null) return [];
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min) return [invalid(path, v, `must be greater than or equal to ${min}`)];
  return [];
}

/** A field that may not change after creation. */
export function immutable(next: unknown, old: unknown, path: string): FieldError[] {
  return JSON.stringify(next) === JSON.stringify(old) ? [] : [invalid(path, next, 'field is immutable')];
}

/** An int-or-percent value ("25%" or 1): the error for anything else, else undefined. */
export function intOrPercentProblem(v: unknown, path: string): FieldError | undefined {
  if (typeof v === 'number') return Number.isInteger(v) && v >= 0 ? undefined : invalid(path, v, 'must be greater than or equal to 0');
  if (typeof v === 'string') {
    const m = /^(\d+)%$/.exec(v);
    if (!m) return invalid(path, v, "a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')");
    return Number(m[1]) > 100 ? invalid(path, v, 'must not be greater than 100%') : undefined;
  }
  return invalid(path, v, 'must be an integer or percentage (e.g \'5%\')');
}

function containersOf(podSpec: JsonObject | undefined): JsonObject[] {
  return (arrayAt(podSpec ?? {}, 'containers') ?? []).filter(isObject);
}

/** The pod spec of `spec.template` of an object (or of a nested spec for cronjobs). */
export const templatePodSpec = (spec: JsonObject): JsonObject | undefined => objectAt(objectAt(spec, 'template') ?? {}, 'spec');

/** CONTAINERS, IMAGES and (unless left out) SELECTOR, the -o wide columns of the workload kinds. */
export function templateColumns(specOfObject: (o: KubeObject) => JsonObject, withSelector = true): TableColumn[] {
  const cols = [
    column('Containers', 'string', 'Names of each container in the template.', (o) => containersOf(templatePodSpec(specOfObject(o))).map((c) => String(c.name ?? '')).join(','), 1),
    column('Images', 'string', 'Images referenced by each container in the template.', (o) => containersOf(templatePodSpec(specOfObject(o))).map((c) => String(c.image ?? '')).join(','), 1),
  ];
  if (withSelector) {
    cols.push(column('Selector', 'string', 'A label query over pods that should match the pod count.', (o) => labelSelectorText(objectAt(specOfObject(o), 'selector')) || '<none>', 1));
  }
  return cols;
}
