/**
 * A source on the node informer that wakes every pod bound to a node when something
 * about the node matters to a pod controller (a taint, the node going away). Pods are
 * found through the pods-by-node index, so a node event costs the pods on that node only.
 */
import type { Informer, Source } from '../../../core/reconcile/index.js';
import type { KubeObject } from '../../apiserver/object.js';
import { namespacedKey, podsByNode } from './indexes.js';

/** Which node events wake the node's pods; an event without a rule wakes nothing. */
export interface NodeWakeRules {
  added?: (node: KubeObject) => boolean;
  updated?: (old: KubeObject, next: KubeObject) => boolean;
  deleted?: (node: KubeObject) => boolean;
}

/** `pods` must be indexed by indexPodsByNode. */
export function podsOnNodeSource(nodes: Informer<KubeObject>, pods: Informer<KubeObject>, rules: NodeWakeRules): Source {
  return {
    informer: nodes,
    subscribe: (enqueue) => {
      const wake = (node: KubeObject): void => {
        for (const p of pods.byIndex(podsByNode, node.metadata.name ?? '')) enqueue(namespacedKey(p));
      };
      return nodes.addHandler({
        onAdd: (_k, node) => {
          if (rules.added?.(node)) wake(node);
        },
        onUpdate: (_k, old, next) => {
          if (rules.updated?.(old, next)) wake(next);
        },
        onDelete: (_k, node) => {
          if (rules.deleted?.(node)) wake(node);
        },
      });
    },
  };
}
