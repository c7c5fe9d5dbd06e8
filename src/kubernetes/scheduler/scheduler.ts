/**
 * The scheduler of one cluster: keeps its cache and queue current from the shared pod
 * and node informers, and drains the queue one decision at a time — decide, assume the
 * pod onto its node, bind in the background (pods/binding, as kube-scheduler's binding
 * cycle does) and go on to the next pod without waiting for the write to come back.
 */
import type { Clock } from '../../core/clock.js';
import type { Logger } from '../../core/log.js';
import type { Informer, Reconciler, ReconcileResult } from '../../core/reconcile/index.js';
import { labelSelectorFromObject, type LabelSelector, type LabelSelectorSpec } from '../apimachinery/index.js';
import { isObject, objectAt, stringAt, type KubeObject } from '../apiserver/object.js';
import { sameJson, type Registry } from '../apiserver/registry.js';
import { bindPod } from '../apiserver/resources/pod-subresources.js';
import { pods as podsDef } from '../apiserver/resources/pods.js';
import type { ResourceDefinition } from '../apiserver/resource.js';
import type { EventRecorder } from '../controllers/events.js';
import { ScheduleAlgorithm, type Placement } from './algorithm.js';
import { SchedulerCache } from './cache.js';
import { unschedulableMessage, waitsForPods, type Diagnosis } from './fit-error.js';
import { isTerminal, podInfoFrom, podKeyOf, type PodInfo } from './pod-info.js';
import { SchedulingQueue } from './queue.js';

export const schedulerName = 'default-scheduler';
const component = { component: schedulerName };
/** Binds in flight at once; past this the loop waits for one to finish. */
const maxInFlightBinds = 256;
/** How long the loop runs before it lets informers and binds catch up. */
const sliceMs = 20;

export interface SchedulerOptions {
  registry: Registry;
  clock: Clock;
  log: Logger;
  events: EventRecorder;
  pods: Informer<KubeObject>;
  nodes: Informer<KubeObject>;
  /** Owners whose selectors drive default spreading, by kind (ReplicaSet, StatefulSet, …). */
  owners?: ReadonlyMap<string, { def: ResourceDefinition; informer: Informer<KubeObject> }>;
  seed?: number;
}

const responsible = (pod: KubeObject): boolean => {
  const name = stringAt(objectAt(pod, 'spec') ?? {}, 'schedulerName');
  return name === undefined || name === '' || name === schedulerName;
};
const nodeNameOf = (pod: KubeObject): string => stringAt(objectAt(pod, 'spec') ?? {}, 'nodeName') ?? '';

/**
 * Whether what scheduling reads changed (spec, labels), not just status or resourceVersion.
 * Asked of every update of every pod: compared in place, nothing serialized.
 */
const schedulingInputChanged = (a: KubeObject, b: KubeObject): boolean => !sameJson(a.spec, b.spec) || !sameJson(a.metadata.labels, b.metadata.labels);

export class Scheduler implements Reconciler {
  readonly name = 'scheduler';
  readonly cache = new SchedulerCache();
  readonly queue: SchedulingQueue;
  private readonly algorithm: ScheduleAlgorithm;
  private readonly log: Logger;
  private wakeLoop: () => void = () => undefined;
  private bindsInFlight = 0;
  private bindSlot: (() => void) | undefined;
  private readonly selectors = new Map<string, LabelSelector | undefined>();
  /** Decisions made, and the time each took (ms), for the benchmark. */
  decisions = 0;
  bound = 0;
  onDecision: ((ms: number) => void) | undefined;

