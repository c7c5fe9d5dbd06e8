/**
 * A StatefulSet pod's stable identity: name `<set>-<ordinal>`, hostname and subdomain,
 * the pod-name / pod-index / controller-revision-hash labels, and a claim per
 * volumeClaimTemplate named `<template>-<set>-<ordinal>` mounted in place of the
 * template's volume of the same name.
 */
import { arrayAt, clone, isObject, objectAt, stringAt, type JsonObject, type KubeObject, type OwnerReference } from '../../../apiserver/object.js';
import { statefulsets } from '../../../apiserver/resources/statefulsets.js';
import { controllerRefTo } from '../shared/owners.js';
import { specOf } from '../shared/pod-state.js';
import { podFromTemplate } from '../shared/pod-template.js';

export const podNameLabel = 'statefulset.kubernetes.io/pod-name';
export const podIndexLabel = 'apps.kubernetes.io/pod-index';
export const revisionLabel = 'controller-revision-hash';

/** The ordinal of a pod named `<set>-<n>`, or undefined when it is not the set's. */
export function ordinalOf(set: KubeObject, pod: KubeObject): number | undefined {
  const prefix = `${set.metadata.name ?? ''}-`;
  const name = pod.metadata.name ?? '';
  if (!name.startsWith(prefix)) return undefined;
  const rest = name.slice(prefix.length);
  return /^(0|[1-9]\d*)$/.test(rest) ? Number(rest) : undefined;
}

/** The first ordinal (spec.ordinals.start, default 0). */
export const startOrdinal = (set: KubeObject): number => {
  const start = objectAt(specOf(set), 'ordinals')?.start;
  return typeof start === 'number' ? start : 0;
};

export const claimTemplates = (set: KubeObject): JsonObject[] => (arrayAt(specOf(set), 'volumeClaimTemplates') ?? []).filter(isObject);
export const claimName = (template: JsonObject, set: KubeObject, ordinal: number): string =>
  `${stringAt(objectAt(template, 'metadata') ?? {}, 'name') ?? ''}-${set.metadata.name ?? ''}-${ordinal}`;

export function newStatefulPod(set: KubeObject, template: JsonObject, ordinal: number, revisionName: string): KubeObject {
  const name = `${set.metadata.name ?? ''}-${ordinal}`;
  const pod = podFromTemplate({
    template,
    namespace: set.metadata.namespace ?? '',
    owner: controllerRefTo(set, statefulsets),
    name,
    extraLabels: { [podNameLabel]: name, [podIndexLabel]: String(ordinal), [revisionLabel]: revisionName },
  });
  const spec = specOf(pod);
  spec.hostname = name;
  const service = stringAt(specOf(set), 'serviceName');
  if (service) spec.subdomain = service;
  const claims = claimTemplates(set);
  if (claims.length > 0) {
    const byName = new Map<string, JsonObject>();
    for (const v of (arrayAt(spec, 'volumes') ?? []).filter(isObject)) byName.set(String(v.name), v);
    for (const c of claims) {
      const volName = stringAt(objectAt(c, 'metadata') ?? {}, 'name') ?? '';
      byName.set(volName, { name: volName, persistentVolumeClaim: { claimName: claimName(c, set, ordinal) } });
    }
    spec.volumes = [...byName.values()];
  }
  return pod;
}

/** The claim for one template and ordinal; owned by the set only when whenDeleted is Delete. */
export function newClaim(set: KubeObject, template: JsonObject, ordinal: number): KubeObject {
  const meta = objectAt(template, 'metadata') ?? {};
  const selectorLabels = (objectAt(objectAt(specOf(set), 'selector') ?? {}, 'matchLabels') ?? {}) as Record<string, string>;
  const labels = { ...((objectAt(meta, 'labels') ?? {}) as Record<string, string>), ...selectorLabels };
  const annotations = objectAt(meta, 'annotations') as Record<string, string> | undefined;
  const retention = objectAt(specOf(set), 'persistentVolumeClaimRetentionPolicy') ?? {};
  const owners: OwnerReference[] =
    retention.whenDeleted === 'Delete' ? [{ apiVersion: statefulsets.apiVersion, kind: statefulsets.kind, name: set.metadata.name ?? '', uid: set.metadata.uid ?? '' }] : [];
  return {
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    metadata: {
      name: claimName(template, set, ordinal),
      namespace: set.metadata.namespace ?? '',
      labels,
      ...(annotations ? { annotations: clone(annotations) } : {}),
      ...(owners.length > 0 ? { ownerReferences: owners } : {}),
    },
    spec: clone(objectAt(template, 'spec') ?? {}),
  };
}
