/**
 * The pod worker of every kubelet of the cluster: ONE reconciler keyed by pod, fed by
 * the shared pod informer filtered to pods bound to this cluster's nodes (so 30 000 pods
 * cost one queue, not a controller per node). A pass drives the pod's sandbox and
 * containers through the runtime driver — init containers in order, then the rest,
 * restarts with CrashLoopBackOff — and writes the status once if it changed. With
 * instant stages a new pod goes from bound to Running and Ready in one status write.
 *
 * A pod marked for deletion gets its containers stopped within its grace period, its
 * sandbox removed and is then deleted with gracePeriodSeconds 0 and a uid precondition.
 */
import type { RuntimeDriver } from '../../drivers/runtime/types.js';
import type { Informer, Reconciler, ReconcileResult } from '../../core/reconcile/index.js';
import { arrayAt, isObject, numberAt, objectAt, stringAt, type JsonObject, type KubeObject } from '../apiserver/object.js';
import { sameJson } from '../apiserver/registry.js';
import { pods } from '../apiserver/resources/pods.js';
import { StatusError } from '../apiserver/status.js';
import type { ClusterContext } from '../controllers/context.js';
import { crashLoopDelayMs } from './backoff.js';
import { containerConfig } from './container-config.js';
import type { NodeIdentity } from './node-identity.js';
import { PodIPAllocator } from './pod-ip-allocator.js';
import { podStatus, type ContainerView, type PodView } from './pod-status.js';
import { readinessDelayMs } from './readiness.js';
import { missingVolumeSources, type VolumeSources } from './volumes.js';

interface ContainerRecord {
  view: ContainerView;
  /** When the current run's exit was first seen, and when it may restart. */
  restartAt?: number;
}

/** The kubelet's memory of one pod (lost on restart; rebuilt from the runtime and status). */
export interface PodRecord {
  key: string;
  uid: string;
  namespace: string;
  name: string;
  nodeName: string;
  sandboxId?: string;
  ip?: string;
  startTime: number;
  containers: Map<string, ContainerRecord>;
  failedMountReported?: boolean;
  /** The pod's labels as last seen: PodMetrics carry them, so `kubectl top pods -l` selects. */
  labels?: Record<string, string>;
  /** The status last written for the pod, or found already written (see isOwnStatusEcho). */
  reported?: JsonObject;
}

const isReason = (e: unknown, ...reasons: string[]): boolean => e instanceof StatusError && reasons.includes(e.status.reason ?? '');

const containersOf = (spec: JsonObject, list: string): JsonObject[] => (arrayAt(spec, list) ?? []).filter(isObject);

export class PodSync implements Reconciler {
  readonly name = 'kubelet-pods';
  readonly records = new Map<string, PodRecord>();
  private readonly bySandbox = new Map<string, string>();
  private readonly ips = new Map<string, PodIPAllocator>();
  private readonly nodesByName: Map<string, NodeIdentity>;

  constructor(
    private readonly ctx: ClusterContext,
    /** The bound pods (bound-pods.ts), looked up on every sync. */
    private readonly boundPods: Informer<KubeObject>,
    private readonly runtime: RuntimeDriver,
    identities: readonly NodeIdentity[],
    private readonly sources: VolumeSources,
    private readonly healthy: (node: string) => boolean,
  ) {
    this.nodesByName = new Map(identities.map((n) => [n.name, n]));
    for (const n of identities) this.ips.set(n.name, new PodIPAllocator(n.podCIDR));
  }

  /**
   * Whether an update of a pod only brings back the status this kubelet last wrote: its
   * spec and what the kubelet reads of its metadata are as they were. Such an update has
   * nothing new for the pod's sync (a real kubelet's pod config ignores status changes
   * too); whatever the sync waits on — the runtime, a readiness delay — wakes it itself.
   */
  isOwnStatusEcho(key: string, old: KubeObject, next: KubeObject): boolean {
    const reported = this.records.get(key)?.reported;
    if (!reported) return false;
    const a = old.metadata;
    const b = next.metadata;
    if (a.uid !== b.uid || a.deletionTimestamp !== b.deletionTimestamp || a.deletionGracePeriodSeconds !== b.deletionGracePeriodSeconds) return false;
    if (!sameJson(a.labels, b.labels) || !sameJson(a.annotations, b.annotations) || !sameJson(old.spec, next.spec)) return false;
    return sameJson(next.status, reported);
  }

