/**
 * Taint-based eviction: one key per pod bound to a node with NoExecute taints. Pods that
 * do not tolerate a taint are deleted at once; pods tolerating them for a while are
 * deleted when that while is over (the key comes back then). Before deleting, the pod
 * gets the DisruptionTarget condition and a TaintManagerEviction event, as upstream.
 */
import type { Informer, Reconciler, ReconcileResult, Source } from '../../../../core/reconcile/index.js';
import type { KubeObject } from '../../../apiserver/object.js';
import type { Registry } from '../../../apiserver/registry.js';
import { nodes } from '../../../apiserver/resources/nodes.js';
import { pods } from '../../../apiserver/resources/pods.js';
import { parseTimestamp } from '../../../apiserver/time.js';
import type { EventRecorder } from '../../events.js';
import { nodeNameOf } from '../conditions.js';
import { namespacedKey, splitKey } from '../indexes.js';
import { podsOnNodeSource } from '../node-pods-source.js';
import { deleteJudgedPod, isGoneOrReplaced, markDisruptionTarget } from '../pod-deletion.js';
import { taintsOf, tolerationsOf, type Taint } from '../taints.js';
import { decideEviction, stayStart } from './decision.js';

export interface TaintEvictionOptions {
  registry: Registry;
  nodes: Informer<KubeObject>;
  /** Indexed by indexPodsByNode. */
  pods: Informer<KubeObject>;
  events: EventRecorder;
  now: () => number;
}

const component = { component: 'taint-eviction-controller' };
const noExecuteOf = (node: KubeObject | undefined): Taint[] => (node ? taintsOf(node).filter((t) => t.effect === 'NoExecute') : []);
const sameTaints = (a: readonly Taint[], b: readonly Taint[]): boolean =>
  a.length === b.length && a.every((t, i) => t.key === b[i]?.key && t.value === b[i]?.value && t.timeAdded === b[i]?.timeAdded);

export class TaintEvictionController implements Reconciler {
  readonly name = 'taint-eviction';
  /** When each pod was first seen under an unstamped NoExecute taint (a taint added without timeAdded). */
  private readonly firstSeen = new Map<string, number>();

  constructor(private readonly o: TaintEvictionOptions) {}

  /** Pods wake their key only when their node has NoExecute taints. */
  podKeys = (_key: string, pod: KubeObject): string[] => {
    const node = nodeNameOf(pod);
    if (!node) return [];
    return noExecuteOf(this.o.nodes.get(this.o.registry.keys.key(nodes, undefined, node))).length ? [namespacedKey(pod)] : [];
  };

  /** A node whose NoExecute taints change wakes every pod on it; heartbeats and other updates wake nothing. */
  nodeSource(): Source {
    return podsOnNodeSource(this.o.nodes, this.o.pods, {
      added: (n) => noExecuteOf(n).length > 0,
      updated: (old, n) => !sameTaints(noExecuteOf(old), noExecuteOf(n)),
    });
  }

  async reconcile(key: string): Promise<ReconcileResult> {
    const [namespace, name] = splitKey(key);
    const { registry } = this.o;
    const pod = this.o.pods.get(registry.keys.key(pods, namespace, name));
    const nodeName = pod ? nodeNameOf(pod) : '';
    const taints = noExecuteOf(nodeName ? this.o.nodes.get(registry.keys.key(nodes, undefined, nodeName)) : undefined);
    if (!pod || pod.metadata.deletionTimestamp || taints.length === 0) {
      this.firstSeen.delete(key);
      return {};
    }
    const now = this.o.now();
    let since = stayStart(taints, parseTimestamp(pod.metadata.creationTimestamp));
    if (since === undefined) {
      since = this.firstSeen.get(key) ?? now;
      this.firstSeen.set(key, since);
    }
    const decision = decideEviction(taints, tolerationsOf(pod), since, now);
    if (decision.action === 'stay') return {};
    if (decision.action === 'wait') return { requeueAfterMs: decision.untilMs - now };
    this.firstSeen.delete(key);
    await this.evict(pod, now);
    return {};
  }

  private async evict(pod: KubeObject, now: number): Promise<void> {
    const { registry } = this.o;
    const namespace = pod.metadata.namespace;
    const name = pod.metadata.name ?? '';
    this.o.events.record(pod, 'Normal', 'TaintManagerEviction', `Marking for deletion Pod ${namespace ?? ''}/${name}`, component);
    try {
      await markDisruptionTarget(registry, namespace, name, { reason: 'DeletionByTaintManager', message: 'Taint manager: deleting due to NoExecute taint' }, now);
      await deleteJudgedPod(registry, pod);
    } catch (e) {
      // Gone already, or replaced by a new pod of the same name: nothing to evict.
      if (isGoneOrReplaced(e)) return;
      throw e;
    }
  }
}
