/**
 * Pods, with the defaulting the real server (and its default admission plugins) applies:
 * PodSpec defaults, the default service account, priority 0, enableServiceLinks, the
 * not-ready/unreachable tolerations, requests defaulted from limits; status Pending with
 * its QoS class. Running them is the kubelet's business (a later piece).
 */
import { arrayAt, defaultTo, ensureObject, isObject, numberAt, objectAt, stringAt, type KubeObject } from '../object.js';
import { defineResource } from '../resource.js';
import { ageColumn } from '../table.js';
import { column } from './columns.js';
import { mountServiceAccountToken } from './service-account-volume.js';
import { containerLists, defaultPodSpec, qosClassOf, validatePodSpec } from './pod-spec.js';

const defaultTolerations = ['node.kubernetes.io/not-ready', 'node.kubernetes.io/unreachable'];

function defaultRequestsFromLimits(spec: Record<string, unknown>): void {
  for (const list of containerLists) {
    for (const c of (arrayAt(spec, list) ?? []).filter(isObject)) {
      const res = objectAt(c, 'resources');
      const limits = res && objectAt(res, 'limits');
      if (!res || !limits) continue;
      const requests = ensureObject(res, 'requests');
      if (!requests) continue;
      for (const [k, v] of Object.entries(limits)) defaultTo(requests, k, v);
    }
  }
}

function admissionDefaults(spec: Record<string, unknown>): void {
  defaultTo(spec, 'serviceAccountName', 'default');
  defaultTo(spec, 'serviceAccount', spec.serviceAccountName);
  defaultTo(spec, 'enableServiceLinks', true);
  if (spec.priorityClassName === undefined) defaultTo(spec, 'priority', 0);
  defaultTo(spec, 'preemptionPolicy', 'PreemptLowerPriority');
  const given = arrayAt(spec, 'tolerations') ?? [];
  // Written only when one is added: a pod that has them (every stored one) is left as it
  // is, and may be shared.
  let tolerations: unknown[] | undefined;
  for (const key of defaultTolerations) {
    // DefaultTolerationSeconds: a key-less Exists toleration already tolerates everything.
    const has = given.some(
      (t) => isObject(t) && (t.effect === 'NoExecute' || t.effect === undefined) && (t.key === key || (!t.key && t.operator === 'Exists')),
    );
    if (!has) (tolerations ??= given.slice()).push({ key, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 });
  }
  if (tolerations) spec.tolerations = tolerations;
}

interface ContainerStatus {
  ready?: boolean;
  restartCount?: number;
}

function statusOf(o: KubeObject): Record<string, unknown> {
  return objectAt(o, 'status') ?? {};
}

function readyCell(o: KubeObject): string {
  const containers = arrayAt(objectAt(o, 'spec') ?? {}, 'containers') ?? [];
  const statuses = (arrayAt(statusOf(o), 'containerStatuses') ?? []).filter(isObject) as ContainerStatus[];
  return `${statuses.filter((s) => s.ready === true).length}/${containers.length}`;
}

const stateOf = (s: Record<string, unknown>, which: 'waiting' | 'running' | 'terminated'): Record<string, unknown> | undefined =>
  objectAt(objectAt(s, 'state') ?? {}, which);

/** `Signal:N` / `ExitCode:N` for a terminated container without a reason, as kubectl prints. */
function terminatedText(t: Record<string, unknown>): string {
  const reason = stringAt(t, 'reason');
  if (reason) return reason;
  const signal = numberAt(t, 'signal');
  return signal ? `Signal:${signal}` : `ExitCode:${numberAt(t, 'exitCode') ?? 0}`;
}

/** What an init container still running or failed says about the pod, or undefined once all are done. */
function initContainerReason(o: KubeObject, status: Record<string, unknown>): string | undefined {
  const total = (arrayAt(objectAt(o, 'spec') ?? {}, 'initContainers') ?? []).length;
  const statuses = (arrayAt(status, 'initContainerStatuses') ?? []).filter(isObject);
  for (const [i, s] of statuses.entries()) {
    const terminated = stateOf(s, 'terminated');
    if (terminated && (numberAt(terminated, 'exitCode') ?? 0) === 0) continue;
    if (terminated) return `Init:${terminatedText(terminated)}`;
    const waiting = stringAt(stateOf(s, 'waiting') ?? {}, 'reason');
    if (waiting && waiting !== 'PodInitializing') return `Init:${waiting}`;
    return `Init:${i}/${total}`;
  }
  return undefined;
}

