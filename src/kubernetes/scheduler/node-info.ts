/**
 * The scheduler's view of one node: what it offers (allocatable, labels, taints) and
 * what the pods bound or assumed onto it already take. Kept up to date incrementally
 * from the node and pod informers, so a filter reads plain numbers.
 */
import { arrayAt, isObject, objectAt, stringAt, type KubeObject } from '../apiserver/object.js';
import { parseQuantity } from '../apiserver/resources/quantity.js';
import type { HostPort, PodInfo } from './pod-info.js';

export interface Taint {
  key: string;
  value: string;
  effect: string;
}

export const zoneLabel = 'topology.kubernetes.io/zone';
export const hostnameLabel = 'kubernetes.io/hostname';

export class NodeInfo {
  /** Whether a Node object exists; a slot can outlive it while its pods are still cached. */
  present = false;
  labels: Readonly<Record<string, string>> = {};
  zone = '';
  taints: Taint[] = [];
  unschedulable = false;
  allocCpu = 0;
  allocMemory = 0;
  allocEphemeral = 0;
  allocPods = 0;
  reqCpu = 0;
  reqMemory = 0;
  reqEphemeral = 0;
  nonZeroCpu = 0;
  nonZeroMemory = 0;
  ports: HostPort[] = [];
  readonly pods = new Set<PodInfo>();

  constructor(
    /** Index into per-node arrays (match counts); stable for the node's name. */
    readonly slot: number,
    readonly name: string,
  ) {}

  /** Take the node object's labels, taints and allocatable; true when any of them changed. */
  setNode(node: KubeObject): boolean {
    const spec = objectAt(node, 'spec') ?? {};
    const alloc = objectAt(objectAt(node, 'status') ?? {}, 'allocatable') ?? {};
    const labels = node.metadata.labels ?? {};
    const taints = (arrayAt(spec, 'taints') ?? []).filter(isObject).map((t) => ({
      key: stringAt(t, 'key') ?? '',
      value: stringAt(t, 'value') ?? '',
      effect: stringAt(t, 'effect') ?? '',
    }));
    const cpu = Math.ceil((parseQuantity(alloc.cpu) ?? 0) * 1000 - 1e-9);
    const memory = Math.floor(parseQuantity(alloc.memory) ?? 0);
    const ephemeral = Math.floor(parseQuantity(alloc['ephemeral-storage']) ?? 0);
    const pods = Math.floor(parseQuantity(alloc.pods) ?? 0);
    const unschedulable = spec.unschedulable === true;
    const changed =
      !this.present ||
      cpu !== this.allocCpu ||
      memory !== this.allocMemory ||
      ephemeral !== this.allocEphemeral ||
      pods !== this.allocPods ||
      unschedulable !== this.unschedulable ||
      JSON.stringify(taints) !== JSON.stringify(this.taints) ||
      JSON.stringify(labels) !== JSON.stringify(this.labels);
    this.present = true;
    this.labels = labels;
    this.zone = labels[zoneLabel] ?? '';
    this.taints = taints;
    this.unschedulable = unschedulable;
    this.allocCpu = cpu;
    this.allocMemory = memory;
    this.allocEphemeral = ephemeral;
    this.allocPods = pods;
    return changed;
  }

  addPod(pod: PodInfo): void {
    this.pods.add(pod);
    this.account(pod, 1);
    for (const p of pod.hostPorts) this.ports.push(p);
  }

  removePod(pod: PodInfo): void {
    if (!this.pods.delete(pod)) return;
    this.account(pod, -1);
    if (pod.hostPorts.length > 0) this.ports = this.ports.filter((p) => !pod.hostPorts.includes(p));
  }

  private account(pod: PodInfo, sign: 1 | -1): void {
    this.reqCpu += sign * pod.requests.cpu;
    this.reqMemory += sign * pod.requests.memory;
    this.reqEphemeral += sign * pod.requests.ephemeral;
    this.nonZeroCpu += sign * pod.nonZero.cpu;
    this.nonZeroMemory += sign * pod.nonZero.memory;
  }
}
