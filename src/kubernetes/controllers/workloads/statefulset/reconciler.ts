/**
 * The StatefulSet controller (upstream's StatefulSetControl, one round per reconcile):
 * sync the ControllerRevisions, then walk the ordinals — recreate failed pods, create
 * missing ones (their claims first), and in OrderedReady wait after each step until the
 * pod is Running and Ready; delete ordinals beyond replicas highest first; then roll
 * pods whose revision is stale from the highest ordinal down to the partition, one at a
 * time (OnDelete: only pods the user deletes come back updated).
 */
import type { Informer, Reconciler, ReconcileResult, Source } from '../../../../core/reconcile/index.js';
import { numberAt, objectAt, stringAt, type JsonObject, type KubeObject } from '../../../apiserver/object.js';
import { persistentvolumeclaims } from '../../../apiserver/resources/persistentvolumeclaims.js';
import { pods } from '../../../apiserver/resources/pods.js';
import { statefulsets } from '../../../apiserver/resources/statefulsets.js';
import { StatusError } from '../../../apiserver/status.js';
import { labelSelectorFromObject, type LabelSelectorSpec } from '../../../apimachinery/labels/selector.js';
import type { ClusterContext } from '../../context.js';
import { claim } from '../shared/claim.js';
import { syncHistory, templateFromRevision, truncateHistory } from '../shared/history.js';
import { byControllerUid, controllerKeysFor, orphansByNamespace } from '../shared/owners.js';
import { availability, isPodReady, isTerminating, podPhase, specOf, statusOf } from '../shared/pod-state.js';
import { templateLabels, templateOf } from '../shared/pod-template.js';
import { isNotFound, writeStatus } from '../shared/status-write.js';
import { claimTemplates, newClaim, newStatefulPod, ordinalOf, revisionLabel, startOrdinal } from './identity.js';

const component = { component: 'statefulset-controller' };

const isRunningAndReady = (pod: KubeObject): boolean => podPhase(pod) === 'Running' && isPodReady(pod);
const isFailedOrDone = (pod: KubeObject): boolean => podPhase(pod) === 'Failed' || podPhase(pod) === 'Succeeded';
const revisionOfPod = (pod: KubeObject): string => pod.metadata.labels?.[revisionLabel] ?? '';

export class StatefulSetController implements Reconciler {
  readonly name = 'statefulset-controller';

  constructor(
    private readonly ctx: ClusterContext,
    private readonly sets: Informer<KubeObject>,
    private readonly pods: Informer<KubeObject>,
    private readonly revisions: Informer<KubeObject>,
    private readonly claims: Informer<KubeObject>,
  ) {}

  private keyOf(namespace: string | undefined, name: string): string {
    return this.ctx.registry.keys.key(statefulsets, namespace, name);
  }

  private keysFor(o: KubeObject): string[] {
    return controllerKeysFor(o, statefulsets, this.sets, this.ctx.registry.keys);
  }

  sources(from: (informer: Informer<KubeObject>, toKeys?: (key: string, o: KubeObject) => string[]) => Source): Source[] {
    return [from(this.sets), from(this.pods, (_k, o) => this.keysFor(o)), from(this.revisions, (_k, o) => this.keysFor(o))];
  }

  async reconcile(key: string): Promise<ReconcileResult> {
    const set = this.sets.get(key);
    if (!set) return {};
    const ns = set.metadata.namespace ?? '';
    const spec = specOf(set);
    const claimed = await claim({
      registry: this.ctx.registry,
      owner: set,
      ownerDef: statefulsets,
      dependentDef: pods,
      selector: labelSelectorFromObject(spec.selector as LabelSelectorSpec),
      owned: this.pods.byIndex(byControllerUid, set.metadata.uid ?? ''),
      orphans: this.pods.byIndex(orphansByNamespace, ns),
      accept: (p) => ordinalOf(set, p) !== undefined,
    });
    const status = statusOf(set);
    const history = await syncHistory({
      registry: this.ctx.registry,
      owner: set,
      ownerDef: statefulsets,
      revisions: this.revisions.byIndex(byControllerUid, set.metadata.uid ?? ''),
      labels: () => templateLabels(templateOf(spec)),
      collisionCount: numberAt(status, 'collisionCount') ?? 0,
    });
    const update = history.update;
    const current = history.revisions.find((r) => r.metadata.name === stringAt(status, 'currentRevision')) ?? update;
    const recheck = set.metadata.deletionTimestamp ? undefined : await this.step(set, claimed, current, update);
    const next = this.status(set, claimed, current, update, history.collisionCount);
    await writeStatus(this.ctx.registry, statefulsets, set, next);
    const inUse = new Set([current.metadata.name ?? '', update.metadata.name ?? '', ...claimed.map(revisionOfPod)]);
    await truncateHistory(this.ctx.registry, history.revisions, inUse, numberAt(spec, 'revisionHistoryLimit') ?? 10);
    return recheck === undefined ? {} : { requeueAfterMs: recheck };
  }

