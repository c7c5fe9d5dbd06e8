/**
 * The Deployment controller: one reconcile reads the Deployment, claims its ReplicaSets,
 * and takes the next step of whichever of these applies, as upstream's syncDeployment:
 * being deleted → status only; paused, or resized mid-rollout → scale (proportionally)
 * without rolling; Recreate → old to zero, wait for their pods, then the new one up;
 * RollingUpdate → grow the new ReplicaSet within maxSurge, shrink old ones within
 * maxUnavailable. Each step's writes wake it again through the informers; conflicts on
 * a stale ReplicaSet are thrown and retried.
 */
import type { Informer, Reconciler, ReconcileResult, Source } from '../../../../core/reconcile/index.js';
import { clone, numberAt, objectAt, type JsonObject, type KubeObject } from '../../../apiserver/object.js';
import { deployments } from '../../../apiserver/resources/deployments.js';
import { replicasets } from '../../../apiserver/resources/replicasets.js';
import { StatusError } from '../../../apiserver/status.js';
import { labelSelectorFromObject, type LabelSelectorSpec } from '../../../apimachinery/labels/selector.js';
import type { ClusterContext } from '../../context.js';
import { claim } from '../shared/claim.js';
import { findCondition, newCondition, setCondition, conditionsOf } from '../shared/conditions.js';
import { computeHash, sameJson } from '../shared/hash.js';
import { byControllerUid, byNamespace, controllerRefOf, controllerRefTo, orphansByNamespace, refersTo } from '../shared/owners.js';
import { podPhase, specOf, statusOf } from '../shared/pod-state.js';
import { templateOf } from '../shared/pod-template.js';
import { isNotFound, writeStatus } from '../shared/status-write.js';
import { active, activeOrLatest, fenceposts, isRollingUpdate, isSaturated, maxScaledDown, newReplicaSetReplicas, oldScaleDownPlan, proportionalPlan, sumReplicas, unhealthyCleanupPlan } from './replicas.js';
import {
  byCreation,
  desiredReplicasAnnotation,
  equalIgnoringHash,
  findNewReplicaSet,
  intAnnotation,
  maxRevision,
  newReplicaSetAnnotations,
  podTemplateHashLabel,
  replicasAnnotations,
  replicasOf,
  revisionAnnotation,
  revisionOf,
} from './revision.js';
import { calculateStatus, isComplete, pausedConditions, progressing, progressDeadlineSeconds, reasons, rolloutStatus, type DeploymentStatus } from './status.js';

const component = { component: 'deployment-controller' };

interface Sets {
  newRS: KubeObject | undefined;
  olds: KubeObject[];
}

const allOf = (s: Sets): KubeObject[] => (s.newRS ? [s.newRS, ...s.olds] : [...s.olds]);

export class DeploymentController implements Reconciler {
  readonly name = 'deployment-controller';

  constructor(
    private readonly ctx: ClusterContext,
    private readonly deployments: Informer<KubeObject>,
    private readonly replicaSets: Informer<KubeObject>,
    private readonly pods: Informer<KubeObject>,
  ) {}

  private keyOf(namespace: string | undefined, name: string): string {
    return this.ctx.registry.keys.key(deployments, namespace, name);
  }

  /** A ReplicaSet's Deployment, or for an orphan every Deployment that selects it. */
  keysForReplicaSet(rs: KubeObject): string[] {
    const ref = controllerRefOf(rs);
    if (ref) return refersTo(ref, deployments) ? [this.keyOf(rs.metadata.namespace, ref.name)] : [];
    const labels = rs.metadata.labels ?? {};
    return this.deployments
      .byIndex(byNamespace, rs.metadata.namespace ?? '')
      .filter((d) => labelSelectorFromObject(specOf(d).selector as LabelSelectorSpec).matches(labels))
      .map((d) => this.keyOf(d.metadata.namespace, d.metadata.name ?? ''));
  }

