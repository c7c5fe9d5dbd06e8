/**
 * HorizontalPodAutoscalers at autoscaling/v1: a view of the autoscaling/v2 objects (the
 * hub they are stored as). targetCPUUtilizationPercentage is the v2 CPU utilization
 * metric; what v1 cannot express (other metrics, behavior, conditions) is kept from the
 * stored object when a v1 client writes, instead of the real server's annotations.
 */
import { invalid, type FieldError } from '../field-errors.js';
import { arrayAt, isObject, numberAt, objectAt, type JsonObject, type KubeObject } from '../object.js';
import { defineResource, type VersionConversion } from '../resource.js';
import { defaultCpuMetric, hpaColumns, horizontalpodautoscalersV2 } from './hpa-v2.js';
import { specOf, statusOf } from './workload.js';

const isCpuUtilization = (m: unknown, key: 'target' | 'current'): boolean => {
  if (!isObject(m) || m.type !== 'Resource') return false;
  const r = objectAt(m, 'resource') ?? {};
  const value = objectAt(r, key) ?? {};
  return r.name === 'cpu' && (key === 'current' ? value.averageUtilization !== undefined : value.type === 'Utilization');
};

const cpuTarget = (metrics: unknown[]): number | undefined => {
  const m = metrics.find((x) => isCpuUtilization(x, 'target'));
  return m ? numberAt(objectAt(objectAt(m as JsonObject, 'resource') ?? {}, 'target') ?? {}, 'averageUtilization') : undefined;
};

const cpuCurrent = (metrics: unknown[]): number | undefined => {
  const m = metrics.find((x) => isCpuUtilization(x, 'current'));
  return m ? numberAt(objectAt(objectAt(m as JsonObject, 'resource') ?? {}, 'current') ?? {}, 'averageUtilization') : undefined;
};

/** Copy the listed keys that are set. */
function pick(from: JsonObject, keys: readonly string[]): JsonObject {
  const out: JsonObject = {};
  for (const k of keys) if (from[k] !== undefined) out[k] = from[k];
  return out;
}

/** v2 → v1. */
function fromStorage(v2: KubeObject): KubeObject {
  const spec = specOf(v2);
  const status = objectAt(v2, 'status');
  const out: KubeObject = { ...v2, apiVersion: 'autoscaling/v1', kind: 'HorizontalPodAutoscaler' };
  const v1Spec = pick(spec, ['scaleTargetRef', 'minReplicas', 'maxReplicas']);
  const target = cpuTarget(arrayAt(spec, 'metrics') ?? []);
  if (target !== undefined) v1Spec.targetCPUUtilizationPercentage = target;
  out.spec = v1Spec;
  if (status) {
    const v1Status = pick(status, ['observedGeneration', 'lastScaleTime', 'currentReplicas', 'desiredReplicas']);
    const current = cpuCurrent(arrayAt(status, 'currentMetrics') ?? []);
    if (current !== undefined) v1Status.currentCPUUtilizationPercentage = current;
    out.status = v1Status;
  }
  return out;
}

/** Put the CPU entry where the stored list had it, or at the end. */
function withCpu(stored: unknown[], key: 'target' | 'current', cpu: JsonObject | undefined): unknown[] {
  const at = stored.findIndex((m) => isCpuUtilization(m, key));
  const others = stored.filter((_, i) => i !== at);
  if (!cpu) return others;
  if (at < 0) return [...others, cpu];
  return [...others.slice(0, at), cpu, ...others.slice(at)];
}

/** v1 → v2, keeping from the stored object what v1 has no field for. */
function toStorage(v1: KubeObject, stored: KubeObject | undefined): KubeObject {
  const spec = specOf(v1);
  const storedSpec = stored ? specOf(stored) : {};
  const storedStatus = stored ? statusOf(stored) : {};
  const target = spec.targetCPUUtilizationPercentage;
  const v2Spec: JsonObject = pick(spec, ['scaleTargetRef', 'minReplicas', 'maxReplicas']);
  const metrics = withCpu(arrayAt(storedSpec, 'metrics') ?? [], 'target', typeof target === 'number' ? defaultCpuMetric(target) : undefined);
  if (metrics.length) v2Spec.metrics = metrics;
  if (storedSpec.behavior !== undefined) v2Spec.behavior = storedSpec.behavior;
  const out: KubeObject = { ...v1, apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', spec: v2Spec };
  const status = objectAt(v1, 'status');
  if (status) {
    const v2Status = pick(status, ['observedGeneration', 'lastScaleTime', 'currentReplicas', 'desiredReplicas']);
    const current = status.currentCPUUtilizationPercentage;
    const cpuNow = typeof current === 'number' ? { type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: current } } } : undefined;
    const currentMetrics = withCpu(arrayAt(storedStatus, 'currentMetrics') ?? [], 'current', cpuNow);
    if (currentMetrics.length) v2Status.currentMetrics = currentMetrics;
    if (storedStatus.conditions !== undefined) v2Status.conditions = storedStatus.conditions;
    out.status = v2Status;
  }
  return out;
}

const conversion: VersionConversion = { storage: horizontalpodautoscalersV2, toStorage, fromStorage };

/** v1's own rule, with its own field path: the v2 check would name spec.metrics. */
function validateV1(obj: KubeObject): FieldError[] {
  const t = specOf(obj).targetCPUUtilizationPercentage;
  if (t === undefined || t === null) return [];
  return typeof t === 'number' && Number.isInteger(t) && t >= 1 ? [] : [invalid('spec.targetCPUUtilizationPercentage', t, 'must be greater than or equal to 1')];
}

export const horizontalpodautoscalersV1 = defineResource({
  group: 'autoscaling',
  version: 'v1',
  kind: 'HorizontalPodAutoscaler',
  plural: 'horizontalpodautoscalers',
  singular: 'horizontalpodautoscaler',
  namespaced: true,
  shortNames: ['hpa'],
  categories: ['all'],
  subresources: ['status'],
  conversion,
  strategy: { validate: validateV1 },
  tableColumns: hpaColumns((o) => toStorage(o, undefined)),
});
