/**
 * HorizontalPodAutoscalers at autoscaling/v2, the version they are stored in (autoscaling/v1
 * is a view of the same objects, see hpa-v1.ts). Defaults as the real server fills them:
 * minReplicas 1, a CPU utilization target of 80% when no metric is given, and — when a
 * behavior is given — its unset scale-up and scale-down rules.
 */
import { invalid, notSupported, required, type FieldError } from '../field-errors.js';
import { arrayAt, defaultTo, ensureObject, isObject, numberAt, objectAt, stringAt, type JsonObject, type KubeObject } from '../object.js';
import { defineResource, type TableColumn } from '../resource.js';
import { ageColumn } from '../table.js';
import { column } from './columns.js';
import { specOf, statusOf } from './workload.js';

const metricTypes = ['ContainerResource', 'External', 'Object', 'Pods', 'Resource'];
const targetTypes = ['AverageValue', 'Utilization', 'Value'];
const selectPolicies = ['Disabled', 'Max', 'Min'];
const policyTypes = ['Percent', 'Pods'];

/** The CPU utilization metric the real server adds when none is given. */
export const defaultCpuMetric = (averageUtilization = 80): JsonObject => ({
  type: 'Resource',
  resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization } },
});

const defaultScaleUp = (): JsonObject => ({
  stabilizationWindowSeconds: 0,
  selectPolicy: 'Max',
  policies: [
    { type: 'Pods', value: 4, periodSeconds: 15 },
    { type: 'Percent', value: 100, periodSeconds: 15 },
  ],
});

// Scale-down keeps stabilizationWindowSeconds unset: the controller's own flag (300s) applies.
const defaultScaleDown = (): JsonObject => ({ selectPolicy: 'Max', policies: [{ type: 'Percent', value: 100, periodSeconds: 15 }] });

function defaultRules(behavior: JsonObject, key: 'scaleUp' | 'scaleDown'): void {
  const fallback = key === 'scaleUp' ? defaultScaleUp() : defaultScaleDown();
  const rules = objectAt(behavior, key);
  if (!rules) {
    behavior[key] = fallback;
    return;
  }
  for (const [k, v] of Object.entries(fallback)) defaultTo(rules, k, v);
}

export function defaultHpaSpec(spec: JsonObject): void {
  defaultTo(spec, 'minReplicas', 1);
  if ((arrayAt(spec, 'metrics') ?? []).length === 0) spec.metrics = [defaultCpuMetric()];
  const behavior = objectAt(spec, 'behavior');
  if (behavior) {
    defaultRules(behavior, 'scaleUp');
    defaultRules(behavior, 'scaleDown');
  }
}

function validateTarget(target: JsonObject | undefined, path: string): FieldError[] {
  if (!target) return [required(path)];
  const type = target.type;
  if (!targetTypes.includes(String(type))) return [notSupported(`${path}.type`, type, targetTypes)];
  if (type === 'Utilization') {
    const u = target.averageUtilization;
    if (u === undefined) return [required(`${path}.averageUtilization`, 'must set either a target raw value or a target utilization')];
    if (typeof u !== 'number' || !Number.isInteger(u) || u <= 0) return [invalid(`${path}.averageUtilization`, u, 'must be greater than 0')];
  }
  if (type === 'Value' && target.value === undefined) return [required(`${path}.value`, 'must set either a target value for metric or a per-pod target')];
  if (type === 'AverageValue' && target.averageValue === undefined) return [required(`${path}.averageValue`, 'must set either a target value for metric or a per-pod target')];
  return [];
}

