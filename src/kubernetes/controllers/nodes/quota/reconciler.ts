/**
 * The resource quota controller: one key per ResourceQuota; status.hard mirrors
 * spec.hard and status.used is the namespace's observed usage of each of those resources
 * (zero when none), written only when it changed. A change of a namespace's usage wakes
 * its quotas.
 */
import { jsonEqual } from '../../../apimachinery/index.js';
import type { Informer, Reconciler, ReconcileResult, Source } from '../../../../core/reconcile/index.js';
import type { KubeObject } from '../../../apiserver/object.js';
import type { Registry } from '../../../apiserver/registry.js';
import { resourcequotas } from '../../../apiserver/resources/resourcequotas.js';
import { StatusError } from '../../../apiserver/status.js';
import { byNamespace, namespacedKey, splitKey } from '../indexes.js';
import { amountOf, formatQuantity } from '../quantity.js';
import { hardOf, scopesOf } from './admission.js';
import type { UsageTracker } from './tracker.js';
import { scopeAllows } from './usage.js';

export class ResourceQuotaController implements Reconciler {
  readonly name = 'resourcequota';

  constructor(
    private readonly registry: Registry,
    private readonly quotas: Informer<KubeObject>,
    private readonly tracker: UsageTracker,
  ) {}

  quotaKeys = (_key: string, quota: KubeObject): string[] => [namespacedKey(quota)];

  /** Usage changes wake the namespace's quotas; the workers wait until the tracker's informers have synced. */
  usageSource(): Source {
    const tracker = this.tracker;
    return {
      informer: { start: () => undefined, stop: () => Promise.resolve(), waitForSync: () => tracker.waitForSync() },
      subscribe: (enqueue) =>
        tracker.onChange((namespace) => {
          for (const q of this.quotas.byIndex(byNamespace, namespace)) enqueue(namespacedKey(q));
        }),
    };
  }

  /** The status a quota should have now. */
  statusFor(quota: KubeObject): { hard: Record<string, unknown>; used: Record<string, string> } {
    const hard = hardOf(quota);
    const scopes = scopesOf(quota);
    const observed = this.tracker.observed(quota.metadata.namespace ?? '', scopes);
    const used: Record<string, string> = {};
    for (const r of Object.keys(hard).sort()) {
      const value = scopeAllows(scopes, r) ? (observed.get(r) ?? 0) : 0;
      used[r] = formatQuantity(value, this.tracker.isBinary(r) || amountOf(hard[r])?.binary === true);
    }
    return { hard: { ...hard }, used };
  }

  async reconcile(key: string): Promise<ReconcileResult> {
    const [namespace, name] = splitKey(key);
    const quota = this.quotas.get(this.registry.keys.key(resourcequotas, namespace, name));
    if (!quota) return {};
    const status = this.statusFor(quota);
    if (jsonEqual(status, quota.status ?? {})) return {};
    try {
      await this.registry.updateWith(resourcequotas, namespace, name, (current) => ({ ...current, status: this.statusFor(current) }), { subresource: 'status' });
    } catch (e) {
      if (!(e instanceof StatusError && e.status.reason === 'NotFound')) throw e;
    }
    return {};
  }
}
