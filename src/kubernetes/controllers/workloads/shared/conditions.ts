/** Status conditions as the apps controllers keep them (type, status, reason, message, times). */
import { arrayAt, isObject, type JsonObject } from '../../../apiserver/object.js';
import { rfc3339 } from '../../../apiserver/time.js';

export interface Condition {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  reason: string;
  message: string;
  lastUpdateTime?: string;
  lastTransitionTime: string;
}

export const conditionsOf = (status: JsonObject): Condition[] => (arrayAt(status, 'conditions') ?? []).filter(isObject) as unknown as Condition[];

export const findCondition = (conditions: readonly Condition[], type: string): Condition | undefined => conditions.find((c) => c.type === type);

export function newCondition(type: string, status: Condition['status'], reason: string, message: string, now: number, withUpdateTime = true): Condition {
  const t = rfc3339(now);
  return withUpdateTime ? { type, status, reason, message, lastUpdateTime: t, lastTransitionTime: t } : { type, status, reason, message, lastTransitionTime: t };
}

/**
 * Set a condition: one with the same status and reason already there is kept as it is
 * (upstream's SetDeploymentCondition); with the same status its transition time is kept.
 */
export function setCondition(conditions: readonly Condition[], c: Condition): Condition[] {
  const current = findCondition(conditions, c.type);
  if (current && current.status === c.status && current.reason === c.reason) return [...conditions];
  const next = current && current.status === c.status ? { ...c, lastTransitionTime: current.lastTransitionTime } : c;
  return [...conditions.filter((x) => x.type !== c.type), next];
}

export const removeCondition = (conditions: readonly Condition[], type: string): Condition[] => conditions.filter((c) => c.type !== type);