function validateMetric(m: unknown, path: string): FieldError[] {
  if (!isObject(m)) return [invalid(path, m, 'must be an object')];
  const type = m.type;
  if (!metricTypes.includes(String(type))) return [notSupported(`${path}.type`, type, metricTypes)];
  const key = String(type).charAt(0).toLowerCase() + String(type).slice(1);
  const source = objectAt(m, key);
  if (!source) return [required(`${path}.${key}`, `must populate information for the given metric source`)];
  const errs: FieldError[] = [];
  if (type === 'Resource' || type === 'ContainerResource') {
    if (!stringAt(source, 'name')) errs.push(required(`${path}.${key}.name`, 'must specify a resource name'));
    if (type === 'ContainerResource' && !stringAt(source, 'container')) errs.push(required(`${path}.${key}.container`, 'must specify a container'));
  } else {
    if (!stringAt(objectAt(source, 'metric') ?? {}, 'name')) errs.push(required(`${path}.${key}.metric.name`, 'must specify a metric name'));
  }
  errs.push(...validateTarget(objectAt(source, 'target'), `${path}.${key}.target`));
  return errs;
}

function validateRules(rules: JsonObject | undefined, path: string): FieldError[] {
  if (!rules) return [];
  const errs: FieldError[] = [];
  const window = rules.stabilizationWindowSeconds;
  if (window !== undefined && (typeof window !== 'number' || window < 0 || window > 3600)) {
    errs.push(invalid(`${path}.stabilizationWindowSeconds`, window, 'must be greater than or equal to 0 and less than or equal to 3600'));
  }
  if (rules.selectPolicy !== undefined && !selectPolicies.includes(String(rules.selectPolicy))) errs.push(notSupported(`${path}.selectPolicy`, rules.selectPolicy, selectPolicies));
  (arrayAt(rules, 'policies') ?? []).forEach((p, i) => {
    const pp = `${path}.policies[${i}]`;
    if (!isObject(p)) return errs.push(invalid(pp, p, 'must be an object'));
    if (!policyTypes.includes(String(p.type))) errs.push(notSupported(`${pp}.type`, p.type, policyTypes));
    if (typeof p.value !== 'number' || p.value <= 0) errs.push(invalid(`${pp}.value`, p.value, 'must be greater than zero'));
    if (typeof p.periodSeconds !== 'number' || p.periodSeconds <= 0 || p.periodSeconds > 1800) {
      errs.push(invalid(`${pp}.periodSeconds`, p.periodSeconds, 'must be greater than zero and less than or equal to 1800'));
    }
    return undefined;
  });
  return errs;
}

export function validateHpaSpec(spec: JsonObject | undefined): FieldError[] {
  if (!spec) return [required('spec')];
  const errs: FieldError[] = [];
  const ref = objectAt(spec, 'scaleTargetRef');
  if (!ref) errs.push(required('spec.scaleTargetRef'));
  else {
    if (!stringAt(ref, 'kind')) errs.push(required('spec.scaleTargetRef.kind'));
    if (!stringAt(ref, 'name')) errs.push(required('spec.scaleTargetRef.name'));
  }
  const min = spec.minReplicas;
  if (typeof min !== 'number' || !Number.isInteger(min) || min < 1) errs.push(invalid('spec.minReplicas', min, 'must be greater than or equal to 1'));
  const max = spec.maxReplicas;
  if (typeof max !== 'number' || !Number.isInteger(max) || max < 1) errs.push(invalid('spec.maxReplicas', max, 'must be greater than 0'));
  else if (typeof min === 'number' && max < min) errs.push(invalid('spec.maxReplicas', max, 'must be greater than or equal to `minReplicas`'));
  (arrayAt(spec, 'metrics') ?? []).forEach((m, i) => errs.push(...validateMetric(m, `spec.metrics[${i}]`)));
  const behavior = objectAt(spec, 'behavior');
  if (behavior) errs.push(...validateRules(objectAt(behavior, 'scaleUp'), 'spec.behavior.scaleUp'), ...validateRules(objectAt(behavior, 'scaleDown'), 'spec.behavior.scaleDown'));
  return errs;
}

const quantityText = (v: unknown): string => (v === undefined ? '<unknown>' : String(v));