  /** A Recreate Deployment waits for its old pods to go: their deletion wakes it. */
  private keysForDeletedPod(pod: KubeObject): string[] {
    const ref = controllerRefOf(pod);
    if (!refersTo(ref, replicasets)) return [];
    const rs = this.replicaSets.get(this.ctx.registry.keys.key(replicasets, pod.metadata.namespace, ref.name));
    const dref = rs && controllerRefOf(rs);
    if (!refersTo(dref, deployments)) return [];
    const key = this.keyOf(pod.metadata.namespace, dref.name);
    const d = this.deployments.get(key);
    return d && !isRollingUpdate(d) ? [key] : [];
  }

  sources(from: (informer: Informer<KubeObject>, toKeys?: (key: string, o: KubeObject) => string[]) => Source): Source[] {
    const podDeletes: Source = {
      informer: this.pods,
      subscribe: (enqueue) =>
        this.pods.addHandler({
          onDelete: (_key, pod) => {
            for (const k of this.keysForDeletedPod(pod)) enqueue(k);
          },
        }),
    };
    return [from(this.deployments), from(this.replicaSets, (_key, rs) => this.keysForReplicaSet(rs)), podDeletes];
  }

  async reconcile(key: string): Promise<ReconcileResult> {
    const cached = this.deployments.get(key);
    if (!cached) return {};
    const d = clone(cached);
    const sets = await claim({
      registry: this.ctx.registry,
      owner: d,
      ownerDef: deployments,
      dependentDef: replicasets,
      selector: labelSelectorFromObject(specOf(d).selector as LabelSelectorSpec),
      owned: this.replicaSets.byIndex(byControllerUid, d.metadata.uid ?? ''),
      orphans: this.replicaSets.byIndex(orphansByNamespace, d.metadata.namespace ?? ''),
    });
    if (d.metadata.deletionTimestamp) {
      const s = await this.resolve(d, sets, false);
      await this.writeDeploymentStatus(d, calculateStatus(d, allOf(s), s.newRS, this.ctx.clock.now()));
      return {};
    }
    const paused = pausedConditions(d, conditionsOf(statusOf(d)), this.ctx.clock.now());
    if (paused) await this.writeDeploymentStatus(d, { ...statusOf(d), conditions: paused });
    if (specOf(d).paused === true) return this.sync(d, sets);
    const resolved = await this.resolve(d, sets, false);
    if (this.isScalingEvent(d, resolved)) return this.sync(d, sets, resolved);
    return isRollingUpdate(d) ? this.rolloutRolling(d, sets, resolved) : this.rolloutRecreate(d, sets, resolved);
  }

  /** A resize of the Deployment that the active ReplicaSets were not sized for. */
  private isScalingEvent(d: KubeObject, s: Sets): boolean {
    return active(allOf(s)).some((rs) => {
      const desired = intAnnotation(rs, desiredReplicasAnnotation);
      return desired !== undefined && desired !== replicasOf(d);
    });
  }

  /** Scale only (paused, or a resize): no new ReplicaSet, no rolling. */
  private async sync(d: KubeObject, sets: readonly KubeObject[], resolved?: Sets): Promise<ReconcileResult> {
    const s = resolved ?? (await this.resolve(d, sets, false));
    await this.scale(d, s);
    if (specOf(d).paused === true) await this.cleanup(d, s.olds);
    await this.writeDeploymentStatus(d, calculateStatus(d, allOf(s), s.newRS, this.ctx.clock.now()));
    return {};
  }

  private async scale(d: KubeObject, s: Sets): Promise<void> {
    const desired = replicasOf(d);
    const target = activeOrLatest(s.newRS, s.olds);
    if (target) {
      if (replicasOf(target) !== desired) this.replace(s, target, await this.scaleReplicaSet(d, target, desired));
      return;
    }
    if (isSaturated(d, s.newRS)) {
      for (const rs of active(s.olds)) this.replace(s, rs, await this.scaleReplicaSet(d, rs, 0));
      return;
    }
    if (!isRollingUpdate(d)) return;
    const plan = proportionalPlan(d, allOf(s), numberAt(statusOf(d), 'replicas') ?? 0);
    for (const [rs, size] of plan) this.replace(s, rs, await this.scaleReplicaSet(d, rs, size));
  }

