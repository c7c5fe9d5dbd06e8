/**
 * Pods, with the defaulting the real server (and its default admission plugins) applies:
 * PodSpec defaults, the default service account, priority 0, enableServiceLinks, the
 * not-ready/unreachable tolerations, requests defaulted from limits; status Pending with
 * its QoS class. Running them is the kubelet's business (a later piece).
 */
import { arrayAt, defaultTo, ensureObject, isObject, objectAt, stringAt, type KubeObject } from '../object.js';
import { defineResource } from '../resource.js';
import { ageColumn } from '../table.js';
import { column } from './columns.js';
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
  const tolerations = (arrayAt(spec, 'tolerations') ?? []).slice();
  for (const key of defaultTolerations) {
    const has = tolerations.some((t) => isObject(t) && t.key === key && (t.effect === 'NoExecute' || t.effect === undefined));
    if (!has) tolerations.push({ key, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 });
  }
  spec.tolerations = tolerations;
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

function phaseCell(o: KubeObject): string {
  if (o.metadata.deletionTimestamp) return 'Terminating';
  const status = statusOf(o);
  return stringAt(status, 'reason') ?? stringAt(status, 'phase') ?? 'Unknown';
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
      obj.status = { phase: 'Pending', qosClass: qosClassOf(spec) };
    },
    prepareForUpdate(next, old) {
      next.status = old.status;
    },
    validate: (obj) => validatePodSpec(objectAt(obj, 'spec'), 'spec'),
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
