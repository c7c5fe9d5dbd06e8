/** A pod from a workload's template (upstream's GetPodFromTemplate). */
import { clone, objectAt, type JsonObject, type KubeObject, type OwnerReference } from '../../../apiserver/object.js';

export const templateOf = (spec: JsonObject): JsonObject => objectAt(spec, 'template') ?? {};
export const templateMeta = (template: JsonObject): JsonObject => objectAt(template, 'metadata') ?? {};
export const templateLabels = (template: JsonObject): Record<string, string> => (objectAt(templateMeta(template), 'labels') ?? {}) as Record<string, string>;

export interface PodFromTemplate {
  template: JsonObject;
  namespace: string;
  owner: OwnerReference;
  /** Either a fixed name (StatefulSet ordinals) or a generateName prefix. */
  name?: string;
  generateName?: string;
  extraLabels?: Record<string, string>;
}

export function podFromTemplate(p: PodFromTemplate): KubeObject {
  const meta = templateMeta(p.template);
  const labels = { ...templateLabels(p.template), ...(p.extraLabels ?? {}) };
  const annotations = objectAt(meta, 'annotations');
  const finalizers = Array.isArray(meta.finalizers) ? (meta.finalizers as string[]) : undefined;
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      ...(p.name ? { name: p.name } : { generateName: p.generateName ?? '' }),
      namespace: p.namespace,
      labels,
      ...(annotations ? { annotations: clone(annotations) as Record<string, string> } : {}),
      ...(finalizers ? { finalizers: [...finalizers] } : {}),
      ownerReferences: [p.owner],
    },
    spec: clone(objectAt(p.template, 'spec') ?? {}),
  };
}