  private async rolloutRolling(d: KubeObject, sets: readonly KubeObject[], resolved: Sets): Promise<ReconcileResult> {
    const s = resolved.newRS ? resolved : await this.resolve(d, sets, true);
    const newRS = s.newRS;
    if (!newRS) return {};
    const desired = replicasOf(d);
    if (replicasOf(newRS) !== desired) {
      const target = replicasOf(newRS) > desired ? desired : newReplicaSetReplicas(d, allOf(s), newRS);
      if (target !== replicasOf(newRS)) {
        this.replace(s, newRS, await this.scaleReplicaSet(d, newRS, target));
        return this.syncRolloutStatus(d, s);
      }
    }
    if (await this.reconcileOldReplicaSets(d, s)) return this.syncRolloutStatus(d, s);
    if (isComplete(d, statusOf(d) as DeploymentStatus)) await this.cleanup(d, s.olds);
    return this.syncRolloutStatus(d, s);
  }

  /** Shrink old ReplicaSets: unhealthy replicas first, then as availability allows. */
  private async reconcileOldReplicaSets(d: KubeObject, s: Sets): Promise<boolean> {
    if (sumReplicas(active(s.olds)) === 0) return false;
    const limit = maxScaledDown(d, allOf(s), s.newRS);
    if (limit <= 0) return false;
    let scaled = false;
    for (const [rs, size] of unhealthyCleanupPlan(active(s.olds), limit)) {
      this.replace(s, rs, await this.scaleReplicaSet(d, rs, size));
      scaled = true;
    }
    for (const [rs, size] of oldScaleDownPlan(d, allOf(s), active(s.olds))) {
      this.replace(s, rs, await this.scaleReplicaSet(d, rs, size));
      scaled = true;
    }
    return scaled;
  }

  private async rolloutRecreate(d: KubeObject, sets: readonly KubeObject[], resolved: Sets): Promise<ReconcileResult> {
    let s = resolved;
    let scaledDown = false;
    for (const rs of active(s.olds)) {
      this.replace(s, rs, await this.scaleReplicaSet(d, rs, 0));
      scaledDown = true;
    }
    if (scaledDown || this.oldPodsRunning(s.olds)) return this.syncRolloutStatus(d, s);
    if (!s.newRS) s = await this.resolve(d, sets, true);
    if (s.newRS && replicasOf(s.newRS) !== replicasOf(d)) this.replace(s, s.newRS, await this.scaleReplicaSet(d, s.newRS, replicasOf(d)));
    if (isComplete(d, statusOf(d) as DeploymentStatus)) await this.cleanup(d, s.olds);
    return this.syncRolloutStatus(d, s);
  }

  /** Any pod of an old ReplicaSet not yet finished or gone. */
  private oldPodsRunning(olds: readonly KubeObject[]): boolean {
    for (const rs of olds) {
      if ((numberAt(statusOf(rs), 'replicas') ?? 0) > 0) return true;
      for (const pod of this.pods.byIndex(byControllerUid, rs.metadata.uid ?? '')) {
        const phase = podPhase(pod);
        if (phase !== 'Failed' && phase !== 'Succeeded') return true;
      }
    }
    return false;
  }

  private async syncRolloutStatus(d: KubeObject, s: Sets): Promise<ReconcileResult> {
    const { status, recheckMs } = rolloutStatus(d, allOf(s), s.newRS, this.ctx.clock.now());
    await this.writeDeploymentStatus(d, status);
    return recheckMs === undefined ? {} : { requeueAfterMs: recheckMs };
  }