  constructor(private readonly opts: SchedulerOptions) {
    this.log = opts.log.child({ component: schedulerName });
    this.queue = new SchedulingQueue(opts.clock, () => this.wakeLoop());
    this.algorithm = new ScheduleAlgorithm(this.cache, (pod) => this.defaultSelector(pod), opts.seed ?? 1);
    opts.nodes.addHandler({
      onAdd: (_k, node) => this.nodeChanged(node),
      onUpdate: (_k, _old, node) => this.nodeChanged(node),
      onDelete: (_k, node) => this.cache.removeNode(node.metadata.name ?? ''),
    });
    opts.pods.addHandler({
      onAdd: (_k, pod) => this.podSeen(undefined, pod),
      onUpdate: (_k, old, pod) => this.podSeen(old, pod),
      onDelete: (_k, pod) => this.podGone(podKeyOf(pod)),
    });
  }

  /** Called by the controller's source: how the queue wakes the loop (undefined: stopped). */
  setWake(wake: (() => void) | undefined): void {
    this.wakeLoop = wake ?? (() => undefined);
    if (wake) this.queue.start();
    else this.queue.close();
  }

  private nodeChanged(node: KubeObject): void {
    if (this.cache.upsertNode(node)) this.queue.moveAllToActiveOrBackoff();
  }

  private podSeen(old: KubeObject | undefined, pod: KubeObject): void {
    const key = podKeyOf(pod);
    const nodeName = nodeNameOf(pod);
    if (nodeName !== '') {
      this.queue.remove(key);
      if (isTerminal(pod)) {
        // A finished pod's requests are free again.
        if (this.cache.removePod(key)) this.queue.moveAllToActiveOrBackoff();
        return;
      }
      const cached = this.cache.pod(key);
      if (cached && !cached.assumed && cached.node.name === nodeName && old && !schedulingInputChanged(old, pod)) return;
      this.cache.addPod(podInfoFrom(pod), false);
      // Bound by someone else (or its labels changed): pods waiting on affinity may fit now.
      if (!cached?.assumed) this.queue.movePodsWaitingForPods();
      return;
    }
    if (!responsible(pod) || pod.metadata.deletionTimestamp) {
      this.queue.remove(key);
      return;
    }
    // An assumed pod whose binding has not come back yet is not pending again.
    if (this.cache.pod(key)?.assumed) return;
    this.queue.addOrUpdate(podInfoFrom(pod), !old || schedulingInputChanged(old, pod));
  }

  private podGone(key: string): void {
    this.queue.remove(key);
    if (this.cache.removePod(key)) this.queue.moveAllToActiveOrBackoff();
  }

  /** The selector of the pod's controlling ReplicaSet or StatefulSet (immutable, so cached). */
  private defaultSelector(pod: PodInfo): LabelSelector | undefined {
    const owner = pod.controller;
    if (!owner) return undefined;
    const source = this.opts.owners?.get(owner.kind);
    if (!source) return undefined;
    const id = `${owner.kind}/${pod.namespace}/${owner.name}`;
    if (this.selectors.has(id)) return this.selectors.get(id);
    const obj = source.informer.get(this.opts.registry.keys.key(source.def, pod.namespace, owner.name));
    if (!obj) return undefined;
    const spec = objectAt(obj, 'spec') ?? {};
    const selector = isObject(spec.selector) ? labelSelectorFromObject(spec.selector as LabelSelectorSpec) : undefined;
    if (this.selectors.size > 10_000) this.selectors.clear();
    this.selectors.set(id, selector);
    return selector;
  }

  /** Drain the active queue, yielding now and then so informers and binds make progress. */
  async reconcile(): Promise<ReconcileResult> {
    let sliceStart = performance.now();
    for (;;) {
      const pod = this.queue.pop();
      if (!pod) break;
      this.scheduleOne(pod);
      if (this.bindsInFlight >= maxInFlightBinds) await new Promise<void>((resolve) => (this.bindSlot = resolve));
      if (performance.now() - sliceStart > sliceMs) {
        await new Promise<void>((resolve) => setImmediate(resolve));
        sliceStart = performance.now();
      }
    }
    return {};
  }

