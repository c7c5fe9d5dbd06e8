/**
 * The scale of the controllers behind a budget's pods, read from the informer caches:
 * a pod's controller owner is a ReplicaSet (whose own controller, a Deployment, decides
 * its scale when there is one) or a StatefulSet. Pods without a controller are
 * "unmanaged" and left out; a controller that cannot be found is an error, as upstream's
 * getExpectedScale says it.
 */
import type { Informer } from '../../../../core/reconcile/index.js';
import { numberAt, objectAt, type KubeObject, type OwnerReference } from '../../../apiserver/object.js';
import type { Registry } from '../../../apiserver/registry.js';
import type { ResourceDefinition } from '../../../apiserver/resource.js';
import { deployments } from '../../../apiserver/resources/deployments.js';
import { replicasets } from '../../../apiserver/resources/replicasets.js';
import { statefulsets } from '../../../apiserver/resources/statefulsets.js';
import type { ExpectedScale } from './budget.js';

export interface ScaleInformers {
  replicasets: Informer<KubeObject>;
  deployments: Informer<KubeObject>;
  statefulsets: Informer<KubeObject>;
}

export const controllerOf = (o: KubeObject): OwnerReference | undefined => (o.metadata.ownerReferences ?? []).find((r) => r.controller === true);

const replicasOf = (o: KubeObject): number => numberAt(objectAt(o, 'spec') ?? {}, 'replicas') ?? 1;

export class ScaleFinder {
  constructor(
    private readonly registry: Registry,
    private readonly informers: ScaleInformers,
  ) {}

  private owned(def: ResourceDefinition, informer: Informer<KubeObject>, namespace: string, ref: OwnerReference): KubeObject | undefined {
    const o = informer.get(this.registry.keys.key(def, namespace, ref.name));
    return o && o.metadata.uid === ref.uid ? o : undefined;
  }

  /** The object whose scale governs a pod's controller: a ReplicaSet's Deployment, else the controller itself. */
  private scaleOwner(namespace: string, ref: OwnerReference): KubeObject | undefined {
    if (ref.kind === 'StatefulSet' && ref.apiVersion.startsWith('apps/')) return this.owned(statefulsets, this.informers.statefulsets, namespace, ref);
    if (ref.kind !== 'ReplicaSet' || !ref.apiVersion.startsWith('apps/')) return undefined;
    const rs = this.owned(replicasets, this.informers.replicasets, namespace, ref);
    if (!rs) return undefined;
    const up = controllerOf(rs);
    if (up?.kind === 'Deployment' && up.apiVersion.startsWith('apps/')) return this.owned(deployments, this.informers.deployments, namespace, up);
    return rs;
  }

  expectedScale(namespace: string, pods: readonly KubeObject[]): ExpectedScale {
    const scales = new Map<string, number>();
    const unmanaged: string[] = [];
    for (const pod of pods) {
      const ref = controllerOf(pod);
      if (!ref) {
        unmanaged.push(pod.metadata.name ?? '');
        continue;
      }
      const owner = this.scaleOwner(namespace, ref);
      if (!owner) return { error: `found no controllers for pod "${pod.metadata.name ?? ''}"` };
      scales.set(owner.metadata.uid ?? '', replicasOf(owner));
    }
    let count = 0;
    for (const n of scales.values()) count += n;
    return { count, unmanaged };
  }
}
