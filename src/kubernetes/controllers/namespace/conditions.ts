/**
 * The conditions the namespace controller reports on a Terminating namespace, with the
 * types, reasons and messages of the real controller, so `kubectl get ns x -o yaml`
 * explains what a namespace is waiting for.
 */
import type { Clock } from '../../../core/clock.js';
import { isObject } from '../../apiserver/object.js';
import { rfc3339 } from '../../apiserver/time.js';

export interface NamespaceCondition {
  type: string;
  status: 'True' | 'False';
  lastTransitionTime: string;
  reason: string;
  message: string;
}

/** What one pass over a namespace's content found. */
export interface ContentReport {
  /** Resource → error message, for deletes that failed. */
  failures: Map<string, string>;
  /** Resource (plural[.group]) → objects still there. */
  remaining: Map<string, number>;
  /** Finalizer → objects still holding it. */
  finalizers: Map<string, number>;
}

type Draft = Omit<NamespaceCondition, 'lastTransitionTime'>;

const sortedEntries = (m: Map<string, number>): [string, number][] => [...m.entries()].sort(([a], [b]) => a.localeCompare(b));

export function conditionsFor(report: ContentReport): Draft[] {
  const failures = [...report.failures.entries()].sort(([a], [b]) => a.localeCompare(b));
  const remaining = sortedEntries(report.remaining);
  const finalizers = sortedEntries(report.finalizers);
  return [
    { type: 'NamespaceDeletionDiscoveryFailure', status: 'False', reason: 'ResourcesDiscovered', message: 'All resources successfully discovered' },
    { type: 'NamespaceDeletionGroupVersionParsingFailure', status: 'False', reason: 'ParsedGroupVersions', message: 'All legacy kube types successfully parsed' },
    failures.length === 0
      ? { type: 'NamespaceDeletionContentFailure', status: 'False', reason: 'ContentDeleted', message: 'All content successfully deleted, may be waiting on finalization' }
      : {
          type: 'NamespaceDeletionContentFailure',
          status: 'True',
          reason: 'ContentDeletionFailed',
          message: `Failed to delete all resource types, ${failures.length} remaining: ${failures.map(([r, m]) => `${r}: ${m}`).join(', ')}`,
        },
    remaining.length === 0
      ? { type: 'NamespaceContentRemaining', status: 'False', reason: 'ContentRemoved', message: 'All content successfully removed' }
      : {
          type: 'NamespaceContentRemaining',
          status: 'True',
          reason: 'SomeResourcesRemain',
          message: `Some resources are remaining: ${remaining.map(([r, n]) => `${r} has ${n} resource instances`).join(', ')}`,
        },
    finalizers.length === 0
      ? { type: 'NamespaceFinalizersRemaining', status: 'False', reason: 'ContentHasNoFinalizers', message: 'All content-preserving finalizers finished' }
      : {
          type: 'NamespaceFinalizersRemaining',
          status: 'True',
          reason: 'SomeFinalizersRemain',
          message: `Some content in the namespace has finalizers remaining: ${finalizers.map(([f, n]) => `${f} in ${n} resource instances`).join(', ')}`,
        },
  ];
}

/** New conditions merged into the old: a condition whose status did not change keeps its transition time. */
export function mergeConditions(old: unknown, drafts: Draft[], clock: Clock): NamespaceCondition[] {
  const previous = Array.isArray(old) ? old.filter(isObject) : [];
  const now = rfc3339(clock.now());
  return drafts.map((d) => {
    const before = previous.find((p) => p.type === d.type);
    const kept = before && before.status === d.status && typeof before.lastTransitionTime === 'string' ? before.lastTransitionTime : now;
    return { type: d.type, status: d.status, lastTransitionTime: kept, reason: d.reason, message: d.message };
  });
}