  ownsNode(name: string): boolean {
    return this.nodesByName.has(name);
  }

  /** The pod key whose sandbox this is (runtime change notifications). */
  keyOfSandbox(sandboxId: string): string | undefined {
    return this.bySandbox.get(sandboxId);
  }

  async reconcile(key: string): Promise<ReconcileResult> {
    const pod = this.boundPods.get(key);
    let record = this.records.get(key);
    if (record && (!pod || pod.metadata.uid !== record.uid)) {
      // Gone (or replaced by a new pod of the same name): tear down what we ran.
      await this.teardown(record);
      record = undefined;
    }
    if (!pod) return {};
    const spec = objectAt(pod, 'spec') ?? {};
    const nodeName = stringAt(spec, 'nodeName');
    const node = nodeName ? this.nodesByName.get(nodeName) : undefined;
    if (!node || !this.healthy(node.name)) return {};
    if (pod.metadata.deletionTimestamp) return this.terminate(pod, record);
    const phase = stringAt(objectAt(pod, 'status') ?? {}, 'phase');
    if (phase === 'Succeeded' || phase === 'Failed') {
      if (record) await this.teardown(record, true);
      return {};
    }
    const missing = missingVolumeSources(pod, this.sources);
    record ??= this.newRecord(key, pod, node);
    record.labels = pod.metadata.labels;
    if (missing.length > 0) {
      if (!record.failedMountReported) {
        record.failedMountReported = true;
        this.ctx.events.record(pod, 'Warning', 'FailedMount', `MountVolume.SetUp failed: ${missing.join(', ')} not found`, { component: 'kubelet', host: record.nodeName });
      }
      // Retried soon: the source is usually a moment away (kube-root-ca.crt in a new namespace).
      return { requeueAfterMs: 250 };
    }
    const now = () => this.ctx.clock.now();
    if (!record.sandboxId) {
      const ip = this.allocateIP(record, pod, node);
      if (!ip) {
        this.ctx.events.record(pod, 'Warning', 'FailedCreatePodSandBox', `no IP addresses available in range set: ${node.podCIDR}`, { component: 'kubelet', host: record.nodeName });
        return { requeueAfterMs: 5000 };
      }
      record.sandboxId = await this.runtime.runPodSandbox({
        podUid: record.uid,
        namespace: record.namespace,
        name: record.name,
        hostname: stringAt(spec, 'hostname') ?? record.name,
        ip,
        annotations: pod.metadata.annotations ?? {},
      });
      this.bySandbox.set(record.sandboxId, key);
    }
    const wakeAt: number[] = [];
    const restartPolicy = stringAt(spec, 'restartPolicy') ?? 'Always';
    let initialized = true;
    let initFailed = false;
    // Every container has a status from the start, in spec order.
    for (const c of containersOf(spec, 'initContainers')) this.container(record, c, true);
    for (const c of containersOf(spec, 'containers')) this.container(record, c, false);
    let reached = true;
    for (const c of containersOf(spec, 'initContainers')) {
      const r = this.container(record, c, true);
      if (!reached) {
        r.view.waiting = { reason: 'PodInitializing' };
        continue;
      }
      await this.drive(pod, record, r, c, restartPolicy === 'Never' ? 'Never' : 'OnFailure', wakeAt);
      const s = r.view.state;
      if (s?.state === 'exited' && s.exitCode === 0 && !r.view.waiting) continue;
      initialized = false;
      reached = false;
      if (s?.state === 'exited' && restartPolicy === 'Never') initFailed = true;
    }
    const main = containersOf(spec, 'containers');
    for (const c of main) {
      const r = this.container(record, c, false);
      if (!initialized) {
        r.view.waiting = { reason: 'PodInitializing' };
        continue;
      }
      await this.drive(pod, record, r, c, restartPolicy, wakeAt);
      const s = r.view.state;
      const readyAt = s?.state === 'running' && !r.view.waiting ? s.startedAt + readinessDelayMs(pod, c) : undefined;
      r.view.ready = readyAt !== undefined && readyAt <= now();
      if (readyAt !== undefined && readyAt > now()) wakeAt.push(readyAt);
    }
    const view: PodView = {
      containers: [...record.containers.values()].map((r) => r.view),
      hostIP: node.internalIP,
      startTime: record.startTime,
      sandboxReady: true,
      initialized,
      phase: initFailed ? 'Failed' : this.phaseOf(record, main, initialized, restartPolicy),
      ...(record.ip ? { podIP: record.ip } : {}),
    };
    await this.writeStatus(pod, view, record);
    if (view.phase === 'Succeeded' || view.phase === 'Failed') {
      await this.teardown(record, true);
      return {};
    }
    const next = wakeAt.length ? Math.min(...wakeAt) - now() : undefined;
    return next !== undefined ? { requeueAfterMs: Math.max(1, next) } : {};
  }

