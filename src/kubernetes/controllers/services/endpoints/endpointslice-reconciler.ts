/**
 * The EndpointSlice controller: discovery.k8s.io/v1 slices for every Service with a
 * selector, planned by slice-plan.ts so one pod change rewrites one slice. Slices are
 * named `<service>-<n>` (the first n free), not generateName as upstream: a name fixed
 * before the write means a crash or a stale cache can never leave a second copy.
 */
import type { Informer, Reconciler, ReconcileResult } from '../../../../core/reconcile/index.js';
import { arrayAt, isObject, type JsonObject, type KubeObject } from '../../../apiserver/object.js';
import type { Registry } from '../../../apiserver/registry.js';
import { endpointslices as slicesDef } from '../../../apiserver/resources/endpointslices.js';
import { nodes as nodesDef } from '../../../apiserver/resources/nodes.js';
import { hasReason } from '../errors.js';
import { keyOf, splitKey } from '../indexes.js';
import { headlessLabel, same } from './endpoints-reconciler.js';
import { podEndpoint, serviceView, targetRef, type PodEndpoint, type ServiceView } from './pod-endpoints.js';
import type { ServicePods } from './service-pods.js';
import { planSlices, type DesiredSliceEndpoint } from './slice-plan.js';

export const serviceNameLabel = 'kubernetes.io/service-name';
export const managedByLabel = 'endpointslice.kubernetes.io/managed-by';
export const endpointSliceControllerName = 'endpointslice-controller.k8s.io';
export const zoneLabel = 'topology.kubernetes.io/zone';
/** Index on the slices informer: `<ns>/<service>` of the slices this controller manages. */
export const byManagedService = 'managed-service';

/** Labels a Service's own labels may not override on its slices. */
const reservedLabels = [serviceNameLabel, managedByLabel, headlessLabel];

export const managedServiceOf = (slice: KubeObject): string | undefined => {
  const labels = slice.metadata.labels ?? {};
  const svc = labels[serviceNameLabel];
  return labels[managedByLabel] === endpointSliceControllerName && svc ? keyOf(slice.metadata.namespace ?? '', svc) : undefined;
};

/** The managing Service's key, if any, as the slices index and the slice source both file it. */
const managedServiceKeys = (slice: KubeObject): string[] => {
  const k = managedServiceOf(slice);
  return k ? [k] : [];
};

export class EndpointSliceReconciler implements Reconciler {
  readonly name = 'endpointslice-controller';

  constructor(
    private readonly registry: Registry,
    private readonly world: ServicePods,
    private readonly slices: Informer<KubeObject>,
    private readonly nodes: Informer<KubeObject>,
  ) {
    slices.addIndex(byManagedService, managedServiceKeys);
  }

  /** Slice events wake the Service that owns them. */
  static sliceKeys = (_key: string, slice: KubeObject): string[] => managedServiceKeys(slice);

  async reconcile(key: string): Promise<ReconcileResult> {
    const { namespace, name } = splitKey(key);
    const current = this.slices.byIndex(byManagedService, key);
    const svc = this.world.service(namespace, name);
    const view = svc && serviceView(svc);
    if (!svc || !view) {
      for (const s of current) await this.delete(namespace, s.metadata.name ?? '');
      return {};
    }
    const desired = this.world
      .podsFor(view)
      .map((p) => podEndpoint(view, p, true))
      .filter((e): e is PodEndpoint => e !== undefined)
      .map((e) => this.sliceEndpoint(e));
    const plan = planSlices(
      desired,
      current.map((s) => ({
        name: s.metadata.name ?? '',
        addressType: String(s.addressType ?? ''),
        ports: (arrayAt(s, 'ports') ?? []).filter(isObject),
        endpoints: (arrayAt(s, 'endpoints') ?? []).filter(isObject),
      })),
    );
    const labels = this.labelsFor(view);
    const owner = [{ apiVersion: 'v1', kind: 'Service', name, uid: view.uid, controller: true, blockOwnerDeletion: true }];
    const byName = new Map(current.map((s) => [s.metadata.name ?? '', s]));
    for (const gone of plan.deletes) await this.delete(namespace, gone);
    const usedNames = new Set(current.map((s) => s.metadata.name ?? ''));
    for (const slice of plan.slices) {
      const existing = slice.name === undefined ? undefined : byName.get(slice.name);
      if (existing) {
        if (same(existing.endpoints ?? [], slice.endpoints) && same(existing.ports ?? [], slice.ports) && same(existing.metadata.labels ?? {}, labels) && same(existing.metadata.ownerReferences ?? [], owner)) continue;
        await this.registry.updateWith(slicesDef, namespace, existing.metadata.name ?? '', (cur) => ({
          ...cur,
          metadata: { ...cur.metadata, labels, ownerReferences: owner },
          endpoints: slice.endpoints,
          ports: slice.ports,
        }));
        continue;
      }
      const sliceName = this.freeName(namespace, name, usedNames);
      usedNames.add(sliceName);
      try {
        await this.registry.create(slicesDef, namespace, {
          metadata: { name: sliceName, labels, ownerReferences: owner },
          addressType: 'IPv4',
          endpoints: slice.endpoints,
          ports: slice.ports,
        });
      } catch (e) {
        // A terminating namespace takes no new slices; the Service goes with it.
        if (!hasReason(e, 'Forbidden')) throw e;
      }
    }
    return {};
  }

  private labelsFor(view: ServiceView): Record<string, string> {
    const labels: Record<string, string> = {};
    for (const [k, v] of Object.entries(view.labels)) if (!reservedLabels.includes(k)) labels[k] = v;
    labels[serviceNameLabel] = view.name;
    labels[managedByLabel] = endpointSliceControllerName;
    if (view.headless) labels[headlessLabel] = '';
    return labels;
  }

  private sliceEndpoint(e: PodEndpoint): DesiredSliceEndpoint {
    const endpoint: JsonObject = {
      addresses: [e.ip],
      conditions: { ready: e.publishNotReady || (e.podReady && !e.terminating), serving: e.podReady, terminating: e.terminating },
    };
    if (e.hostname) endpoint.hostname = e.hostname;
    endpoint.targetRef = targetRef(e);
    if (e.nodeName) {
      endpoint.nodeName = e.nodeName;
      const zone = this.nodes.get(this.registry.keys.key(nodesDef, undefined, e.nodeName))?.metadata.labels?.[zoneLabel];
      if (zone) endpoint.zone = zone;
    }
    return { key: e.pod.uid || e.ip, ports: e.ports, endpoint };
  }

  /** `<service>-<n>` for the smallest n no slice in the namespace has. */
  private freeName(namespace: string, service: string, used: Set<string>): string {
    for (let n = 0; ; n++) {
      const candidate = `${service}-${n}`;
      if (used.has(candidate)) continue;
      if (this.slices.get(this.registry.keys.key(slicesDef, namespace, candidate))) continue;
      return candidate;
    }
  }

  private async delete(namespace: string, name: string): Promise<void> {
    try {
      await this.registry.delete(slicesDef, namespace, name);
    } catch (e) {
      if (!hasReason(e, 'NotFound')) throw e;
    }
  }
}
