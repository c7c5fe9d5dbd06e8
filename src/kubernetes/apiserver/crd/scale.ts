/**
 * The scale subresource of a kind: the built-in one (spec.replicas, spec.selector) or a
 * custom resource's, read and written at the CRD's specReplicasPath, statusReplicasPath
 * and labelSelectorPath.
 */
import { invalidError } from '../field-errors.js';
import { asKubeObject, clone, isObject, type KubeObject } from '../object.js';
import type { ResourceDefinition } from '../resource.js';
import { applyScale, scaleOf } from '../scale.js';
import type { ScalePaths } from './crd-model.js';
import { evaluateJsonPath, setAtPath } from './json-path.js';
import { customResourceInfo } from './served.js';

export interface Scaling {
  of(obj: KubeObject): KubeObject;
  apply(current: KubeObject, scaleBody: unknown): KubeObject;
}

const builtinScaling: Scaling = { of: scaleOf, apply: applyScale };

export function scalingFor(def: ResourceDefinition): Scaling {
  const paths = customResourceInfo(def)?.scale;
  return paths ? customScaling(paths) : builtinScaling;
}

const intAt = (obj: unknown, path: string): number => {
  const v = evaluateJsonPath(obj, path)[0];
  return typeof v === 'number' && Number.isInteger(v) ? v : 0;
};

export function customScaling(paths: ScalePaths): Scaling {
  return {
    of(obj) {
      const m = obj.metadata;
      const selector = paths.labelSelectorPath ? evaluateJsonPath(obj, paths.labelSelectorPath)[0] : undefined;
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
        spec: { replicas: intAt(obj, paths.specReplicasPath) },
        status: { replicas: intAt(obj, paths.statusReplicasPath), ...(typeof selector === 'string' ? { selector } : {}) },
      };
    },
    apply(current, scaleBody) {
      const scale = asKubeObject(scaleBody, 'autoscaling/v1', 'Scale');
      const replicas = isObject(scale.spec) ? scale.spec.replicas : undefined;
      if (typeof replicas !== 'number' || !Number.isInteger(replicas) || replicas < 0) {
        throw invalidError('autoscaling', 'Scale', current.metadata.name ?? '', [
          { type: 'Invalid', field: 'spec.replicas', value: replicas, detail: 'must be greater than or equal to 0' },
        ]);
      }
      const next = clone(current);
      setAtPath(next, paths.specReplicasPath, replicas);
      next.metadata.resourceVersion = scale.metadata.resourceVersion || current.metadata.resourceVersion;
      return next;
    },
  };
}
