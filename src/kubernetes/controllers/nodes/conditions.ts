/** Reading and writing the `conditions` lists of node and pod status. */
import { arrayAt, isObject, objectAt, stringAt, type JsonObject, type KubeObject } from '../../apiserver/object.js';

export function conditionsOf(o: KubeObject): JsonObject[] {
  return (arrayAt(objectAt(o, 'status') ?? {}, 'conditions') ?? []).filter(isObject);
}

export function conditionStatus(o: KubeObject, type: string): string | undefined {
  const c = conditionsOf(o).find((x) => x.type === type);
  return c ? stringAt(c, 'status') : undefined;
}

/** A pod is Ready when its Ready condition is True (podutil.IsPodReady). */
export const isPodReady = (pod: KubeObject): boolean => conditionStatus(pod, 'Ready') === 'True';

export function podPhase(pod: KubeObject): string {
  return stringAt(objectAt(pod, 'status') ?? {}, 'phase') ?? '';
}

export const isPodTerminal = (pod: KubeObject): boolean => {
  const phase = podPhase(pod);
  return phase === 'Succeeded' || phase === 'Failed';
};

export const nodeNameOf = (pod: KubeObject): string => stringAt(objectAt(pod, 'spec') ?? {}, 'nodeName') ?? '';

/** Replace (or append) the condition of `next.type`; the transition time moves only when the status does. */
export function withCondition(conditions: readonly JsonObject[], next: JsonObject, now: string): JsonObject[] {
  const out = conditions.map((c) => ({ ...c }));
  const i = out.findIndex((c) => c.type === next.type);
  const old = i >= 0 ? out[i] : undefined;
  const merged: JsonObject = { ...next, lastTransitionTime: old && old.status === next.status ? (old.lastTransitionTime ?? now) : now };
  if (i >= 0) out[i] = merged;
  else out.push(merged);
  return out;
}
