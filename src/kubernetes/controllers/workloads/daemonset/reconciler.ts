/**
 * The DaemonSet controller: one pod per node that should run it (eligibility.ts). Pods
 * are created pinned to their node by node affinity (matchFields metadata.name) and left
 * for the scheduler to bind, as upstream does; pods on nodes that must not run them, and
 * failed pods, are deleted. RollingUpdate replaces stale pods within maxUnavailable, or
 * with maxSurge starts the new pod beside the old one and removes the old once the new
 * is available. Creations are guarded by expectations like the ReplicaSet's.
 */
import type { Informer, Reconciler, ReconcileResult, Source } from '../../../../core/reconcile/index.js';
import { arrayAt, isObject, numberAt, objectAt, type JsonObject, type KubeObject } from '../../../apiserver/object.js';
import { daemonsets } from '../../../apiserver/resources/daemonsets.js';
import { pods } from '../../../apiserver/resources/pods.js';
import { StatusError } from '../../../apiserver/status.js';
import { labelSelectorFromObject, type LabelSelectorSpec } from '../../../apimachinery/labels/selector.js';
import type { ClusterContext } from '../../context.js';
import { claim } from '../shared/claim.js';
import { Expectations } from '../shared/expectations.js';
import { sameJson } from '../shared/hash.js';
import { syncHistory, truncateHistory } from '../shared/history.js';
import { scaledValue } from '../shared/int-or-percent.js';
import { byControllerUid, controllerKeysFor, controllerRefOf, controllerRefTo, orphansByNamespace, refersTo } from '../shared/owners.js';
import { availability, isPodReady, isTerminating, podPhase, specOf } from '../shared/pod-state.js';
import { podFromTemplate, templateLabels, templateOf } from '../shared/pod-template.js';
import { isNotFound, writeStatus } from '../shared/status-write.js';
import { pinToNode, placement, targetNode } from './eligibility.js';

const component = { component: 'daemonset-controller' };
export const revisionHashLabel = 'controller-revision-hash';
export const templateGenerationLabel = 'pod-template-generation';

interface NodePods {
  node: KubeObject;
  shouldRun: boolean;
  shouldContinueRunning: boolean;
  pods: KubeObject[];
}

/** What a node update must change to matter to DaemonSets: not heartbeats. */
function nodeChangeMatters(a: KubeObject, b: KubeObject): boolean {
  const conditions = (n: KubeObject): unknown =>
    (arrayAt(objectAt(n, 'status') ?? {}, 'conditions') ?? []).filter(isObject).map((c) => [c.type, c.status]);
  return !sameJson(a.metadata.labels, b.metadata.labels) || !sameJson(specOf(a).taints, specOf(b).taints) || specOf(a).unschedulable !== specOf(b).unschedulable || !sameJson(conditions(a), conditions(b));
}

export class DaemonSetController implements Reconciler {
  readonly name = 'daemonset-controller';
  readonly expectations: Expectations;

  constructor(
    private readonly ctx: ClusterContext,
    private readonly sets: Informer<KubeObject>,
    private readonly pods: Informer<KubeObject>,
    private readonly revisions: Informer<KubeObject>,
    private readonly nodes: Informer<KubeObject>,
  ) {
    this.expectations = new Expectations(ctx.clock);
  }

  private keyOf(namespace: string | undefined, name: string): string {
    return this.ctx.registry.keys.key(daemonsets, namespace, name);
  }

  private keysFor(o: KubeObject): string[] {
    return controllerKeysFor(o, daemonsets, this.sets, this.ctx.registry.keys);
  }