  /**
   * Split the ReplicaSets into the new one and the old ones, moving revisions forward
   * (upstream's getAllReplicaSetsAndSyncRevision); with `create`, make the new one.
   */
  private async resolve(d: KubeObject, sets: readonly KubeObject[], create: boolean): Promise<Sets> {
    const found = findNewReplicaSet(d, sets);
    const olds = sets.filter((rs) => rs !== found);
    const newRevision = maxRevision(olds) + 1;
    const { surge } = fenceposts(d);
    if (found) {
      const newRS = await this.syncNewReplicaSetMeta(d, found, newRevision, surge);
      await this.setDeploymentRevision(d, revisionOf(newRS));
      if (progressDeadlineSeconds(d) !== undefined && !findCondition(conditionsOf(statusOf(d)), progressing)) {
        const c = newCondition(progressing, 'True', reasons.foundNewRS, `Found new replica set "${newRS.metadata.name ?? ''}"`, this.ctx.clock.now());
        await this.writeDeploymentStatus(d, { ...statusOf(d), conditions: setCondition(conditionsOf(statusOf(d)), c) });
      }
      return { newRS, olds };
    }
    if (!create) return { newRS: undefined, olds };
    const newRS = await this.createNewReplicaSet(d, olds, newRevision, surge);
    return { newRS, olds };
  }

  /** Annotations and minReadySeconds of an existing new ReplicaSet brought up to date. */
  private async syncNewReplicaSetMeta(d: KubeObject, rs: KubeObject, newRevision: number, surge: number): Promise<KubeObject> {
    const annotations = newReplicaSetAnnotations(d, rs, newRevision, surge);
    const minReady = specOf(d).minReadySeconds;
    if (sameJson(annotations, rs.metadata.annotations ?? {}) && specOf(rs).minReadySeconds === minReady) return rs;
    return this.ctx.registry.updateWith(replicasets, rs.metadata.namespace, rs.metadata.name ?? '', (cur) => {
      const next = clone(cur);
      next.metadata.resourceVersion = rs.metadata.resourceVersion;
      next.metadata.annotations = annotations;
      const spec = specOf(next);
      if (minReady === undefined) delete spec.minReadySeconds;
      else spec.minReadySeconds = minReady;
      return next;
    });
  }

  private async createNewReplicaSet(d: KubeObject, olds: KubeObject[], newRevision: number, surge: number): Promise<KubeObject> {
    const ns = d.metadata.namespace ?? '';
    const collisionCount = numberAt(statusOf(d), 'collisionCount');
    const spec = specOf(d);
    const template = clone(templateOf(spec));
    const hash = computeHash(template, collisionCount);
    const meta = (objectAt(template, 'metadata') ?? {}) as JsonObject;
    template.metadata = meta;
    const labels = { ...((objectAt(meta, 'labels') ?? {}) as Record<string, string>), [podTemplateHashLabel]: hash };
    meta.labels = labels;
    const selector = clone((objectAt(spec, 'selector') ?? {}) as JsonObject);
    selector.matchLabels = { ...((objectAt(selector, 'matchLabels') ?? {}) as Record<string, string>), [podTemplateHashLabel]: hash };
    const name = `${d.metadata.name ?? ''}-${hash}`;
    const body: KubeObject = {
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: { name, namespace: ns, labels, annotations: newReplicaSetAnnotations(d, undefined, newRevision, surge), ownerReferences: [controllerRefTo(d, deployments)] },
      spec: { replicas: 0, selector, template, ...(spec.minReadySeconds !== undefined ? { minReadySeconds: spec.minReadySeconds } : {}) },
    };
    const replicas = newReplicaSetReplicas(d, [...olds, body], body);
    (body.spec as JsonObject).replicas = replicas;
    let created: KubeObject;
    try {
      created = await this.ctx.registry.create(replicasets, ns, body);
    } catch (e) {
      if (!(e instanceof StatusError && e.code === 409)) throw e;
      const existing = await this.ctx.registry.get(replicasets, ns, name);
      // Ours already (the cache had not shown it yet): use it.
      if (controllerRefOf(existing)?.uid === d.metadata.uid && equalIgnoringHash(templateOf(specOf(existing)), templateOf(spec))) return existing;
      // A different object holds the name: bump the collision count and try another name.
      await this.writeDeploymentStatus(d, { ...statusOf(d), collisionCount: (collisionCount ?? 0) + 1 });
      throw new Error(`replica set name ${name} is taken; collisionCount raised`, { cause: e });
    }
    if (replicas > 0) this.ctx.events.record(d, 'Normal', 'ScalingReplicaSet', `Scaled up replica set ${name} from 0 to ${replicas}`, component);
    await this.setDeploymentRevision(d, newRevision);
    const c = newCondition(progressing, 'True', reasons.newRSCreated, `Created new replica set "${name}"`, this.ctx.clock.now());
    await this.writeDeploymentStatus(d, { ...statusOf(d), conditions: setCondition(conditionsOf(statusOf(d)), c) });
    return created;
  }

