/**
 * The kubelets of one cluster: one heartbeat reconciler over all of its configured nodes
 * (registration, status, leases) and one pod reconciler over all pods bound to them,
 * running pods through the runtime driver (the sim runtime); the same driver answers
 * logs, exec, attach, port-forward and metrics.
 *
 * Failure rehearsal: `agents.setNodeHealthy(name, false)` stops a node's heartbeats and
 * its pod work (its pods keep their last status, as behind a dead kubelet); `true` brings
 * it back, re-reporting the node Ready and resyncing its pods.
 */
import type { KubeNodeGroupConfig } from '../../core/config.js';
import { fromInformer, type Controller, type Informer, type Manager, type Source } from '../../core/reconcile/index.js';
import { SimRuntime, type SimStages } from '../../drivers/runtime/sim/index.js';
import type { RuntimeDriver } from '../../drivers/runtime/types.js';
import type { MetricsProvider } from '../apiserver/resources/metrics.js';
import { emptyMetrics } from '../apiserver/resources/metrics.js';
import { objectAt, stringAt, type KubeObject } from '../apiserver/object.js';
import { nodes } from '../apiserver/resources/nodes.js';
import { pods } from '../apiserver/resources/pods.js';
import { parseQuantity } from '../apiserver/resources/quantity.js';
import type { ClusterContext } from '../controllers/context.js';
import { unavailableRuntime, type ContainerRuntime, type RuntimeResolver } from '../runtime/index.js';
import { apiRuntime } from './api-runtime.js';
import { nodeNameOf } from '../controllers/workloads/shared/pod-state.js';
import { boundPodInformer } from './bound-pods.js';
import { runtimeMetrics } from './metrics.js';
import { NodeHeartbeat } from './node-heartbeat.js';
import { nodeIdentities, type NodeIdentity } from './node-identity.js';
import { PodSync } from './pod-sync.js';
import { informerVolumeSources } from './volumes.js';

export interface NodeAgentsOptions {
  /** The cluster's node groups (config `kubernetes.nodes`). */
  nodes: readonly KubeNodeGroupConfig[];
  /** Delays of the sim runtime's stages (default: all instant). */
  stages?: Partial<SimStages>;
  /** The runtime driver (default: the sim runtime on the cluster's clock). */
  driver?: RuntimeDriver;
}

export interface NodeAgents {
  register(manager: Manager, ctx: ClusterContext): void;
  /** For the API server's pods/log, exec, attach and portforward. */
  runtime: RuntimeResolver;
  /** For metrics.k8s.io. */
  metrics: MetricsProvider;
  /** The nodes these agents run. */
  nodeNames(): string[];
  /** Take a node's kubelet down (no heartbeats, no pod work) or bring it back up. */
  setNodeHealthy(name: string, healthy: boolean): void;
  isNodeHealthy(name: string): boolean;
}

/** Pods informer index: pods by spec.nodeName. */
export const podsByNodeIndex = 'kubelet/spec.nodeName';

interface Running {
  ctx: ClusterContext;
  sync: PodSync;
  heartbeat: Controller;
  podWorker: Controller;
  runtime: ContainerRuntime;
  metrics: MetricsProvider;
}

/** Every configured node's name at start (so missing Nodes get registered), then Node events. */
function nodeKeys(ctx: ClusterContext, names: readonly string[]): Source {
  const informer = ctx.informers.forKind(nodes);
  const own = new Set(names);
  return {
    informer,
    subscribe(enqueue) {
      for (const n of names) enqueue(n);
      return fromInformer(informer, (_key, o) => (own.has(o.metadata.name ?? '') ? [o.metadata.name ?? ''] : [])).subscribe(enqueue);
    },
  };
}

/** The pods of this process's nodes: adds, deletes, and updates other than a status echo. */
function podSource(informer: Informer<KubeObject>, sync: PodSync): Source {
  const owns = (o: KubeObject): boolean => sync.ownsNode(nodeNameOf(o));
  return {
    informer,
    subscribe(enqueue) {
      return informer.addHandler({
        onAdd: (key, o) => {
          if (owns(o)) enqueue(key);
        },
        onUpdate: (key, old, o) => {
          if ((owns(old) || owns(o)) && !sync.isOwnStatusEcho(key, old, o)) enqueue(key);
        },
        onDelete: (key, o) => {
          if (owns(o)) enqueue(key);
        },
      });
    },
  };
}

export function createNodeAgents(opts: NodeAgentsOptions): NodeAgents {
  const identities: NodeIdentity[] = nodeIdentities(opts.nodes);
  const names = identities.map((n) => n.name);
  const down = new Set<string>();
  const healthy = (name: string): boolean => !down.has(name);
  let running: Running | undefined;

  return {
    register(manager, ctx) {
      if (identities.length === 0) return;
      const driver = opts.driver ?? new SimRuntime({ clock: ctx.clock, ...(opts.stages ? { stages: opts.stages } : {}), parseQuantity });
      const podInformer = boundPodInformer(ctx.informers);
      podInformer.addIndex(podsByNodeIndex, (o: KubeObject) => [nodeNameOf(o)]);
      const sync = new PodSync(ctx, podInformer, driver, identities, informerVolumeSources(ctx), healthy);
      const podWorker = manager.addController({
        reconciler: sync,
        sources: [podSource(podInformer, sync)],
        // A real kubelet runs a worker per pod; each of these awaits a status write's
        // commit, so enough of them keep a node fleet's pods moving while groups commit.
        workers: 64,
        leaderElected: false,
      });
      driver.onChange((sandboxId) => {
        const key = sync.keyOfSandbox(sandboxId);
        if (key) podWorker.enqueue(key);
      });
      const heartbeat = manager.addController({
        reconciler: new NodeHeartbeat(ctx, identities, healthy),
        sources: [nodeKeys(ctx, names)],
        workers: 4,
        leaderElected: false,
      });
      const recordOf = (pod: KubeObject) => {
        const r = sync.records.get(ctx.registry.keys.key(pods, pod.metadata.namespace, pod.metadata.name ?? ''));
        return r && r.uid === pod.metadata.uid ? r : undefined;
      };
      running = {
        ctx,
        sync,
        heartbeat,
        podWorker,
        runtime: apiRuntime(driver, { record: recordOf }, ctx.clock),
        metrics: runtimeMetrics(driver, { records: () => sync.records.values(), nodeNames: () => names, healthy }, ctx.clock),
      };
    },
    runtime: (pod) => {
      const r = running;
      const node = stringAt(objectAt(pod, 'spec') ?? {}, 'nodeName');
      // A node whose kubelet is down cannot serve streams either.
      return r && node && r.sync.ownsNode(node) && healthy(node) ? r.runtime : unavailableRuntime;
    },
    metrics: {
      nodes: () => (running ? running.metrics.nodes() : emptyMetrics.nodes()),
      pods: (ns) => (running ? running.metrics.pods(ns) : emptyMetrics.pods(ns)),
    },
    nodeNames: () => [...names],
    setNodeHealthy(name, isHealthy) {
      if (!names.includes(name)) throw new Error(`no node ${name} in this cluster`);
      if (isHealthy) down.delete(name);
      else down.add(name);
      const r = running;
      if (!r || !isHealthy) return;
      r.heartbeat.enqueue(name);
      for (const key of boundPodInformer(r.ctx.informers).keysByIndex(podsByNodeIndex, name)) r.podWorker.enqueue(key);
    },
    isNodeHealthy: healthy,
  };
}