  sources(from: (informer: Informer<KubeObject>, toKeys?: (key: string, o: KubeObject) => string[]) => Source): Source[] {
    this.pods.addHandler({
      onAdd: (_k, pod) => {
        const ref = controllerRefOf(pod);
        if (refersTo(ref, daemonsets)) this.expectations.creationObserved(this.keyOf(pod.metadata.namespace, ref.name));
      },
      onDelete: (key, pod) => {
        const ref = controllerRefOf(pod);
        if (refersTo(ref, daemonsets)) this.expectations.deletionObserved(this.keyOf(pod.metadata.namespace, ref.name), key);
      },
    });
    const nodeChanges: Source = {
      informer: this.nodes,
      subscribe: (enqueue) => {
        const all = (): void => {
          for (const k of this.sets.keys()) enqueue(k);
        };
        return this.nodes.addHandler({ onAdd: all, onDelete: all, onUpdate: (_k, a, b) => (nodeChangeMatters(a, b) ? all() : undefined) });
      },
    };
    return [from(this.sets), from(this.pods, (_k, o) => this.keysFor(o)), from(this.revisions, (_k, o) => this.keysFor(o)), nodeChanges];
  }

  async reconcile(key: string): Promise<ReconcileResult> {
    const ds = this.sets.get(key);
    if (!ds) {
      this.expectations.forget(key);
      return {};
    }
    const spec = specOf(ds);
    const claimed = await claim({
      registry: this.ctx.registry,
      owner: ds,
      ownerDef: daemonsets,
      dependentDef: pods,
      selector: labelSelectorFromObject(spec.selector as LabelSelectorSpec),
      owned: this.pods.byIndex(byControllerUid, ds.metadata.uid ?? ''),
      orphans: this.pods.byIndex(orphansByNamespace, ds.metadata.namespace ?? ''),
    });
    const history = await syncHistory({
      registry: this.ctx.registry,
      owner: ds,
      ownerDef: daemonsets,
      revisions: this.revisions.byIndex(byControllerUid, ds.metadata.uid ?? ''),
      labels: (hash) => ({ ...templateLabels(templateOf(spec)), [revisionHashLabel]: hash }),
      collisionCount: numberAt(objectAt(ds, 'status') ?? {}, 'collisionCount') ?? 0,
    });
    const hash = history.update.metadata.labels?.[revisionHashLabel] ?? '';
    const byNode = this.nodePods(ds, claimed);
    let recheck: number | undefined;
    if (!ds.metadata.deletionTimestamp && this.expectations.satisfied(key)) {
      await this.manage(key, ds, byNode, claimed, hash);
      recheck = await this.rollingUpdate(key, ds, byNode, hash);
    }
    const status = this.status(ds, byNode, hash, history.collisionCount);
    await writeStatus(this.ctx.registry, daemonsets, ds, status.status);
    recheck = status.recheckMs ?? recheck;
    const inUse = new Set([history.update.metadata.name ?? '', ...history.revisions.filter((r) => claimed.some((p) => p.metadata.labels?.[revisionHashLabel] === r.metadata.labels?.[revisionHashLabel])).map((r) => r.metadata.name ?? '')]);
    await truncateHistory(this.ctx.registry, history.revisions, inUse, numberAt(spec, 'revisionHistoryLimit') ?? 10);
    return recheck === undefined ? {} : { requeueAfterMs: recheck };
  }

  private nodePods(ds: KubeObject, claimed: readonly KubeObject[]): Map<string, NodePods> {
    const podSpec = objectAt(templateOf(specOf(ds)), 'spec') ?? {};
    const out = new Map<string, NodePods>();
    for (const node of this.nodes.list()) {
      out.set(node.metadata.name ?? '', { node, ...placement(podSpec, node), pods: [] });
    }
    for (const pod of claimed) {
      const target = targetNode(pod);
      if (target !== undefined) out.get(target)?.pods.push(pod);
    }
    return out;
  }