  /** Resize a ReplicaSet (and refresh its replicas annotations) unless the cache is stale. */
  private async scaleReplicaSet(d: KubeObject, rs: KubeObject, size: number): Promise<KubeObject> {
    const annotations = { ...(rs.metadata.annotations ?? {}), ...replicasAnnotations(d, fenceposts(d).surge) };
    const from = replicasOf(rs);
    if (from === size && sameJson(annotations, rs.metadata.annotations ?? {})) return rs;
    const updated = await this.ctx.registry.updateWith(replicasets, rs.metadata.namespace, rs.metadata.name ?? '', (cur) => {
      const next = clone(cur);
      next.metadata.resourceVersion = rs.metadata.resourceVersion;
      next.metadata.annotations = annotations;
      specOf(next).replicas = size;
      return next;
    });
    if (from !== size) {
      const dir = from < size ? 'up' : 'down';
      this.ctx.events.record(d, 'Normal', 'ScalingReplicaSet', `Scaled ${dir} replica set ${rs.metadata.name ?? ''} from ${from} to ${size}`, component);
    }
    return updated;
  }

  /** Old ReplicaSets beyond revisionHistoryLimit, lowest revision first, once they are empty. */
  private async cleanup(d: KubeObject, olds: readonly KubeObject[]): Promise<void> {
    const limit = numberAt(specOf(d), 'revisionHistoryLimit');
    if (limit === undefined) return;
    const alive = olds.filter((rs) => !rs.metadata.deletionTimestamp);
    const excess = alive.length - limit;
    if (excess <= 0) return;
    const sorted = [...alive].sort((a, b) => revisionOf(a) - revisionOf(b) || byCreation(a, b));
    for (const rs of sorted.slice(0, excess)) {
      const st = statusOf(rs);
      if ((numberAt(st, 'replicas') ?? 0) !== 0 || replicasOf(rs) !== 0 || (rs.metadata.generation ?? 1) > (numberAt(st, 'observedGeneration') ?? 0)) continue;
      try {
        await this.ctx.registry.delete(replicasets, rs.metadata.namespace, rs.metadata.name ?? '', { preconditions: { uid: rs.metadata.uid ?? '' } });
      } catch (e) {
        if (!isNotFound(e) && !(e instanceof StatusError && e.code === 409)) throw e;
      }
    }
  }

  private async setDeploymentRevision(d: KubeObject, revision: number): Promise<void> {
    const value = String(revision);
    if (revision === 0 || d.metadata.annotations?.[revisionAnnotation] === value) return;
    const updated = await this.ctx.registry.updateWith(deployments, d.metadata.namespace, d.metadata.name ?? '', (cur) => {
      if (cur.metadata.uid !== d.metadata.uid) return cur;
      const next = clone(cur);
      next.metadata.annotations = { ...(cur.metadata.annotations ?? {}), [revisionAnnotation]: value };
      return next;
    });
    d.metadata.annotations = updated.metadata.annotations ?? {};
  }

  /** Write the status if it changed, and keep the working copy in step for later decisions. */
  private async writeDeploymentStatus(d: KubeObject, status: JsonObject): Promise<void> {
    const clean = JSON.parse(JSON.stringify(status)) as JsonObject;
    await writeStatus(this.ctx.registry, deployments, d, clean);
    d.status = clean;
  }

  /** Swap a ReplicaSet for its updated copy in the working sets. */
  private replace(s: Sets, old: KubeObject, updated: KubeObject): void {
    if (s.newRS === old) s.newRS = updated;
    const i = s.olds.indexOf(old);
    if (i >= 0) s.olds[i] = updated;
  }
}
