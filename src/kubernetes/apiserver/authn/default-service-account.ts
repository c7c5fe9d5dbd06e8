/**
 * Every namespace has a ServiceAccount named `default` (pods without a
 * serviceAccountName run as it, and `kubectl create token default` needs it). A
 * reconciler keyed by namespace name creates it when missing — for a new namespace, and
 * again if someone deletes it — and leaves terminating namespaces alone.
 */
import type { Reconciler, ReconcileResult } from '../../../core/reconcile/index.js';
import type { KubeObject } from '../object.js';
import type { Registry } from '../registry.js';
import type { ResourceDefinition } from '../resource.js';
import { StatusError } from '../status.js';

export const defaultServiceAccountName = 'default';

const isReason = (e: unknown, ...reasons: string[]): boolean => e instanceof StatusError && reasons.includes(e.status.reason ?? '');

export class DefaultServiceAccountReconciler implements Reconciler {
  readonly name = 'serviceaccount-default';

  constructor(
    private readonly registry: Registry,
    private readonly kinds: { namespaces: ResourceDefinition; serviceAccounts: ResourceDefinition },
  ) {}

  /** Namespace events wake their own namespace; a `default` ServiceAccount's wake its namespace. */
  static namespaceKeys = (_key: string, ns: KubeObject): string[] => (ns.metadata.name ? [ns.metadata.name] : []);
  static serviceAccountKeys = (_key: string, sa: KubeObject): string[] =>
    sa.metadata.name === defaultServiceAccountName && sa.metadata.namespace ? [sa.metadata.namespace] : [];

  async reconcile(namespace: string): Promise<ReconcileResult> {
    let ns: KubeObject;
    try {
      ns = await this.registry.get(this.kinds.namespaces, undefined, namespace);
    } catch (e) {
      if (isReason(e, 'NotFound')) return {};
      throw e;
    }
    if (ns.metadata.deletionTimestamp) return {};
    try {
      await this.registry.get(this.kinds.serviceAccounts, namespace, defaultServiceAccountName);
      return {};
    } catch (e) {
      if (!isReason(e, 'NotFound')) throw e;
    }
    try {
      await this.registry.create(this.kinds.serviceAccounts, namespace, { metadata: { name: defaultServiceAccountName } });
    } catch (e) {
      // Created meanwhile, or the namespace started terminating: both fine.
      if (!isReason(e, 'AlreadyExists', 'Forbidden', 'NotFound')) throw e;
    }
    return {};
  }
}