  /** Create missing pods, delete failed ones, misplaced ones and duplicates; orphaned-node pods too. */
  private async manage(key: string, ds: KubeObject, byNode: Map<string, NodePods>, claimed: readonly KubeObject[], hash: string): Promise<void> {
    const create: string[] = [];
    const remove: KubeObject[] = [];
    const surging = maxSurgeOf(ds, [...byNode.values()].filter((n) => n.shouldRun).length) > 0;
    for (const [name, n] of byNode) {
      const live = n.pods.filter((p) => !isTerminating(p));
      if (n.shouldRun) {
        const failed = live.filter((p) => podPhase(p) === 'Failed');
        remove.push(...failed);
        const running = live.filter((p) => podPhase(p) !== 'Failed' && podPhase(p) !== 'Succeeded');
        if (running.length === 0 && n.pods.every((p) => !isTerminating(p) || podPhase(p) === 'Failed')) create.push(name);
        else if (running.length > 1 && !surging) {
          // Keep the oldest pod; a surge update keeps old and new side by side on purpose.
          const sorted = [...running].sort((a, b) => (a.metadata.creationTimestamp ?? '').localeCompare(b.metadata.creationTimestamp ?? ''));
          remove.push(...sorted.slice(1));
        }
      } else if (!n.shouldContinueRunning) {
        remove.push(...live);
      }
    }
    // Pods pinned to nodes that no longer exist.
    for (const pod of claimed) {
      const target = targetNode(pod);
      if (target !== undefined && !byNode.has(target) && !isTerminating(pod)) remove.push(pod);
    }
    await this.createPods(key, ds, create, hash);
    await this.deletePods(key, ds, remove);
  }

  private async rollingUpdate(key: string, ds: KubeObject, byNode: Map<string, NodePods>, hash: string): Promise<number | undefined> {
    const strategy = objectAt(specOf(ds), 'updateStrategy') ?? {};
    if (strategy.type === 'OnDelete') return undefined;
    const ru = objectAt(strategy, 'rollingUpdate') ?? {};
    const eligible = [...byNode.values()].filter((n) => n.shouldRun);
    const desired = eligible.length;
    const maxSurge = maxSurgeOf(ds, desired);
    const maxUnavailable = maxSurge > 0 ? 0 : scaledValue(ru.maxUnavailable ?? 1, desired, true);
    const minReady = numberAt(specOf(ds), 'minReadySeconds') ?? 0;
    const now = this.ctx.clock.now();
    const isNew = (p: KubeObject): boolean => p.metadata.labels?.[revisionHashLabel] === hash;
    const isAvailable = (p: KubeObject): boolean => availability(p, minReady, now).available;
    const toDelete: KubeObject[] = [];
    const toCreate: string[] = [];
    let recheck: number | undefined;
    if (maxSurge === 0) {
      let unavailable = eligible.filter((n) => !n.pods.some((p) => !isTerminating(p) && isAvailable(p))).length;
      const candidates: KubeObject[] = [];
      for (const n of eligible) {
        for (const p of n.pods) {
          if (isTerminating(p) || isNew(p)) continue;
          // An old pod that is not available anyway can go at once.
          if (!isAvailable(p)) toDelete.push(p);
          else candidates.push(p);
        }
      }
      for (const p of candidates) {
        if (unavailable >= maxUnavailable) break;
        toDelete.push(p);
        unavailable++;
      }
    } else {
      let surged = eligible.filter((n) => n.pods.some((p) => !isTerminating(p) && isNew(p)) && n.pods.some((p) => !isTerminating(p) && !isNew(p))).length;
      for (const n of eligible) {
        const live = n.pods.filter((p) => !isTerminating(p));
        const olds = live.filter((p) => !isNew(p));
        if (olds.length === 0) continue;
        const fresh = live.find(isNew);
        if (fresh) {
          if (isAvailable(fresh)) toDelete.push(...olds);
          else {
            const w = availability(fresh, minReady, now).waitMs;
            if (w > 0) recheck = Math.min(recheck ?? Infinity, w);
          }
        } else if (surged < maxSurge || !olds.some(isAvailable)) {
          toCreate.push(n.node.metadata.name ?? '');
          surged++;
        }
      }
    }
    await this.createPods(key, ds, toCreate, hash);
    await this.deletePods(key, ds, toDelete);
    return recheck;
  }

