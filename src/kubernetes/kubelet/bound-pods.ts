/**
 * The pods the kubelets look at: those bound to a node. Their informer refuses an unbound
 * pod by its bytes, before decoding it: a pod is created unbound, and at scale that first
 * version of every pod would otherwise be parsed and cached on the kubelets' thread only
 * to be replaced by the binding a moment later. Upstream's kubelet likewise watches only
 * its own node's pods (a spec.nodeName field selector).
 */
import type { KubeObject } from '../apiserver/object.js';
import { pods } from '../apiserver/resources/pods.js';
import type { NamedSelection, SharedInformers } from '../controllers/shared-informers.js';
import { nodeNameOf } from '../controllers/workloads/shared/pod-state.js';
import type { Informer } from '../../core/reconcile/index.js';

// Stored values are the registry's JSON.stringify output: no spaces, ASCII unescaped.
// The marker may also appear elsewhere (a label named nodeName); `object` decides then.
const marker = Buffer.from('"nodeName":"');

export const boundPods: NamedSelection = {
  name: 'bound',
  bytes: (value) => Buffer.from(value.buffer, value.byteOffset, value.byteLength).includes(marker),
  object: (pod) => nodeNameOf(pod) !== '',
};

export const boundPodInformer = (informers: SharedInformers): Informer<KubeObject> => informers.forKind(pods, boundPods);