/** One TARGETS entry, e.g. `cpu: 40%/80%` or `<unknown>/10 (avg)`, as kubectl prints it. */
function metricText(spec: JsonObject, status: JsonObject | undefined): string {
  const type = String(spec.type);
  const key = type.charAt(0).toLowerCase() + type.slice(1);
  const source = objectAt(spec, key) ?? {};
  const target = objectAt(source, 'target') ?? {};
  const current = objectAt(objectAt(status ?? {}, key) ?? {}, 'current');
  switch (type) {
    case 'Resource':
    case 'ContainerResource': {
      const name = stringAt(source, 'name') ?? '';
      if (target.averageValue !== undefined) return `${name}: ${quantityText(current?.averageValue)}/${String(target.averageValue)}`;
      const now = numberAt(current ?? {}, 'averageUtilization');
      const want = numberAt(target, 'averageUtilization');
      return `${name}: ${now === undefined ? '<unknown>' : `${now}%`}/${want === undefined ? '<auto>' : `${want}%`}`;
    }
    case 'Pods':
      return `${quantityText(current?.averageValue)}/${String(target.averageValue)}`;
    case 'Object':
    case 'External':
      if (target.averageValue !== undefined) return `${quantityText(current?.averageValue)}/${String(target.averageValue)} (avg)`;
      return `${quantityText(current?.value)}/${String(target.value)}`;
    default:
      return '<unknown type>';
  }
}

function targetsCell(o: KubeObject): string {
  const specs = (arrayAt(specOf(o), 'metrics') ?? []).filter(isObject);
  if (specs.length === 0) return '<none>';
  const statuses = (arrayAt(statusOf(o), 'currentMetrics') ?? []).map((s) => (isObject(s) ? s : undefined));
  const shown = specs.slice(0, 2).map((s, i) => metricText(s, statuses[i]));
  const text = shown.join(', ');
  return specs.length > 2 ? `${text} + ${specs.length - 2} more...` : text;
}

/** The HPA columns over the v2 form of an object; `toV2` adapts another version's form. */
export function hpaColumns(toV2: (o: KubeObject) => KubeObject = (o) => o): TableColumn[] {
  return [
    column('Reference', 'string', 'scaleTargetRef points to the target resource to scale, and is used to the pods for which metrics should be collected, as well as to actually change the replica count.', (o) => {
      const ref = objectAt(specOf(o), 'scaleTargetRef') ?? {};
      return `${stringAt(ref, 'kind') ?? ''}/${stringAt(ref, 'name') ?? ''}`;
    }),
    column('Targets', 'string', 'metrics contains the specifications for which to use to calculate the desired replica count.', (o) => targetsCell(toV2(o))),
    column('MinPods', 'string', 'minReplicas is the lower limit for the number of replicas to which the autoscaler can scale down.', (o) => {
      const min = numberAt(specOf(o), 'minReplicas');
      return min === undefined ? '<unset>' : String(min);
    }),
    column('MaxPods', 'string', 'maxReplicas is the upper limit for the number of replicas to which the autoscaler can scale up.', (o) => numberAt(specOf(o), 'maxReplicas') ?? 0),
    column('Replicas', 'string', 'currentReplicas is current number of replicas of pods managed by this autoscaler, as last seen by the autoscaler.', (o) => numberAt(statusOf(o), 'currentReplicas') ?? 0),
    ageColumn,
  ];
}

export const horizontalpodautoscalersV2 = defineResource({
  group: 'autoscaling',
  version: 'v2',
  kind: 'HorizontalPodAutoscaler',
  plural: 'horizontalpodautoscalers',
  singular: 'horizontalpodautoscaler',
  namespaced: true,
  shortNames: ['hpa'],
  categories: ['all'],
  subresources: ['status'],
  strategy: {
    generationFields: ['spec'],
    defaults(obj) {
      const spec = ensureObject(obj, 'spec');
      if (spec) defaultHpaSpec(spec);
    },
    prepareForCreate(obj) {
      obj.status = { currentReplicas: 0, desiredReplicas: 0 };
    },
    prepareForUpdate(next, old) {
      next.status = old.status;
    },
    validate: (obj) => validateHpaSpec(objectAt(obj, 'spec')),
  },
  tableColumns: hpaColumns(),
});
