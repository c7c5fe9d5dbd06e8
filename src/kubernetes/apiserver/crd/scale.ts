/**
 * The scale subresource of a kind: the built-in one (spec.replicas, spec.selector) or a
 * custom resource's, read and written at the CRD's specReplicasPath, statusReplicasPath
 * and labelSelectorPath.
 */
import type { KubeObject } from '../object.js';
import type { ResourceDefinition } from '../resource.js';
import { applyScale, scaleOf, scaleView, withScaleReplicas } from '../scale.js';
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
      const selector = paths.labelSelectorPath ? evaluateJsonPath(obj, paths.labelSelectorPath)[0] : undefined;
      return scaleView(
        obj,
        intAt(obj, paths.specReplicasPath),
        intAt(obj, paths.statusReplicasPath),
        typeof selector === 'string' ? selector : undefined,
      );
    },
    apply: (current, scaleBody) =>
      withScaleReplicas(current, scaleBody, (next, replicas) => setAtPath(next, paths.specReplicasPath, replicas)),
  };
}