  private newRecord(key: string, pod: KubeObject, node: NodeIdentity): PodRecord {
    const record: PodRecord = {
      key,
      uid: pod.metadata.uid ?? '',
      namespace: pod.metadata.namespace ?? '',
      name: pod.metadata.name ?? '',
      nodeName: node.name,
      startTime: this.ctx.clock.now(),
      containers: new Map(),
    };
    this.records.set(key, record);
    return record;
  }

  private allocateIP(record: PodRecord, pod: KubeObject, node: NodeIdentity): string | undefined {
    if (record.ip) return record.ip;
    const spec = objectAt(pod, 'spec') ?? {};
    if (spec.hostNetwork === true) return (record.ip = node.internalIP);
    const alloc = this.ips.get(node.name)!;
    const reported = stringAt(objectAt(pod, 'status') ?? {}, 'podIP');
    // After a kubelet restart a pod keeps the address it already reports.
    if (reported && alloc.reserve(reported, record.uid)) return (record.ip = reported);
    const ip = alloc.allocate(record.uid);
    if (ip) record.ip = ip;
    return ip;
  }

  private container(record: PodRecord, c: JsonObject, init: boolean): ContainerRecord {
    const name = stringAt(c, 'name') ?? '';
    let r = record.containers.get(name);
    if (!r) {
      r = { view: { name, init, image: stringAt(c, 'image') ?? '', restartCount: 0, ready: false } };
      record.containers.set(name, r);
    }
    return r;
  }

  /** Create/start the container as needed, and restart it after an exit if the policy says so. */
  private async drive(pod: KubeObject, record: PodRecord, r: ContainerRecord, spec: JsonObject, policy: string, wakeAt: number[]): Promise<void> {
    const now = this.ctx.clock.now();
    const v = r.view;
    if (v.id) {
      const status = this.runtime.containerStatus(v.id);
      if (status) v.state = status.state;
    }
    if (v.state?.state === 'exited') {
      const restart = policy === 'Always' || (policy === 'OnFailure' && v.state.exitCode !== 0);
      if (!restart) {
        v.waiting = undefined;
        return;
      }
      if (r.restartAt === undefined) {
        r.restartAt = v.state.finishedAt + crashLoopDelayMs(v.restartCount);
        if (r.restartAt > now) {
          this.ctx.events.record(pod, 'Warning', 'BackOff', `Back-off restarting failed container ${v.name} in pod ${record.name}_${record.namespace}(${record.uid})`, { component: 'kubelet', host: record.nodeName });
        }
      }
      if (r.restartAt > now) {
        const secs = Math.round(crashLoopDelayMs(v.restartCount) / 1000);
        v.waiting = { reason: 'CrashLoopBackOff', message: `back-off ${secs >= 60 ? `${Math.floor(secs / 60)}m${secs % 60}s` : `${secs}s`} restarting failed container=${v.name} pod=${record.name}_${record.namespace}(${record.uid})` };
        wakeAt.push(r.restartAt);
        return;
      }
      // The exited run stays in the runtime for `logs --previous`; the one before it goes.
      if (v.lastId) await this.runtime.removeContainer(v.lastId);
      v.last = v.state;
      v.lastId = v.id;
      v.id = undefined;
      v.state = undefined;
      v.restartCount += 1;
      r.restartAt = undefined;
    }
    if (!v.id) {
      v.waiting = { reason: 'ContainerCreating' };
      const addrs = { podIP: record.ip ?? '', hostIP: this.nodesByName.get(record.nodeName)!.internalIP, hostname: record.name };
      const id = await this.runtime.createContainer(record.sandboxId!, containerConfig(pod, spec, v.init, addrs, this.sources));
      v.id = id;
      await this.runtime.startContainer(id);
      const status = this.runtime.containerStatus(id);
      if (status) {
        v.state = status.state;
        v.imageID = status.imageRef;
        v.image = status.image;
      }
    }
    v.waiting = v.state?.state === 'created' || !v.state ? { reason: 'ContainerCreating' } : undefined;
  }

