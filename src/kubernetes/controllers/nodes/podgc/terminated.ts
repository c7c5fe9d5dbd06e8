/**
 * Pod garbage collection of finished pods: when more pods have Succeeded or Failed than
 * the threshold (kube-controller-manager's --terminated-pod-gc-threshold, 12500), the
 * oldest by creation time are deleted until the threshold holds. One key for the whole
 * cluster; terminal pods are kept under an index so counting them costs nothing.
 */
import type { Informer, Reconciler, ReconcileResult } from '../../../../core/reconcile/index.js';
import type { KubeObject } from '../../../apiserver/object.js';
import type { Registry } from '../../../apiserver/registry.js';
import { pods } from '../../../apiserver/resources/pods.js';
import { StatusError } from '../../../apiserver/status.js';
import { isPodTerminal } from '../conditions.js';
import { ensureIndex } from '../indexes.js';

export const defaultTerminatedPodThreshold = 12_500;
export const terminatedKey = 'terminated-pods';
export const checkPeriodMs = 20_000;
const terminalIndex = 'nodes/terminal-pods';

export class TerminatedPodCollector implements Reconciler {
  readonly name = 'pod-garbage-collector-terminated';

  private lastCheck = -Infinity;

  constructor(
    private readonly registry: Registry,
    private readonly pods: Informer<KubeObject>,
    private readonly now: () => number,
    private readonly threshold = defaultTerminatedPodThreshold,
  ) {
    ensureIndex(pods, terminalIndex, (p) => (isPodTerminal(p) ? ['terminal'] : []));
  }

  podKeys = (_key: string, pod: KubeObject): string[] => (isPodTerminal(pod) ? [terminatedKey] : []);

  async reconcile(): Promise<ReconcileResult> {
    const since = this.now() - this.lastCheck;
    if (since < checkPeriodMs) return { requeueAfterMs: checkPeriodMs - since };
    this.lastCheck = this.now();
    const terminal = this.pods.byIndex(terminalIndex, 'terminal');
    const excess = terminal.length - this.threshold;
    if (excess <= 0) return {};
    const oldest = terminal
      .map((p) => ({ p, created: p.metadata.creationTimestamp ?? '' }))
      .sort((a, b) => (a.created < b.created ? -1 : a.created > b.created ? 1 : 0))
      .slice(0, excess);
    for (const { p } of oldest) {
      try {
        await this.registry.delete(pods, p.metadata.namespace, p.metadata.name ?? '', { gracePeriodSeconds: 0 });
      } catch (e) {
        if (!(e instanceof StatusError && e.status.reason === 'NotFound')) throw e;
      }
    }
    return {};
  }
}
