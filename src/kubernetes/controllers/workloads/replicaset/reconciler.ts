/**
 * The ReplicaSet controller: keeps `spec.replicas` active pods matching the selector,
 * adopting orphans and releasing pods that stopped matching, creating in slow-start
 * batches and deleting the cheapest pods first; it acts only once the informer has shown
 * it the results of its previous round (expectations). Status counts come from the
 * pods in the cache.
 */
import type { Informer, Reconciler, ReconcileResult, Source } from '../../../../core/reconcile/index.js';
import type { KubeObject } from '../../../apiserver/object.js';
import { numberAt } from '../../../apiserver/object.js';
import { pods } from '../../../apiserver/resources/pods.js';
import { replicasets } from '../../../apiserver/resources/replicasets.js';
import { StatusError } from '../../../apiserver/status.js';
import { labelSelectorFromObject, type LabelSelectorSpec } from '../../../apimachinery/labels/selector.js';
import type { ClusterContext } from '../../context.js';
import { claim } from '../shared/claim.js';
import { podsToDelete } from '../shared/delete-ranking.js';
import { Expectations } from '../shared/expectations.js';
import { byControllerUid, byNamespace, controllerRefOf, controllerRefTo, orphansByNamespace, refersTo } from '../shared/owners.js';
import { isPodActive, specOf } from '../shared/pod-state.js';
import { podFromTemplate, templateOf } from '../shared/pod-template.js';
import { slowStartBatch } from '../shared/slow-start.js';
import { isNotFound, writeStatus } from '../shared/status-write.js';
import { replicaSetStatus } from './status.js';

/** At most this many creates or deletes per reconcile (upstream's burstReplicas). */
export const burstReplicas = 500;
const component = { component: 'replicaset-controller' };

interface Failure {
  reason: 'FailedCreate' | 'FailedDelete';
  message: string;
}

export class ReplicaSetController implements Reconciler {
  readonly name = 'replicaset-controller';
  readonly expectations: Expectations;

  constructor(
    private readonly ctx: ClusterContext,
    private readonly replicaSets: Informer<KubeObject>,
    private readonly pods: Informer<KubeObject>,
  ) {
    this.expectations = new Expectations(ctx.clock);
  }

  private keyOf(namespace: string | undefined, name: string): string {
    return this.ctx.registry.keys.key(replicasets, namespace, name);
  }

  /** The ReplicaSets a pod event concerns: its controller, or for an orphan the ones that select it. */
  keysForPod(pod: KubeObject): string[] {
    const ref = controllerRefOf(pod);
    if (ref) return refersTo(ref, replicasets) ? [this.keyOf(pod.metadata.namespace, ref.name)] : [];
    const labels = pod.metadata.labels ?? {};
    return this.replicaSets
      .byIndex(byNamespace, pod.metadata.namespace ?? '')
      .filter((rs) => labelSelectorFromObject(specOf(rs).selector as LabelSelectorSpec).matches(labels))
      .map((rs) => this.keyOf(rs.metadata.namespace, rs.metadata.name ?? ''));
  }

  /** Sources: ReplicaSets themselves, and pods mapped to their ReplicaSet. Pod events also settle expectations. */
  sources(from: (informer: Informer<KubeObject>, toKeys?: (key: string, o: KubeObject) => string[]) => Source): Source[] {
    this.pods.addHandler({
      onAdd: (_key, pod) => {
        const ref = controllerRefOf(pod);
        if (refersTo(ref, replicasets)) this.expectations.creationObserved(this.keyOf(pod.metadata.namespace, ref.name));
      },
      onUpdate: (key, old, pod) => {
        const ref = controllerRefOf(pod);
        if (pod.metadata.deletionTimestamp && !old.metadata.deletionTimestamp && refersTo(ref, replicasets)) {
          this.expectations.deletionObserved(this.keyOf(pod.metadata.namespace, ref.name), key);
        }
      },
      onDelete: (key, pod) => {
        const ref = controllerRefOf(pod);
        if (refersTo(ref, replicasets)) this.expectations.deletionObserved(this.keyOf(pod.metadata.namespace, ref.name), key);
      },
    });
    return [from(this.replicaSets), from(this.pods, (_key, pod) => this.keysForPod(pod))];
  }

