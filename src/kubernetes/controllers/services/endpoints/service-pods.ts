/**
 * The informer caches both endpoint controllers read: services and pods, each indexed by
 * namespace, so a pod change wakes only the Services in its namespace that select it and
 * a Service's sync reads only the pods of its namespace.
 */
import { fromInformer, type Informer, type Source } from '../../../../core/reconcile/index.js';
import type { KubeObject } from '../../../apiserver/object.js';
import type { Registry } from '../../../apiserver/registry.js';
import { pods as podsDef } from '../../../apiserver/resources/pods.js';
import { services as servicesDef } from '../../../apiserver/resources/services.js';
import { byNamespace, indexByNamespace, keyOf, ownKey } from '../indexes.js';
import { selects, serviceView, type ServiceView } from './pod-endpoints.js';

export class ServicePods {
  constructor(
    private readonly registry: Registry,
    readonly services: Informer<KubeObject>,
    readonly pods: Informer<KubeObject>,
  ) {
    indexByNamespace(services);
    indexByNamespace(pods);
  }

  service(namespace: string, name: string): KubeObject | undefined {
    return this.services.get(this.registry.keys.key(servicesDef, namespace, name));
  }

  /** The keys of the Services whose selector picks this pod. */
  serviceKeysFor = (_key: string, pod: KubeObject): string[] => {
    const ns = pod.metadata.namespace ?? '';
    const keys: string[] = [];
    for (const svc of this.services.byIndex(byNamespace, ns)) {
      const view = serviceView(svc);
      if (view && selects(view.selector, pod)) keys.push(keyOf(ns, svc.metadata.name ?? ''));
    }
    return keys;
  };

  /** What wakes either endpoints controller: a Service changing, or a pod it selects. */
  sources(): Source[] {
    return [fromInformer(this.services, ownKey), fromInformer(this.pods, this.serviceKeysFor)];
  }

  /** The pods a Service selects. */
  podsFor(view: ServiceView): KubeObject[] {
    return this.pods.byIndex(byNamespace, view.namespace).filter((p) => selects(view.selector, p));
  }

  podKey(namespace: string, name: string): string {
    return this.registry.keys.key(podsDef, namespace, name);
  }
}