  private async createPods(key: string, ds: KubeObject, nodeNames: readonly string[], hash: string): Promise<void> {
    if (nodeNames.length === 0) return;
    const template = templateOf(specOf(ds));
    this.expectations.expectCreations(key, nodeNames.length);
    const ns = ds.metadata.namespace ?? '';
    const results = await Promise.allSettled(
      nodeNames.map(async (node) => {
        const body = podFromTemplate({
          template,
          namespace: ns,
          owner: controllerRefTo(ds, daemonsets),
          generateName: `${ds.metadata.name ?? ''}-`,
          extraLabels: { [revisionHashLabel]: hash, [templateGenerationLabel]: String(ds.metadata.generation ?? 1) },
        });
        pinToNode(specOf(body), node);
        try {
          const pod = await this.ctx.registry.create(pods, ns, body);
          this.ctx.events.record(ds, 'Normal', 'SuccessfulCreate', `Created pod: ${pod.metadata.name ?? ''}`, component);
        } catch (e) {
          this.expectations.creationObserved(key);
          this.ctx.events.record(ds, 'Warning', 'FailedCreate', `Error creating: ${e instanceof Error ? e.message : String(e)}`, component);
          throw e;
        }
      }),
    );
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) throw failed.reason;
  }

  private async deletePods(key: string, ds: KubeObject, victims: readonly KubeObject[]): Promise<void> {
    const unique = [...new Map(victims.map((p) => [p.metadata.uid, p])).values()];
    if (unique.length === 0) return;
    const keys = unique.map((p) => this.ctx.registry.keys.key(pods, p.metadata.namespace, p.metadata.name ?? ''));
    this.expectations.expectDeletions(key, keys);
    await Promise.all(
      unique.map(async (p, i) => {
        try {
          await this.ctx.registry.delete(pods, p.metadata.namespace, p.metadata.name ?? '', { preconditions: { uid: p.metadata.uid ?? '' } });
          this.ctx.events.record(ds, 'Normal', 'SuccessfulDelete', `Deleted pod: ${p.metadata.name ?? ''}`, component);
        } catch (e) {
          this.expectations.deletionObserved(key, keys[i] ?? '');
          if (!isNotFound(e) && !(e instanceof StatusError && e.code === 409)) throw e;
        }
      }),
    );
  }

  private status(ds: KubeObject, byNode: Map<string, NodePods>, hash: string, collisionCount: number): { status: JsonObject; recheckMs?: number } {
    const minReady = numberAt(specOf(ds), 'minReadySeconds') ?? 0;
    const now = this.ctx.clock.now();
    let desired = 0;
    let current = 0;
    let misscheduled = 0;
    let ready = 0;
    let availableCount = 0;
    let updated = 0;
    let recheckMs: number | undefined;
    for (const n of byNode.values()) {
      const live = n.pods.filter((p) => !isTerminating(p));
      if (!n.shouldRun) {
        if (live.length > 0) misscheduled++;
        continue;
      }
      desired++;
      if (live.length === 0) continue;
      current++;
      if (live.some(isPodReady)) ready++;
      const avail = live.map((p) => availability(p, minReady, now));
      if (avail.some((a) => a.available)) availableCount++;
      else for (const a of avail) if (a.waitMs > 0) recheckMs = Math.min(recheckMs ?? Infinity, a.waitMs);
      if (live.some((p) => p.metadata.labels?.[revisionHashLabel] === hash)) updated++;
    }
    const status: JsonObject = {
      currentNumberScheduled: current,
      numberMisscheduled: misscheduled,
      desiredNumberScheduled: desired,
      numberReady: ready,
      observedGeneration: ds.metadata.generation ?? 1,
      updatedNumberScheduled: updated,
      numberAvailable: availableCount,
      ...(desired - availableCount > 0 ? { numberUnavailable: desired - availableCount } : {}),
      ...(collisionCount > 0 ? { collisionCount } : {}),
    };
    return recheckMs === undefined ? { status } : { status, recheckMs };
  }
}

function maxSurgeOf(ds: KubeObject, desired: number): number {
  const strategy = objectAt(specOf(ds), 'updateStrategy') ?? {};
  if (strategy.type === 'OnDelete') return 0;
  return scaledValue(objectAt(strategy, 'rollingUpdate')?.maxSurge ?? 0, desired, true);
}

