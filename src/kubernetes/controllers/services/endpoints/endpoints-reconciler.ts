/**
 * The Endpoints controller: keeps core/v1 Endpoints `<ns>/<service>` equal to what the
 * Service's selected pods say (see endpoints-subsets.ts), writing only on change. A
 * Service without a selector keeps the Endpoints its owner writes; a deleted Service
 * loses its Endpoints.
 */
import type { Informer, Reconciler, ReconcileResult } from '../../../../core/reconcile/index.js';
import type { KubeObject } from '../../../apiserver/object.js';
import type { Registry } from '../../../apiserver/registry.js';
import { endpoints as endpointsDef } from '../../../apiserver/resources/endpoints.js';
import { hasReason } from '../errors.js';
import { splitKey } from '../indexes.js';
import { desiredEndpoints, overCapacityAnnotation } from './endpoints-subsets.js';
import { podEndpoint, serviceView, type PodEndpoint } from './pod-endpoints.js';
import type { ServicePods } from './service-pods.js';

export const endpointsManagedByLabel = 'endpoints.kubernetes.io/managed-by';
export const endpointsControllerName = 'endpoint-controller';
export const headlessLabel = 'service.kubernetes.io/headless';

export class EndpointsReconciler implements Reconciler {
  readonly name = 'endpoint-controller';

  constructor(
    private readonly registry: Registry,
    private readonly world: ServicePods,
    private readonly endpoints: Informer<KubeObject>,
  ) {}

  async reconcile(key: string): Promise<ReconcileResult> {
    const { namespace, name } = splitKey(key);
    const svc = this.world.service(namespace, name);
    const current = this.endpoints.get(this.registry.keys.key(endpointsDef, namespace, name));
    if (!svc) {
      if (current) await this.delete(namespace, name);
      return {};
    }
    const view = serviceView(svc);
    if (!view) return {};
    const eps = this.world
      .podsFor(view)
      .map((p) => podEndpoint(view, p, view.publishNotReadyAddresses))
      .filter((e): e is PodEndpoint => e !== undefined);
    const { subsets, truncated } = desiredEndpoints(eps);
    const labels: Record<string, string> = { ...view.labels, [endpointsManagedByLabel]: endpointsControllerName };
    if (view.headless) labels[headlessLabel] = '';
    else delete labels[headlessLabel];
    if (current && same(current.subsets ?? [], subsets) && same(current.metadata.labels ?? {}, labels) && (current.metadata.annotations?.[overCapacityAnnotation] === 'truncated') === truncated) {
      return {};
    }
    const withMeta = (meta: KubeObject['metadata']): KubeObject['metadata'] => {
      const annotations = { ...(meta.annotations ?? {}) };
      if (truncated) annotations[overCapacityAnnotation] = 'truncated';
      else delete annotations[overCapacityAnnotation];
      const out = { ...meta, labels };
      if (Object.keys(annotations).length > 0) out.annotations = annotations;
      else delete out.annotations;
      return out;
    };
    try {
      if (current) {
        await this.registry.updateWith(endpointsDef, namespace, name, (cur) => ({ ...cur, metadata: withMeta(cur.metadata), subsets }));
      } else {
        await this.registry.create(endpointsDef, namespace, { metadata: withMeta({ name }), subsets });
      }
    } catch (e) {
      // A terminating namespace refuses new content; anything else (our cache behind the
      // store: AlreadyExists, NotFound) is retried with back-off.
      if (!hasReason(e, 'Forbidden')) throw e;
    }
    return {};
  }

  private async delete(namespace: string, name: string): Promise<void> {
    try {
      await this.registry.delete(endpointsDef, namespace, name);
    } catch (e) {
      if (!hasReason(e, 'NotFound')) throw e;
    }
  }
}

export const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);
