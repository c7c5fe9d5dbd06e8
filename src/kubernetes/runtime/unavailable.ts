/**
 * The runtime of a cluster with no kubelet yet: every stream request is refused with the
 * 400 the real server gives for a container that is not running, so clients print a
 * sensible error instead of hanging.
 */
import { arrayAt, isObject, objectAt, stringAt, type KubeObject } from '../apiserver/object.js';
import { badRequest } from '../apiserver/status.js';
import type { ContainerRuntime, RuntimeResolver } from './types.js';

/** The reason a container is waiting, as its status says (ContainerCreating when it says nothing). */
function waitingReason(pod: KubeObject, container: string): string {
  const status = objectAt(pod, 'status') ?? {};
  for (const list of ['containerStatuses', 'initContainerStatuses', 'ephemeralContainerStatuses']) {
    for (const s of (arrayAt(status, list) ?? []).filter(isObject)) {
      if (s.name !== container) continue;
      const waiting = objectAt(objectAt(s, 'state') ?? {}, 'waiting');
      const reason = waiting && stringAt(waiting, 'reason');
      if (reason) return reason;
    }
  }
  return 'ContainerCreating';
}

const notRunning = (pod: KubeObject, container: string): Error =>
  badRequest(`container "${container}" in pod "${pod.metadata.name ?? ''}" is waiting to start: ${waitingReason(pod, container)}`);

export const unavailableRuntime: ContainerRuntime = {
  logs(pod, container) {
    // An async iterable that fails on first read, as the other verbs fail on call.
    return {
      [Symbol.asyncIterator]: () => ({ next: () => Promise.reject(notRunning(pod, container)) }),
    };
  },
  exec: (pod, container) => Promise.reject(notRunning(pod, container)),
  attach: (pod, container) => Promise.reject(notRunning(pod, container)),
  portForward: (pod) => Promise.reject(badRequest(`pod "${pod.metadata.name ?? ''}" has no running container runtime yet`)),
};

export const noRuntime: RuntimeResolver = () => unavailableRuntime;
