/**
 * The `kube-root-ca.crt` ConfigMap in every namespace: the cluster CA that pods verify the
 * API server with (kube-controller-manager's root-ca-cert-publisher). Keyed by
 * namespace; put back when deleted or edited, left alone in terminating namespaces.
 */
import type { Informer, Reconciler, ReconcileResult } from '../../../../core/reconcile/index.js';
import { isObject, type KubeObject } from '../../../apiserver/object.js';
import type { Registry } from '../../../apiserver/registry.js';
import { configmaps } from '../../../apiserver/resources/configmaps.js';
import { namespaces } from '../../../apiserver/resources/index.js';
import { hasReason } from '../errors.js';

export const rootCaConfigMapName = 'kube-root-ca.crt';
const description =
  'Contains a CA bundle that can be used to verify the kube-apiserver when using internal endpoints such as the internal service IP or kubernetes.default.svc. No other usage is guaranteed across distributions of Kubernetes clusters.';

export class RootCaPublisher implements Reconciler {
  readonly name = 'root-ca-cert-publisher';

  constructor(
    private readonly registry: Registry,
    private readonly namespaceInformer: Informer<KubeObject>,
    private readonly configMapInformer: Informer<KubeObject>,
    private readonly caPem: string,
  ) {}

  static namespaceKeys = (_key: string, ns: KubeObject): string[] => (ns.metadata.name ? [ns.metadata.name] : []);
  static configMapKeys = (_key: string, cm: KubeObject): string[] =>
    cm.metadata.name === rootCaConfigMapName && cm.metadata.namespace ? [cm.metadata.namespace] : [];

  async reconcile(namespace: string): Promise<ReconcileResult> {
    const ns = this.namespaceInformer.get(this.registry.keys.key(namespaces, undefined, namespace));
    if (!ns || ns.metadata.deletionTimestamp) return {};
    const data = { 'ca.crt': this.caPem };
    const current = this.configMapInformer.get(this.registry.keys.key(configmaps, namespace, rootCaConfigMapName));
    if (current && isObject(current.data) && current.data['ca.crt'] === this.caPem && Object.keys(current.data).length === 1) return {};
    try {
      if (current) {
        await this.registry.updateWith(configmaps, namespace, rootCaConfigMapName, (cur) => ({ ...cur, data }));
      } else {
        await this.registry.create(configmaps, namespace, { metadata: { name: rootCaConfigMapName, annotations: { 'kubernetes.io/description': description } }, data });
      }
    } catch (e) {
      // Raced with a create, a delete or the namespace terminating: the informer wakes us again.
      if (!hasReason(e, 'AlreadyExists', 'NotFound', 'Forbidden')) throw e;
    }
    return {};
  }
}
