/**
 * The ResourceQuota admission plugin: a create in a namespace with quotas is refused
 * (403) when a container leaves a quota'd compute resource unset or when the object would
 * take usage past a quota's hard limit. Usage comes from the tracker's totals plus the
 * reservations of creates admitted moments ago, and an admitted create reserves its own
 * usage in the same synchronous step as the check, so concurrent creates cannot
 * overshoot. Updates are not re-checked (kos keeps pod resources immutable).
 */
import type { Informer } from '../../../../core/reconcile/index.js';
import type { AdmissionAttributes, AdmissionPlugin } from '../../../apiserver/admission.js';
import { arrayAt, objectAt, type KubeObject } from '../../../apiserver/object.js';
import { resourceOf } from '../../../apiserver/registry.js';
import { forbidden } from '../../../apiserver/status.js';
import { byNamespace } from '../indexes.js';
import { exceededMessage, missingResources } from './check.js';
import type { TrackedKind, UsageTracker } from './tracker.js';
import { scopeAllows, scopesMatch } from './usage.js';

export const scopesOf = (quota: KubeObject): string[] => (arrayAt(objectAt(quota, 'spec') ?? {}, 'scopes') ?? []).map(String);
export const hardOf = (quota: KubeObject): Record<string, unknown> => objectAt(objectAt(quota, 'spec') ?? {}, 'hard') ?? {};

export function resourceQuotaAdmission(tracker: UsageTracker, quotas: Informer<KubeObject>, kinds: ReadonlyMap<string, TrackedKind>): AdmissionPlugin {
  return {
    name: 'ResourceQuota',
    async validate(attrs: AdmissionAttributes) {
      if (attrs.operation !== 'CREATE' || !attrs.namespace) return;
      const kind = kinds.get(`${attrs.def.group}/${attrs.def.plural}`);
      if (!kind) return;
      if (quotas.byIndex(byNamespace, attrs.namespace).length === 0) return;
      if (!tracker.synced()) await tracker.waitForSync();
      // From here to the reservation nothing awaits: check and reserve are one step.
      const namespace = attrs.namespace;
      const obj = attrs.object;
      const name = obj.metadata.name ?? '';
      const flags = kind.scope(obj);
      const applicable = quotas
        .byIndex(byNamespace, namespace)
        .filter((q) => scopesOf(q).length === 0 || scopesMatch(scopesOf(q), flags))
        .sort((a, b) => ((a.metadata.name ?? '') < (b.metadata.name ?? '') ? -1 : 1));
      if (flags.pod) {
        for (const q of applicable) {
          const required = Object.keys(hardOf(q)).filter((r) => scopeAllows(scopesOf(q), r));
          const missing = missingResources(obj, required);
          if (missing) throw forbidden(resourceOf(attrs.def), name, `failed quota: ${q.metadata.name ?? ''}: ${missing}`);
        }
      }
      const usage = kind.usage(obj);
      for (const q of applicable) {
        const scopes = scopesOf(q);
        const message = exceededMessage({ name: q.metadata.name ?? '', hard: hardOf(q) }, usage, tracker.committed(namespace, scopes), (r) => scopeAllows(scopes, r));
        if (message) throw forbidden(resourceOf(attrs.def), name, message);
      }
      if (applicable.length > 0 && !attrs.dryRun) tracker.reserve(kind.plural, namespace, name, flags, usage);
    },
  };
}