  async reconcile(key: string): Promise<ReconcileResult> {
    const rs = this.replicaSets.get(key);
    if (!rs) {
      this.expectations.forget(key);
      return {};
    }
    const ns = rs.metadata.namespace ?? '';
    const spec = specOf(rs);
    const selector = labelSelectorFromObject(spec.selector as LabelSelectorSpec);
    const needsSync = this.expectations.satisfied(key) && !rs.metadata.deletionTimestamp;
    const owned = this.pods.byIndex(byControllerUid, rs.metadata.uid ?? '');
    const orphans = this.pods.byIndex(orphansByNamespace, ns);
    const claimed = await claim({ registry: this.ctx.registry, owner: rs, ownerDef: replicasets, dependentDef: pods, selector, owned, orphans });
    const active = claimed.filter(isPodActive);
    // Status is computed from the pods seen before this round, as upstream does: the
    // informer's next events bring the round's results and another reconcile.
    const failure = needsSync ? await this.manageReplicas(key, rs, active) : undefined;
    const { status, recheckMs } = replicaSetStatus(rs, active, this.ctx.clock.now(), failure);
    await writeStatus(this.ctx.registry, replicasets, rs, status);
    if (failure) throw new Error(failure.message);
    return recheckMs === undefined ? {} : { requeueAfterMs: recheckMs };
  }

  private async manageReplicas(key: string, rs: KubeObject, active: KubeObject[]): Promise<Failure | undefined> {
    const want = numberAt(specOf(rs), 'replicas') ?? 1;
    const diff = active.length - want;
    if (diff < 0) {
      const count = Math.min(-diff, burstReplicas);
      this.expectations.expectCreations(key, count);
      const ns = rs.metadata.namespace ?? '';
      const body = podFromTemplate({ template: templateOf(specOf(rs)), namespace: ns, owner: controllerRefTo(rs, replicasets), generateName: `${rs.metadata.name ?? ''}-` });
      const result = await slowStartBatch(count, 1, async () => {
        try {
          const pod = await this.ctx.registry.create(pods, ns, body);
          this.ctx.events.record(rs, 'Normal', 'SuccessfulCreate', `Created pod: ${pod.metadata.name ?? ''}`, component);
        } catch (e) {
          this.expectations.creationObserved(key);
          throw e;
        }
      });
      // Creates never attempted after a failing batch will never be observed either.
      for (let i = result.attempted; i < count; i++) this.expectations.creationObserved(key);
      if (result.error !== undefined) {
        const message = errorText(result.error);
        this.ctx.events.record(rs, 'Warning', 'FailedCreate', `Error creating: ${message}`, component);
        return { reason: 'FailedCreate', message };
      }
      return undefined;
    }
    if (diff > 0) {
      const victims = podsToDelete(active, Math.min(diff, burstReplicas), this.ctx.clock.now());
      const victimKeys = victims.map((p) => this.ctx.registry.keys.key(pods, p.metadata.namespace, p.metadata.name ?? ''));
      this.expectations.expectDeletions(key, victimKeys);
      const results = await Promise.allSettled(
        victims.map(async (p, i) => {
          try {
            await this.ctx.registry.delete(pods, p.metadata.namespace, p.metadata.name ?? '', { preconditions: { uid: p.metadata.uid ?? '' } });
            this.ctx.events.record(rs, 'Normal', 'SuccessfulDelete', `Deleted pod: ${p.metadata.name ?? ''}`, component);
          } catch (e) {
            this.expectations.deletionObserved(key, victimKeys[i] ?? '');
            if (!isNotFound(e)) throw e;
          }
        }),
      );
      const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
      if (failed) {
        const message = errorText(failed.reason);
        this.ctx.events.record(rs, 'Warning', 'FailedDelete', `Error deleting: ${message}`, component);
        return { reason: 'FailedDelete', message };
      }
    }
    return undefined;
  }
}

const errorText = (e: unknown): string => (e instanceof StatusError ? (e.status.message ?? e.message) : e instanceof Error ? e.message : String(e));