  /** Decide for one pod; binding continues in the background. */
  scheduleOne(pod: PodInfo): void {
    const started = performance.now();
    const result = this.algorithm.schedule(pod);
    this.decisions++;
    this.onDecision?.(performance.now() - started);
    if ('node' in result) this.assumeAndBind(pod, result);
    else this.unschedulable(pod, result);
  }

  private assumeAndBind(pod: PodInfo, placement: Placement): void {
    const node = placement.node.name;
    this.cache.addPod({ ...pod, nodeName: node }, true);
    this.queue.movePodsWaitingForPods();
    this.bindsInFlight++;
    this.bind(pod, node)
      .catch((err: unknown) => {
        // The assumption is void: give the node its resources back and try again later.
        if (this.cache.pod(pod.key)?.assumed) this.cache.removePod(pod.key);
        const reason = isObject(err) && isObject(err.status) ? err.status.reason : undefined;
        if (reason === 'NotFound') this.queue.remove(pod.key);
        else this.queue.retryLater(pod.key);
        this.log.debug({ err, pod: pod.key, node }, 'binding failed');
      })
      .finally(() => {
        this.bindsInFlight--;
        const slot = this.bindSlot;
        this.bindSlot = undefined;
        slot?.();
      });
  }

  private async bind(pod: PodInfo, node: string): Promise<void> {
    const { registry, events } = this.opts;
    await bindPod(registry, pod.namespace, pod.name, { target: { kind: 'Node', name: node } }, false);
    this.queue.done(pod.key);
    this.bound++;
    const obj = this.opts.pods.get(registry.keys.key(podsDef, pod.namespace, pod.name));
    if (obj) events.record(obj, 'Normal', 'Scheduled', `Successfully assigned ${pod.namespace}/${pod.name} to ${node}`, component);
  }

  private unschedulable(pod: PodInfo, diagnosis: Diagnosis): void {
    this.queue.unschedulableNow(pod.key, waitsForPods(diagnosis));
    const message = unschedulableMessage(diagnosis);
    const obj = this.opts.pods.get(this.opts.registry.keys.key(podsDef, pod.namespace, pod.name));
    if (!obj) return;
    this.opts.events.record(obj, 'Warning', 'FailedScheduling', message, component);
    if (hasCondition(obj, message)) return;
    this.writeCondition(pod, message).catch((err: unknown) => this.log.debug({ err, pod: pod.key }, 'could not record PodScheduled=False'));
  }

  private async writeCondition(pod: PodInfo, message: string): Promise<void> {
    const now = new Date(this.opts.clock.now()).toISOString().replace(/\.\d{3}Z$/, 'Z');
    await this.opts.registry.updateWith(
      podsDef,
      pod.namespace,
      pod.name,
      (current) => {
        if (nodeNameOf(current) !== '' || hasCondition(current, message)) return current;
        const status = objectAt(current, 'status') ?? {};
        const conditions = Array.isArray(status.conditions) ? status.conditions : [];
        const previous = conditions.find((c) => isObject(c) && c.type === 'PodScheduled');
        const since = isObject(previous) && previous.status === 'False' && typeof previous.lastTransitionTime === 'string' ? previous.lastTransitionTime : now;
        const condition = { type: 'PodScheduled', status: 'False', lastProbeTime: null, lastTransitionTime: since, reason: 'Unschedulable', message };
        const rest = conditions.filter((c) => !(isObject(c) && c.type === 'PodScheduled'));
        return { ...current, status: { ...status, conditions: [...rest, condition] } };
      },
      { subresource: 'status' },
    );
  }
}

function hasCondition(pod: KubeObject, message: string): boolean {
  const conditions = (objectAt(pod, 'status') ?? {}).conditions;
  if (!Array.isArray(conditions)) return false;
  return conditions.some((c) => isObject(c) && c.type === 'PodScheduled' && c.status === 'False' && c.reason === 'Unschedulable' && c.message === message);
}
