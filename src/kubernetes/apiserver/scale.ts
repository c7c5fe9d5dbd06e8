/**
 * The scale subresource (autoscaling/v1 Scale) of kinds with `spec.replicas`: a view of
 * the object for reads, and a write that changes only spec.replicas.
 */
import { invalidError } from './field-errors.js';
import { asKubeObject, clone, ensureObject, isObject, numberAt, objectAt, type KubeObject } from './object.js';
import { labelSelectorText } from './resources/label-selector-text.js';

/** An autoscaling/v1 Scale describing `obj` with the given counts. */
export function scaleView(obj: KubeObject, replicas: number, statusReplicas: number, selector?: string): KubeObject {
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
    spec: { replicas },
    status: { replicas: statusReplicas, ...(selector !== undefined ? { selector } : {}) },
  };
}

/**
 * `current` with the replicas of a Scale body written by `setReplicas`, the Scale's
 * resourceVersion (if any) carried over as the write's precondition.
 */
export function withScaleReplicas(
  current: KubeObject,
  scaleBody: unknown,
  setReplicas: (next: KubeObject, replicas: number) => void,
): KubeObject {
  const scale = asKubeObject(scaleBody, 'autoscaling/v1', 'Scale');
  const replicas = isObject(scale.spec) ? scale.spec.replicas : undefined;
  if (typeof replicas !== 'number' || !Number.isInteger(replicas) || replicas < 0) {
    throw invalidError('autoscaling', 'Scale', current.metadata.name ?? '', [
      { type: 'Invalid', field: 'spec.replicas', value: replicas, detail: 'must be greater than or equal to 0' },
    ]);
  }
  const next = clone(current);
  setReplicas(next, replicas);
  next.metadata.resourceVersion = scale.metadata.resourceVersion || current.metadata.resourceVersion;
  return next;
}

export function scaleOf(obj: KubeObject): KubeObject {
  const spec = objectAt(obj, 'spec') ?? {};
  const status = objectAt(obj, 'status') ?? {};
  return scaleView(
    obj,
    numberAt(spec, 'replicas') ?? 0,
    numberAt(status, 'replicas') ?? 0,
    labelSelectorText(objectAt(spec, 'selector')),
  );
}

/** The object with the Scale's replicas (and its resourceVersion as a precondition). */
export function applyScale(current: KubeObject, scaleBody: unknown): KubeObject {
  return withScaleReplicas(current, scaleBody, (next, replicas) => {
    const spec = ensureObject(next, 'spec');
    if (spec) spec.replicas = replicas;
  });
}
