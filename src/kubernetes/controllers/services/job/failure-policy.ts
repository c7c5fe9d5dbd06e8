/**
 * spec.podFailurePolicy: the first rule matching a failed pod decides — FailJob ends the
 * job at once, Ignore leaves the failure out of the backoffLimit count, Count counts it
 * (as no policy does), FailIndex is treated as Count (no backoffLimitPerIndex here).
 * onExitCodes looks at terminated containers with a non-zero exit code; onPodConditions
 * at the pod's conditions.
 */
import { arrayAt, isObject, numberAt, objectAt, stringAt, type JsonObject, type KubeObject } from '../../../apiserver/object.js';

export type FailureAction = 'FailJob' | 'Ignore' | 'Count';

export interface FailureDecision {
  action: FailureAction;
  /** For FailJob: the message of the FailureTarget and Failed conditions. */
  message?: string;
}

function terminatedExitCodes(pod: KubeObject, containerName: string | undefined): { name: string; code: number }[] {
  const status = objectAt(pod, 'status') ?? {};
  const out: { name: string; code: number }[] = [];
  for (const field of ['initContainerStatuses', 'containerStatuses']) {
    for (const cs of (arrayAt(status, field) ?? []).filter(isObject)) {
      const name = stringAt(cs, 'name') ?? '';
      if (containerName !== undefined && name !== containerName) continue;
      const terminated = objectAt(objectAt(cs, 'state') ?? {}, 'terminated');
      const code = terminated ? numberAt(terminated, 'exitCode') : undefined;
      if (code !== undefined && code !== 0) out.push({ name, code });
    }
  }
  return out;
}

function matchExitCodes(pod: KubeObject, rule: JsonObject): { name: string; code: number } | undefined {
  const values = (arrayAt(rule, 'values') ?? []).filter((v): v is number => typeof v === 'number');
  const notIn = rule.operator === 'NotIn';
  return terminatedExitCodes(pod, stringAt(rule, 'containerName')).find((c) => values.includes(c.code) !== notIn);
}

function matchConditions(pod: KubeObject, patterns: JsonObject[]): string | undefined {
  const conditions = (arrayAt(objectAt(pod, 'status') ?? {}, 'conditions') ?? []).filter(isObject);
  for (const p of patterns) {
    const want = stringAt(p, 'status') ?? 'True';
    if (conditions.some((c) => c.type === p.type && c.status === want)) return String(p.type);
  }
  return undefined;
}

export function decideFailure(job: KubeObject, pod: KubeObject): FailureDecision {
  const policy = objectAt(objectAt(job, 'spec') ?? {}, 'podFailurePolicy');
  if (!policy) return { action: 'Count' };
  const who = `${pod.metadata.namespace ?? ''}/${pod.metadata.name ?? ''}`;
  const rules = (arrayAt(policy, 'rules') ?? []).filter(isObject);
  for (let i = 0; i < rules.length; i++) {
    const rule = rules[i]!;
    const action = stringAt(rule, 'action') ?? 'Count';
    const onExit = objectAt(rule, 'onExitCodes');
    const onConditions = (arrayAt(rule, 'onPodConditions') ?? []).filter(isObject);
    let message: string | undefined;
    if (onExit) {
      const hit = matchExitCodes(pod, onExit);
      if (!hit) continue;
      message = `Container ${hit.name} for pod ${who} failed with exit code ${hit.code} matching ${action} rule at index ${i}`;
    } else if (onConditions.length > 0) {
      const type = matchConditions(pod, onConditions);
      if (!type) continue;
      message = `Pod ${who} has condition ${type} matching ${action} rule at index ${i}`;
    } else {
      continue;
    }
    if (action === 'FailJob') return { action, message };
    if (action === 'Ignore') return { action };
    return { action: 'Count' };
  }
  return { action: 'Count' };
}
