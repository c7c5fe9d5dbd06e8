/**
 * Pod garbage collection of pods nothing will ever finish (pkg/controller/podgc): pods
 * bound to a node that no longer exists, pods being deleted that were never scheduled,
 * and pods terminating on a node that is not Ready and that an operator has tainted
 * node.kubernetes.io/out-of-service (no kubelet will confirm their end). All are
 * force-deleted (grace 0); an orphan still running is first marked Failed with a
 * DisruptionTarget condition. Pods terminating on a merely unreachable node stay
 * Terminating, as upstream: their containers may still run.
 */
import type { Informer, Reconciler, ReconcileResult, Source } from '../../../../core/reconcile/index.js';
import type { KubeObject } from '../../../apiserver/object.js';
import type { Registry } from '../../../apiserver/registry.js';
import { nodes } from '../../../apiserver/resources/nodes.js';
import { pods } from '../../../apiserver/resources/pods.js';
import { StatusError } from '../../../apiserver/status.js';
import { conditionStatus, isPodTerminal, nodeNameOf } from '../conditions.js';
import { namespacedKey, splitKey } from '../indexes.js';
import { podsOnNodeSource } from '../node-pods-source.js';
import { deleteJudgedPod, isGoneOrReplaced, markDisruptionTarget } from '../pod-deletion.js';
import { taintsOf } from '../taints.js';

export const outOfServiceTaintKey = 'node.kubernetes.io/out-of-service';

/** A node declared out of service while not Ready: its pods' ends will never be reported. */
const outOfService = (node: KubeObject): boolean => conditionStatus(node, 'Ready') !== 'True' && taintsOf(node).some((t) => t.key === outOfServiceTaintKey);

export interface PodGcOptions {
  registry: Registry;
  nodes: Informer<KubeObject>;
  /** Indexed by indexPodsByNode. */
  pods: Informer<KubeObject>;
  now: () => number;
}

const isNotFound = (e: unknown): boolean => e instanceof StatusError && e.status.reason === 'NotFound';

export class OrphanedPodCollector implements Reconciler {
  readonly name = 'pod-garbage-collector';

  constructor(private readonly o: PodGcOptions) {}

  private node(name: string): KubeObject | undefined {
    return this.o.nodes.get(this.o.registry.keys.key(nodes, undefined, name));
  }

  /** Whether the cache says this pod is garbage (the reconcile confirms a missing node against the store). */
  private isGarbage(pod: KubeObject): boolean {
    const name = nodeNameOf(pod);
    const terminating = pod.metadata.deletionTimestamp !== undefined;
    if (!name) return terminating;
    const node = this.node(name);
    return !node || (terminating && outOfService(node));
  }

  podKeys = (_key: string, pod: KubeObject): string[] => (this.isGarbage(pod) ? [namespacedKey(pod)] : []);

  /** A deleted node, or one going out of service, wakes the pods that were on it. */
  nodeSource(): Source {
    return podsOnNodeSource(this.o.nodes, this.o.pods, {
      updated: (old, next) => outOfService(next) && !outOfService(old),
      deleted: () => true,
    });
  }

  async reconcile(key: string): Promise<ReconcileResult> {
    const [namespace, name] = splitKey(key);
    const { registry } = this.o;
    const pod = this.o.pods.get(registry.keys.key(pods, namespace, name));
    if (!pod || !this.isGarbage(pod)) return {};
    const nodeName = nodeNameOf(pod);
    try {
      if (nodeName && !this.node(nodeName)) {
        // The cache may lag a node created a moment ago: ask the store before deleting.
        try {
          await registry.get(nodes, undefined, nodeName);
          return {};
        } catch (e) {
          if (!isNotFound(e)) throw e;
        }
        if (!isPodTerminal(pod)) await this.markFailed(namespace, name);
      }
      await deleteJudgedPod(registry, pod, 0);
    } catch (e) {
      if (isGoneOrReplaced(e)) return {};
      throw e;
    }
    return {};
  }

  private async markFailed(namespace: string, name: string): Promise<void> {
    await markDisruptionTarget(this.o.registry, namespace, name, { reason: 'DeletionByPodGC', message: 'PodGC: node no longer exists', phase: 'Failed' }, this.o.now());
  }
}
