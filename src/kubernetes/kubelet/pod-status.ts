/**
 * A pod's status as the kubelet reports it, computed from what the runtime says about
 * its containers: phase, the five conditions (PodScheduled kept from the scheduler),
 * container statuses with state and lastState, IPs, QoS class and start time.
 */
import type { ContainerState } from '../../drivers/runtime/types.js';
import { arrayAt, isObject, objectAt, type JsonObject, type KubeObject } from '../apiserver/object.js';
import { qosClassOf } from '../apiserver/resources/pod-spec.js';
import { rfc3339 } from '../apiserver/time.js';

/** What the kubelet knows about one container of a pod. */
export interface ContainerView {
  name: string;
  init: boolean;
  id?: string;
  image: string;
  imageID?: string;
  state?: ContainerState;
  /** The previous run's end, for lastState. */
  last?: Extract<ContainerState, { state: 'exited' }>;
  lastId?: string;
  restartCount: number;
  ready: boolean;
  /** Waiting reason when not running: ContainerCreating, PodInitializing, CrashLoopBackOff. */
  waiting?: { reason: string; message?: string };
}

export interface PodView {
  containers: ContainerView[];
  podIP?: string;
  hostIP: string;
  startTime: number;
  sandboxReady: boolean;
  /** All init containers have succeeded. */
  initialized: boolean;
  phase: 'Pending' | 'Running' | 'Succeeded' | 'Failed';
}

const cid = (id: string): string => `kos-sim://${id}`;

function stateJson(v: ContainerView): JsonObject {
  const s = v.state;
  if (s?.state === 'running' && !v.waiting) return { running: { startedAt: rfc3339(s.startedAt) } };
  if (s?.state === 'exited' && !v.waiting) return { terminated: terminatedJson(s, v.id) };
  return { waiting: { reason: v.waiting?.reason ?? 'ContainerCreating', ...(v.waiting?.message ? { message: v.waiting.message } : {}) } };
}

function terminatedJson(s: Extract<ContainerState, { state: 'exited' }>, id: string | undefined): JsonObject {
  return {
    exitCode: s.exitCode,
    reason: s.reason,
    ...(s.message ? { message: s.message } : {}),
    startedAt: rfc3339(s.startedAt),
    finishedAt: rfc3339(s.finishedAt),
    ...(id ? { containerID: cid(id) } : {}),
  };
}

function containerStatusJson(v: ContainerView): JsonObject {
  return {
    name: v.name,
    state: stateJson(v),
    // Waiting to restart, the run that just ended is the last state.
    lastState: v.waiting && v.state?.state === 'exited' ? { terminated: terminatedJson(v.state, v.id) } : v.last ? { terminated: terminatedJson(v.last, v.lastId) } : {},
    ready: v.ready,
    restartCount: v.restartCount,
    image: v.image,
    imageID: v.imageID ?? '',
    ...(v.id ? { containerID: cid(v.id) } : {}),
    started: v.state?.state === 'running' && !v.waiting,
  };
}

function condition(type: string, ok: boolean, now: string, old: Map<string, JsonObject>, reason?: string, message?: string): JsonObject {
  const status = ok ? 'True' : 'False';
  const prev = old.get(type);
  return {
    type,
    status,
    lastProbeTime: null,
    lastTransitionTime: prev && prev.status === status && typeof prev.lastTransitionTime === 'string' ? prev.lastTransitionTime : now,
    ...(reason ? { reason } : {}),
    ...(message ? { message } : {}),
  };
}

/** The status to write, given the stored one (for transition times and fields others own). */
export function podStatus(pod: KubeObject, view: PodView, now: number): JsonObject {
  const current = objectAt(pod, 'status') ?? {};
  const old = new Map((arrayAt(current, 'conditions') ?? []).filter(isObject).map((c) => [String(c.type), c]));
  const ts = rfc3339(now);
  const main = view.containers.filter((c) => !c.init);
  const init = view.containers.filter((c) => c.init);
  const unready = main.filter((c) => !c.ready).map((c) => c.name);
  const incompleteInit = init.filter((c) => !(c.state?.state === 'exited' && c.state.exitCode === 0 && !c.waiting)).map((c) => c.name);
  const done = view.phase === 'Succeeded' || view.phase === 'Failed';
  const readyReason = done ? 'PodCompleted' : 'ContainersNotReady';
  const readyMessage = done ? undefined : `containers with unready status: [${unready.join(' ')}]`;
  const conditions = [
    condition('PodReadyToStartContainers', view.sandboxReady && !done, ts, old),
    condition('Initialized', view.initialized, ts, old, view.initialized ? (init.length && done ? 'PodCompleted' : undefined) : 'ContainersNotInitialized', view.initialized ? undefined : `containers with incomplete status: [${incompleteInit.join(' ')}]`),
    condition('Ready', unready.length === 0 && !done, ts, old, unready.length === 0 && !done ? undefined : readyReason, unready.length === 0 && !done ? undefined : readyMessage),
    condition('ContainersReady', unready.length === 0 && !done, ts, old, unready.length === 0 && !done ? undefined : readyReason, unready.length === 0 && !done ? undefined : readyMessage),
  ];
  // Conditions other writers own (PodScheduled, DisruptionTarget, readiness gates) stay.
  const mine = new Set(conditions.map((c) => c.type));
  for (const [type, c] of old) if (!mine.has(type)) conditions.push(c);
  const ip = view.podIP;
  const status: JsonObject = {
    ...current,
    phase: view.phase,
    conditions,
    hostIP: view.hostIP,
    hostIPs: [{ ip: view.hostIP }],
    ...(ip ? { podIP: ip, podIPs: [{ ip }] } : {}),
    startTime: typeof current.startTime === 'string' ? current.startTime : rfc3339(view.startTime),
    qosClass: qosClassOf(objectAt(pod, 'spec') ?? {}),
    containerStatuses: main.map(containerStatusJson),
  };
  if (init.length > 0) status.initContainerStatuses = init.map(containerStatusJson);
  else delete status.initContainerStatuses;
  return status;
}