  /** One round of pod management; returns ms until a pod's minReadySeconds pass, if waiting on that. */
  private async step(set: KubeObject, claimed: KubeObject[], current: KubeObject, update: KubeObject): Promise<number | undefined> {
    const spec = specOf(set);
    const replicas = numberAt(spec, 'replicas') ?? 1;
    const start = startOrdinal(set);
    const monotonic = spec.podManagementPolicy !== 'Parallel';
    const strategy = objectAt(spec, 'updateStrategy') ?? {};
    const rolling = strategy.type !== 'OnDelete';
    const partition = numberAt(objectAt(strategy, 'rollingUpdate') ?? {}, 'partition') ?? 0;
    const minReady = numberAt(spec, 'minReadySeconds') ?? 0;
    const now = this.ctx.clock.now();
    const byOrdinal = new Map<number, KubeObject>();
    for (const p of claimed) {
      const ord = ordinalOf(set, p);
      if (ord !== undefined) byOrdinal.set(ord, p);
    }
    const healthy = (p: KubeObject): boolean => isRunningAndReady(p) && availability(p, minReady, now).available;
    let wait: number | undefined;
    // Ordinals to keep, lowest first.
    for (let i = 0; i < replicas; i++) {
      const ord = start + i;
      const pod = byOrdinal.get(ord);
      if (pod && isFailedOrDone(pod) && !isTerminating(pod)) {
        await this.deletePod(set, pod);
        if (monotonic) return undefined;
        continue;
      }
      if (!pod) {
        const useCurrent = rolling && ord - start < partition;
        const revision = useCurrent ? current : update;
        await this.createPod(set, templateFromRevision(revision), ord, revision.metadata.name ?? '');
        if (monotonic) return undefined;
        continue;
      }
      await this.ensureClaims(set, ord);
      if (isTerminating(pod) && monotonic) return undefined;
      if (!healthy(pod)) {
        const a = availability(pod, minReady, now);
        if (isRunningAndReady(pod) && !a.available) wait = a.waitMs;
        if (monotonic) return wait;
      }
    }
    // Ordinals beyond replicas, highest first.
    const condemned = [...byOrdinal.entries()].filter(([ord]) => ord < start || ord >= start + replicas).sort(([a], [b]) => b - a);
    for (const [, pod] of condemned) {
      if (isTerminating(pod)) {
        if (monotonic) return wait;
        continue;
      }
      await this.releaseClaimsToPod(set, pod);
      await this.deletePod(set, pod);
      if (monotonic) return wait;
    }
    if (!rolling) return wait;
    // Rolling update: highest ordinal first down to the partition, one pod at a time.
    for (let i = replicas - 1; i >= partition; i--) {
      const pod = byOrdinal.get(start + i);
      if (!pod) return wait;
      if (revisionOfPod(pod) !== update.metadata.name && !isTerminating(pod)) {
        await this.deletePod(set, pod);
        return wait;
      }
      if (!healthy(pod)) return wait;
    }
    return wait;
  }

  private async createPod(set: KubeObject, template: JsonObject, ord: number, revisionName: string): Promise<void> {
    await this.ensureClaims(set, ord);
    const body = newStatefulPod(set, template, ord, revisionName);
    const podName = body.metadata.name ?? '';
    try {
      await this.ctx.registry.create(pods, set.metadata.namespace, body);
      this.ctx.events.record(set, 'Normal', 'SuccessfulCreate', `create Pod ${podName} in StatefulSet ${set.metadata.name ?? ''} successful`, component);
    } catch (e) {
      if (e instanceof StatusError && e.code === 409) return;
      this.ctx.events.record(set, 'Warning', 'FailedCreate', `create Pod ${podName} in StatefulSet ${set.metadata.name ?? ''} failed error: ${e instanceof Error ? e.message : String(e)}`, component);
      throw e;
    }
  }