const conditionTrue = (status: Record<string, unknown>, type: string): boolean =>
  (arrayAt(status, 'conditions') ?? []).some((c) => isObject(c) && c.type === type && c.status === 'True');

/** The STATUS column: the pod's phase refined by its containers' states, as kubectl's printer computes it. */
function phaseCell(o: KubeObject): string {
  const status = statusOf(o);
  const phase = stringAt(status, 'phase') ?? 'Unknown';
  let reason = stringAt(status, 'reason') || phase;
  const init = initContainerReason(o, status);
  if (init) reason = init;
  if (!init || conditionTrue(status, 'Initialized')) {
    let hasRunning = false;
    const statuses = (arrayAt(status, 'containerStatuses') ?? []).filter(isObject);
    for (let i = statuses.length - 1; i >= 0; i--) {
      const s = statuses[i]!;
      const waiting = stringAt(stateOf(s, 'waiting') ?? {}, 'reason');
      const terminated = stateOf(s, 'terminated');
      if (waiting) reason = waiting;
      else if (terminated) reason = terminatedText(terminated);
      else if (s.ready === true && stateOf(s, 'running')) hasRunning = true;
    }
    if (reason === 'Completed' && hasRunning) reason = conditionTrue(status, 'Ready') ? 'Running' : 'NotReady';
  }
  if (o.metadata.deletionTimestamp) {
    if (stringAt(status, 'reason') === 'NodeLost') return 'Unknown';
    if (phase !== 'Succeeded' && phase !== 'Failed') return 'Terminating';
  }
  return reason;
}

function restartsCell(o: KubeObject): string {
  const statuses = (arrayAt(statusOf(o), 'containerStatuses') ?? []).filter(isObject) as ContainerStatus[];
  return String(statuses.reduce((n, s) => n + (typeof s.restartCount === 'number' ? s.restartCount : 0), 0));
}

export const pods = defineResource({
  group: '',
  version: 'v1',
  kind: 'Pod',
  plural: 'pods',
  singular: 'pod',
  namespaced: true,
  shortNames: ['po'],
  categories: ['all'],
  subresources: ['status', 'log', 'exec', 'attach', 'portforward', 'binding', 'eviction'],
  returnDeletedObject: true,
  strategy: {
    defaults(obj) {
      const spec = ensureObject(obj, 'spec');
      if (!spec) return;
      defaultPodSpec(spec);
      defaultRequestsFromLimits(spec);
      admissionDefaults(spec);
    },
    prepareForCreate(obj) {
      const spec = objectAt(obj, 'spec') ?? {};
      mountServiceAccountToken(spec);
      obj.status = { phase: 'Pending', qosClass: qosClassOf(spec) };
    },
    prepareForUpdate(next, old) {
      next.status = old.status;
    },
    validate: (obj) => validatePodSpec(objectAt(obj, 'spec'), 'spec'),
    // A pod on a node is stopped by its kubelet first; one that never ran, or has
    // finished, has nothing to stop and goes at once.
    gracePeriod(obj, requested) {
      const spec = objectAt(obj, 'spec') ?? {};
      const phase = stringAt(objectAt(obj, 'status') ?? {}, 'phase');
      if (!stringAt(spec, 'nodeName') || phase === 'Succeeded' || phase === 'Failed') return 0;
      return requested ?? numberAt(spec, 'terminationGracePeriodSeconds') ?? 30;
    },
  },
  tableColumns: [
    column('Ready', 'string', 'The aggregate readiness state of this pod for accepting traffic.', readyCell),
    column('Status', 'string', 'The aggregate status of the containers in this pod.', phaseCell),
    column('Restarts', 'string', 'The number of times the containers in this pod have been restarted and when the last container in this pod has restarted.', restartsCell),
    ageColumn,
    column('IP', 'string', 'The IP address assigned to the pod', (o) => stringAt(statusOf(o), 'podIP') || '<none>', 1),
    column('Node', 'string', 'The name of the node the pod is assigned to', (o) => stringAt(objectAt(o, 'spec') ?? {}, 'nodeName') || '<none>', 1),
    column('Nominated Node', 'string', 'The node the pod is nominated to run on', (o) => stringAt(statusOf(o), 'nominatedNodeName') || '<none>', 1),
    column('Readiness Gates', 'string', 'The readiness gates of the pod', (o) => {
      const gates = arrayAt(objectAt(o, 'spec') ?? {}, 'readinessGates') ?? [];
      return gates.length ? `0/${gates.length}` : '<none>';
    }, 1),
  ],
});
