/**
 * The scale subresource (autoscaling/v1 Scale) of kinds with `spec.replicas`: a view of
 * the object for reads, and a write that changes only spec.replicas.
 */
import { invalidError } from './field-errors.js';
import { asKubeObject, clone, ensureObject, isObject, numberAt, objectAt, type KubeObject } from './object.js';
import { labelSelectorText } from './resources/label-selector-text.js';

export function scaleOf(obj: KubeObject): KubeObject {
  const spec = objectAt(obj, 'spec') ?? {};
  const status = objectAt(obj, 'status') ?? {};
  const m = obj.metadata;
  return {
    kind: 'Scale',
    apiVersion: 'autoscaling/v1',
    metadata: {
      name: m.name,
      ...(m.namespace ? { namespace: m.namespace } : {}),
      uid: m.uid,
      resourceVersion: m.resourceVersion,
      creationTimestamp: m.creationTimestamp,
    },
    spec: { replicas: numberAt(spec, 'replicas') ?? 0 },
    status: { replicas: numberAt(status, 'replicas') ?? 0, selector: labelSelectorText(objectAt(spec, 'selector')) },
  };
}

/** The object with the Scale's replicas (and its resourceVersion as a precondition). */
export function applyScale(current: KubeObject, scaleBody: unknown): KubeObject {
  const scale = asKubeObject(scaleBody, 'autoscaling/v1', 'Scale');
  const replicas = isObject(scale.spec) ? scale.spec.replicas : undefined;
  if (typeof replicas !== 'number' || !Number.isInteger(replicas) || replicas < 0) {
    throw invalidError('autoscaling', 'Scale', current.metadata.name ?? '', [
      { type: 'Invalid', field: 'spec.replicas', value: replicas, detail: 'must be greater than or equal to 0' },
    ]);
  }
  const next = clone(current);
  const spec = ensureObject(next, 'spec');
  if (spec) spec.replicas = replicas;
  next.metadata.resourceVersion = scale.metadata.resourceVersion || current.metadata.resourceVersion;
  return next;
}
