/**
 * Deployment revisions and the annotations that carry them between a Deployment and its
 * ReplicaSets. The new ReplicaSet is the one whose template equals the Deployment's
 * (ignoring pod-template-hash); it gets revision max(old)+1 — so rolling back to an old
 * template reuses that old ReplicaSet under a new number, recording the numbers it had
 * in revision-history, as `kubectl rollout history` shows.
 */
import { clone, numberAt, objectAt, type JsonObject, type KubeObject } from '../../../apiserver/object.js';
import { parseTimestamp } from '../../../apiserver/time.js';
import { sameJson } from '../shared/hash.js';
import { specOf } from '../shared/pod-state.js';
import { templateOf } from '../shared/pod-template.js';

export const revisionAnnotation = 'deployment.kubernetes.io/revision';
export const revisionHistoryAnnotation = 'deployment.kubernetes.io/revision-history';
export const desiredReplicasAnnotation = 'deployment.kubernetes.io/desired-replicas';
export const maxReplicasAnnotation = 'deployment.kubernetes.io/max-replicas';
export const podTemplateHashLabel = 'pod-template-hash';
export const lastAppliedAnnotation = 'kubectl.kubernetes.io/last-applied-configuration';
const rollbackToAnnotation = 'deprecated.deployment.rollback.to';

/** Annotations a Deployment does not pass on to its ReplicaSets. */
const notCopied = new Set([lastAppliedAnnotation, revisionAnnotation, revisionHistoryAnnotation, desiredReplicasAnnotation, maxReplicasAnnotation, rollbackToAnnotation]);

export function revisionOf(o: KubeObject): number {
  const v = Number(o.metadata.annotations?.[revisionAnnotation] ?? 0);
  return Number.isInteger(v) && v > 0 ? v : 0;
}

export const maxRevision = (sets: readonly KubeObject[]): number => sets.reduce((m, rs) => Math.max(m, revisionOf(rs)), 0);

/** Templates equal once pod-template-hash is dropped from both (upstream's EqualIgnoreHash). */
export function equalIgnoringHash(a: JsonObject, b: JsonObject): boolean {
  const strip = (t: JsonObject): JsonObject => {
    const c = clone(t);
    const labels = objectAt(objectAt(c, 'metadata') ?? {}, 'labels');
    if (labels) delete labels[podTemplateHashLabel];
    return c;
  };
  return sameJson(strip(a), strip(b));
}

export const creationTime = (o: KubeObject): number => parseTimestamp(o.metadata.creationTimestamp) ?? 0;

/** Oldest first; ties by name (upstream's ReplicaSetsByCreationTimestamp). */
export const byCreation = (a: KubeObject, b: KubeObject): number => creationTime(a) - creationTime(b) || ((a.metadata.name ?? '') < (b.metadata.name ?? '') ? -1 : 1);

/** The ReplicaSet running the Deployment's current template: the oldest of equals. */
export function findNewReplicaSet(deployment: KubeObject, sets: readonly KubeObject[]): KubeObject | undefined {
  const template = templateOf(specOf(deployment));
  return [...sets].sort(byCreation).find((rs) => equalIgnoringHash(templateOf(specOf(rs)), template));
}

export const replicasOf = (o: KubeObject): number => numberAt(specOf(o), 'replicas') ?? 0;

/**
 * The annotations the new ReplicaSet should carry (upstream's SetNewReplicaSetAnnotations
 * plus SetReplicasAnnotations): the Deployment's own (minus the bookkeeping ones), the
 * revision moved up to `newRevision` with the old one appended to the history, and the
 * desired and max replicas.
 */
export function newReplicaSetAnnotations(deployment: KubeObject, rs: KubeObject | undefined, newRevision: number, maxSurge: number): Record<string, string> {
  const out: Record<string, string> = { ...(rs?.metadata.annotations ?? {}) };
  for (const [k, v] of Object.entries(deployment.metadata.annotations ?? {})) if (!notCopied.has(k)) out[k] = v;
  const old = rs ? revisionOf(rs) : 0;
  if (old < newRevision) {
    out[revisionAnnotation] = String(newRevision);
    if (old > 0) {
      const history = out[revisionHistoryAnnotation];
      out[revisionHistoryAnnotation] = history ? `${history},${old}` : String(old);
    }
  }
  Object.assign(out, replicasAnnotations(deployment, maxSurge));
  return out;
}

export function replicasAnnotations(deployment: KubeObject, maxSurge: number): Record<string, string> {
  const desired = replicasOf(deployment);
  return { [desiredReplicasAnnotation]: String(desired), [maxReplicasAnnotation]: String(desired + maxSurge) };
}

/** An integer annotation, or undefined. */
export function intAnnotation(o: KubeObject, name: string): number | undefined {
  const v = o.metadata.annotations?.[name];
  if (v === undefined) return undefined;
  const n = Number(v);
  return Number.isInteger(n) ? n : undefined;
}