  /** Create the ordinal's claims that are missing (PVCs are never updated or deleted here). */
  private async ensureClaims(set: KubeObject, ord: number): Promise<void> {
    for (const t of claimTemplates(set)) {
      const body = newClaim(set, t, ord);
      const name = body.metadata.name ?? '';
      if (this.claims.get(this.ctx.registry.keys.key(persistentvolumeclaims, set.metadata.namespace, name))) continue;
      try {
        await this.ctx.registry.create(persistentvolumeclaims, set.metadata.namespace, body);
        this.ctx.events.record(set, 'Normal', 'SuccessfulCreate', `create Claim ${name} Pod ${set.metadata.name ?? ''}-${ord} in StatefulSet ${set.metadata.name ?? ''} success`, component);
      } catch (e) {
        if (!(e instanceof StatusError && e.code === 409)) throw e;
      }
    }
  }

  /**
   * whenScaled: Delete — a condemned ordinal's claims get the pod as their only owner
   * (the set's reference goes), so the garbage collector removes them with the pod.
   */
  private async releaseClaimsToPod(set: KubeObject, pod: KubeObject): Promise<void> {
    if (objectAt(specOf(set), 'persistentVolumeClaimRetentionPolicy')?.whenScaled !== 'Delete') return;
    const ord = ordinalOf(set, pod);
    if (ord === undefined) return;
    const ref = { apiVersion: 'v1', kind: 'Pod', name: pod.metadata.name ?? '', uid: pod.metadata.uid ?? '' };
    for (const t of claimTemplates(set)) {
      const name = newClaim(set, t, ord).metadata.name ?? '';
      try {
        await this.ctx.registry.updateWith(persistentvolumeclaims, set.metadata.namespace, name, (cur) => {
          const refs = (cur.metadata.ownerReferences ?? []).filter((r) => r.uid !== set.metadata.uid);
          if (refs.some((r) => r.uid === ref.uid)) return cur;
          return { ...cur, metadata: { ...cur.metadata, ownerReferences: [...refs, ref] } };
        });
      } catch (e) {
        if (!isNotFound(e)) throw e;
      }
    }
  }

  private async deletePod(set: KubeObject, pod: KubeObject): Promise<void> {
    try {
      await this.ctx.registry.delete(pods, pod.metadata.namespace, pod.metadata.name ?? '', { preconditions: { uid: pod.metadata.uid ?? '' } });
      this.ctx.events.record(set, 'Normal', 'SuccessfulDelete', `delete Pod ${pod.metadata.name ?? ''} in StatefulSet ${set.metadata.name ?? ''} successful`, component);
    } catch (e) {
      if (!isNotFound(e) && !(e instanceof StatusError && e.code === 409)) throw e;
    }
  }

  private status(set: KubeObject, claimed: readonly KubeObject[], current: KubeObject, update: KubeObject, collisionCount: number): JsonObject {
    const minReady = numberAt(specOf(set), 'minReadySeconds') ?? 0;
    const now = this.ctx.clock.now();
    let replicas = 0;
    let ready = 0;
    let availableCount = 0;
    let currentReplicas = 0;
    let updated = 0;
    for (const p of claimed) {
      replicas++;
      if (isRunningAndReady(p)) {
        ready++;
        if (availability(p, minReady, now).available) availableCount++;
      }
      if (isTerminating(p)) continue;
      if (revisionOfPod(p) === current.metadata.name) currentReplicas++;
      if (revisionOfPod(p) === update.metadata.name) updated++;
    }
    let currentRevision = current.metadata.name ?? '';
    const strategy = objectAt(specOf(set), 'updateStrategy') ?? {};
    // A finished rolling update makes the update revision current.
    if (strategy.type !== 'OnDelete' && updated === replicas && ready === replicas) {
      currentReplicas = updated;
      currentRevision = update.metadata.name ?? '';
    }
    return {
      observedGeneration: set.metadata.generation ?? 1,
      replicas,
      readyReplicas: ready,
      currentReplicas,
      updatedReplicas: updated,
      currentRevision,
      updateRevision: update.metadata.name ?? '',
      collisionCount,
      availableReplicas: availableCount,
    };
  }
}

