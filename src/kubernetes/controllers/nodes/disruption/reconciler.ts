/**
 * The disruption controller: one key per PodDisruptionBudget. It re-reads the budget's
 * pods from the cache, works out the status (budget.ts) and writes it only when it
 * changed. Pods, and scale changes of Deployments, ReplicaSets and StatefulSets, wake
 * the budgets of their namespace, so after a pod goes Ready or away the status — and so
 * what `kubectl drain` may evict — follows within one reconcile.
 */
import { jsonEqual, labelSelectorFromObject, type LabelSelector, type LabelSelectorSpec } from '../../../apimachinery/index.js';
import type { Informer, Reconciler, ReconcileResult, Source } from '../../../../core/reconcile/index.js';
import { isObject, numberAt, objectAt, type KubeObject } from '../../../apiserver/object.js';
import type { Registry } from '../../../apiserver/registry.js';
import { poddisruptionbudgets } from '../../../apiserver/resources/poddisruptionbudgets.js';
import { StatusError } from '../../../apiserver/status.js';
import type { EventRecorder } from '../../events.js';
import { byNamespace, namespacedKey, splitKey } from '../indexes.js';
import { assessBudget } from './budget.js';
import type { ScaleFinder } from './scale.js';

export interface DisruptionOptions {
  registry: Registry;
  /** Both indexed by indexByNamespace. */
  budgets: Informer<KubeObject>;
  pods: Informer<KubeObject>;
  scales: ScaleFinder;
  events: EventRecorder;
  now: () => number;
}

const component = { component: 'controllermanager' };
const replicasOf = (o: KubeObject): number | undefined => numberAt(objectAt(o, 'spec') ?? {}, 'replicas');

export class DisruptionController implements Reconciler {
  readonly name = 'disruption';
  /** Parsed selectors by budget key, valid for one resourceVersion. */
  private readonly selectors = new Map<string, { version: string | undefined; selector: LabelSelector }>();

  constructor(private readonly o: DisruptionOptions) {}

  private selectorOf(budget: KubeObject): LabelSelector {
    const key = namespacedKey(budget);
    const cached = this.selectors.get(key);
    if (cached && cached.version === budget.metadata.resourceVersion) return cached.selector;
    const spec = objectAt(budget, 'spec')?.selector;
    let selector: LabelSelector;
    try {
      selector = labelSelectorFromObject(isObject(spec) ? (spec as LabelSelectorSpec) : undefined);
    } catch {
      selector = labelSelectorFromObject(undefined);
    }
    this.selectors.set(key, { version: budget.metadata.resourceVersion, selector });
    return selector;
  }

  budgetKeys = (_key: string, budget: KubeObject): string[] => [namespacedKey(budget)];

  /** A pod wakes the budgets of its namespace that select it. */
  podKeys = (_key: string, pod: KubeObject): string[] =>
    this.o.budgets
      .byIndex(byNamespace, pod.metadata.namespace ?? '')
      .filter((b) => this.selectorOf(b).matches(pod.metadata.labels))
      .map(namespacedKey);

  /** A workload whose replicas change (or that goes away) wakes every budget of its namespace. */
  scaleSource(informer: Informer<KubeObject>): Source {
    return {
      informer,
      subscribe: (enqueue) => {
        const wake = (o: KubeObject): void => {
          for (const b of this.o.budgets.byIndex(byNamespace, o.metadata.namespace ?? '')) enqueue(namespacedKey(b));
        };
        return informer.addHandler({
          onUpdate: (_k, old, next) => {
            if (replicasOf(old) !== replicasOf(next)) wake(next);
          },
          onDelete: (_k, o) => wake(o),
        });
      },
    };
  }

  async reconcile(key: string): Promise<ReconcileResult> {
    const [namespace, name] = splitKey(key);
    const { registry } = this.o;
    const cached = this.o.budgets.get(registry.keys.key(poddisruptionbudgets, namespace, name));
    if (!cached) {
      this.selectors.delete(key);
      return {};
    }
    const selector = this.selectorOf(cached);
    const pods = this.o.pods.byIndex(byNamespace, namespace).filter((p) => selector.matches(p.metadata.labels));
    const now = this.o.now();
    const scale = () => this.o.scales.expectedScale(namespace, pods);
    let result = assessBudget(cached, pods, scale, now);
    if (!jsonEqual(result.status, objectAt(cached, 'status') ?? {})) {
      try {
        // Decide on the stored budget: an eviction may have just spent a disruption.
        await registry.updateWith(
          poddisruptionbudgets,
          namespace,
          name,
          (current) => {
            result = assessBudget(current, pods, scale, now);
            return { ...current, status: result.status };
          },
          { subresource: 'status' },
        );
      } catch (e) {
        if (e instanceof StatusError && e.status.reason === 'NotFound') return {};
        throw e;
      }
      for (const ev of result.events) this.o.events.record(cached, ev.type, ev.reason, ev.message, component);
    }
    return result.recheckAt === undefined ? {} : { requeueAfterMs: Math.max(1, result.recheckAt - now + 1) };
  }
}
