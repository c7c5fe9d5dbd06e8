/**
 * Taints and tolerations as the node lifecycle and taint-eviction controllers read them
 * (core/v1 helpers ToleratesTaint, GetMatchingTolerations): plain data, no I/O.
 */
import { arrayAt, isObject, objectAt, stringAt, type KubeObject } from '../../apiserver/object.js';

export interface Taint {
  key: string;
  value?: string;
  effect: string;
  timeAdded?: string;
}

export interface Toleration {
  key?: string;
  operator?: string;
  value?: string;
  effect?: string;
  tolerationSeconds?: number;
}

export const notReadyTaintKey = 'node.kubernetes.io/not-ready';
export const unreachableTaintKey = 'node.kubernetes.io/unreachable';
export const unschedulableTaintKey = 'node.kubernetes.io/unschedulable';

export function taintsOf(node: KubeObject): Taint[] {
  return (arrayAt(objectAt(node, 'spec') ?? {}, 'taints') ?? []).filter(isObject).map((t) => {
    const taint: Taint = { key: stringAt(t, 'key') ?? '', effect: stringAt(t, 'effect') ?? '' };
    const value = stringAt(t, 'value');
    if (value !== undefined) taint.value = value;
    const added = stringAt(t, 'timeAdded');
    if (added !== undefined) taint.timeAdded = added;
    return taint;
  });
}

export function tolerationsOf(pod: KubeObject): Toleration[] {
  return (arrayAt(objectAt(pod, 'spec') ?? {}, 'tolerations') ?? []).filter(isObject).map((t) => {
    const tol: Toleration = {};
    for (const f of ['key', 'operator', 'value', 'effect'] as const) {
      const v = stringAt(t, f);
      if (v !== undefined) tol[f] = v;
    }
    if (typeof t.tolerationSeconds === 'number') tol.tolerationSeconds = t.tolerationSeconds;
    return tol;
  });
}

/** Whether a toleration tolerates a taint: same effect (or any), same key (or any with Exists), value per operator. */
export function tolerates(t: Toleration, taint: Taint): boolean {
  if (t.effect && t.effect !== taint.effect) return false;
  const operator = t.operator || 'Equal';
  if (t.key && t.key !== taint.key) return false;
  if (!t.key && operator !== 'Exists') return false;
  if (operator === 'Exists') return true;
  return operator === 'Equal' && (t.value ?? '') === (taint.value ?? '');
}

/** The same taint by key and effect (the identity upstream uses when swapping taints). */
export const sameTaint = (a: Taint, b: Taint): boolean => a.key === b.key && a.effect === b.effect;
