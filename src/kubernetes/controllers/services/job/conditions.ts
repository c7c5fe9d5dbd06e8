/** Job conditions as the 1.33 job controller writes them. */
import { arrayAt, isObject, type JsonObject } from '../../../apiserver/object.js';
import { rfc3339 } from '../../../apiserver/time.js';

export interface JobCondition {
  type: string;
  status: 'True' | 'False';
  reason: string;
  message: string;
}

export const reasons = {
  backoffLimitExceeded: { reason: 'BackoffLimitExceeded', message: 'Job has reached the specified backoff limit' },
  deadlineExceeded: { reason: 'DeadlineExceeded', message: 'Job was active longer than specified deadline' },
  completionsReached: { reason: 'CompletionsReached', message: 'Reached expected number of succeeded pods' },
  suspended: { reason: 'JobSuspended', message: 'Job suspended' },
  resumed: { reason: 'JobResumed', message: 'Job resumed' },
} as const;

export function conditionsOf(status: JsonObject): JsonObject[] {
  return (arrayAt(status, 'conditions') ?? []).filter(isObject);
}

export function findCondition(status: JsonObject, type: string): JsonObject | undefined {
  return conditionsOf(status).find((c) => c.type === type);
}

export const isTrue = (status: JsonObject, type: string): boolean => findCondition(status, type)?.status === 'True';

/** Set a condition; the transition time moves only when the status does. */
export function setCondition(status: JsonObject, c: JobCondition, now: number): void {
  const list = conditionsOf(status);
  const existing = list.find((x) => x.type === c.type);
  const at = rfc3339(now);
  if (existing) {
    if (existing.status !== c.status) existing.lastTransitionTime = at;
    existing.status = c.status;
    existing.reason = c.reason;
    existing.message = c.message;
    existing.lastProbeTime = at;
  } else {
    list.push({ type: c.type, status: c.status, lastProbeTime: at, lastTransitionTime: at, reason: c.reason, message: c.message });
  }
  status.conditions = list;
}

/** The job has ended: Complete or Failed is True. */
export const isFinished = (status: JsonObject): boolean => isTrue(status, 'Complete') || isTrue(status, 'Failed');
