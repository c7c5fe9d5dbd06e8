/**
 * Deleting a pod that a controller judged from its cache. The pod first gets the
 * DisruptionTarget condition saying why, as upstream's controllers write it. The delete
 * carries the pod's uid as a precondition, so a new pod that has taken the name since is
 * never deleted in its place; NotFound or Conflict then means the judged pod is gone or
 * replaced, and there is nothing left to act on.
 */
import { objectAt, type KubeObject } from '../../apiserver/object.js';
import type { Registry } from '../../apiserver/registry.js';
import { pods } from '../../apiserver/resources/pods.js';
import { StatusError } from '../../apiserver/status.js';
import { rfc3339 } from '../../apiserver/time.js';
import { conditionsOf, withCondition } from './conditions.js';

export interface DisruptionReason {
  reason: string;
  message: string;
  /** A phase to write with the condition (Failed, for a pod no kubelet will finish). */
  phase?: string;
}

export async function markDisruptionTarget(registry: Registry, namespace: string | undefined, name: string, why: DisruptionReason, now: number): Promise<void> {
  const at = rfc3339(now);
  await registry.updateWith(
    pods,
    namespace,
    name,
    (current) => {
      const conditions = withCondition(conditionsOf(current), { type: 'DisruptionTarget', status: 'True', reason: why.reason, message: why.message }, at);
      return { ...current, status: { ...(objectAt(current, 'status') ?? {}), ...(why.phase ? { phase: why.phase } : {}), conditions } };
    },
    { subresource: 'status' },
  );
}

export async function deleteJudgedPod(registry: Registry, pod: KubeObject, gracePeriodSeconds?: number): Promise<void> {
  await registry.delete(pods, pod.metadata.namespace, pod.metadata.name ?? '', {
    ...(gracePeriodSeconds === undefined ? {} : { gracePeriodSeconds }),
    preconditions: { uid: pod.metadata.uid ?? '' },
  });
}

export const isGoneOrReplaced = (e: unknown): boolean => e instanceof StatusError && (e.status.reason === 'NotFound' || e.status.reason === 'Conflict');