  private phaseOf(record: PodRecord, main: JsonObject[], initialized: boolean, policy: string): PodView['phase'] {
    if (!initialized) return 'Pending';
    const views = main.map((c) => record.containers.get(stringAt(c, 'name') ?? '')?.view);
    if (views.some((v) => !v?.state || v.state.state === 'created')) {
      // Some container has not started yet: Running once any other runs, else Pending.
      return views.some((v) => v?.state?.state === 'running' || v?.last) ? 'Running' : 'Pending';
    }
    const exited = views.filter((v) => v?.state?.state === 'exited' && !v.waiting);
    if (exited.length < views.length) return 'Running';
    if (policy === 'Always') return 'Running';
    return exited.every((v) => v?.state?.state === 'exited' && v.state.exitCode === 0) ? 'Succeeded' : 'Failed';
  }

  private async writeStatus(pod: KubeObject, view: PodView, record: PodRecord): Promise<void> {
    const now = this.ctx.clock.now();
    const desired = podStatus(pod, view, now);
    if (sameJson(desired, pod.status)) {
      record.reported = desired;
      return;
    }
    try {
      let written: JsonObject | undefined;
      await this.ctx.registry.updateWith(
        pods,
        pod.metadata.namespace,
        pod.metadata.name ?? '',
        (cur) => {
          // A new pod under the same name is not ours to report on: leave it unchanged.
          if (cur.metadata.uid !== pod.metadata.uid) return cur;
          // Usually the cached pod is the stored one: reuse the status computed from it.
          written = cur.metadata.resourceVersion === pod.metadata.resourceVersion ? desired : podStatus(cur, view, now);
          return { ...cur, status: written };
        },
        { subresource: 'status', copyOnWrite: true },
      );
      record.reported = written;
    } catch (e) {
      if (!isReason(e, 'NotFound', 'Conflict')) throw e;
    }
  }

  private async terminate(pod: KubeObject, record: PodRecord | undefined): Promise<ReconcileResult> {
    const grace = pod.metadata.deletionGracePeriodSeconds ?? numberAt(objectAt(pod, 'spec') ?? {}, 'terminationGracePeriodSeconds') ?? 30;
    if (record) {
      await Promise.all([...record.containers.values()].map((r) => (r.view.id ? this.runtime.stopContainer(r.view.id, grace) : undefined)));
      await this.teardown(record);
    }
    try {
      await this.ctx.registry.delete(pods, pod.metadata.namespace, pod.metadata.name ?? '', { gracePeriodSeconds: 0, preconditions: { uid: pod.metadata.uid ?? '' } });
    } catch (e) {
      if (!isReason(e, 'NotFound', 'Conflict')) throw e;
    }
    return {};
  }

  /** Remove the sandbox and give back the IP; `keep` leaves the record (a finished pod's logs stay readable). */
  private async teardown(record: PodRecord, keep = false): Promise<void> {
    if (record.sandboxId && !keep) {
      await this.runtime.removePodSandbox(record.sandboxId);
      this.bySandbox.delete(record.sandboxId);
      record.sandboxId = undefined;
    }
    if (record.ip) {
      this.ips.get(record.nodeName)?.release(record.ip, record.uid);
      if (!keep) record.ip = undefined;
    }
    if (!keep) this.records.delete(record.key);
  }
}
