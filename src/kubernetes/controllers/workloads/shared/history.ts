/**
 * ControllerRevisions for StatefulSets and DaemonSets (upstream's controller history):
 * each distinct template is stored once as `{spec: {template: {…, $patch: replace}}}`,
 * named `<owner>-<hash of that data>`, numbered. When the current template equals an
 * older revision, that revision is renumbered to the next number rather than copied —
 * which is how `kubectl rollout undo` on these kinds shows up in `rollout history`.
 */
import { clone, numberAt, objectAt, type JsonObject, type KubeObject } from '../../../apiserver/object.js';
import type { Registry } from '../../../apiserver/registry.js';
import type { ResourceDefinition } from '../../../apiserver/resource.js';
import { controllerrevisions } from '../../../apiserver/resources/controllerrevisions.js';
import { StatusError } from '../../../apiserver/status.js';
import { computeHash, sameJson, stableJson } from './hash.js';
import { controllerRefOf, controllerRefTo } from './owners.js';
import { specOf } from './pod-state.js';
import { templateOf } from './pod-template.js';
import { isNotFound } from './status-write.js';

export const revisionNumber = (r: KubeObject): number => numberAt(r, 'revision') ?? 0;

/** The revision data of an owner's current template. */
export function revisionData(owner: KubeObject): JsonObject {
  return { spec: { template: { ...clone(templateOf(specOf(owner))), $patch: 'replace' } } };
}

/** The pod template a revision records. */
export function templateFromRevision(r: KubeObject): JsonObject {
  const t = clone(objectAt(objectAt(objectAt(r, 'data') ?? {}, 'spec') ?? {}, 'template') ?? {});
  delete t.$patch;
  return t;
}

/** The hash naming a revision: of its data, with the owner's collision count folded in. */
export const revisionHash = (data: JsonObject, collisionCount: number | undefined): string => computeHash(JSON.parse(stableJson(data)), collisionCount);

export interface SyncedHistory {
  /** The revision of the owner's current template. */
  update: KubeObject;
  /** All revisions after the sync, sorted by number. */
  revisions: KubeObject[];
  collisionCount: number;
}

export interface HistoryInput {
  registry: Registry;
  owner: KubeObject;
  ownerDef: ResourceDefinition;
  /** Revisions controlled by the owner (from the cache). */
  revisions: readonly KubeObject[];
  /** Labels for a new revision (given the hash). */
  labels: (hash: string) => Record<string, string>;
  collisionCount: number;
}

export async function syncHistory(input: HistoryInput): Promise<SyncedHistory> {
  const { registry, owner } = input;
  const ns = owner.metadata.namespace;
  const revisions = [...input.revisions].sort((a, b) => revisionNumber(a) - revisionNumber(b));
  const data = revisionData(owner);
  const next = (revisions.length > 0 ? revisionNumber(revisions[revisions.length - 1]!) : 0) + 1;
  const equal = revisions.filter((r) => sameJson(r.data, data));
  const latest = revisions[revisions.length - 1];
  const lastEqual = equal[equal.length - 1];
  if (lastEqual && lastEqual === latest) return { update: lastEqual, revisions, collisionCount: input.collisionCount };
  if (lastEqual) {
    const renumbered = await renumber(registry, lastEqual, next);
    return { update: renumbered, revisions: [...revisions.filter((r) => r !== lastEqual), renumbered], collisionCount: input.collisionCount };
  }
  let collisionCount = input.collisionCount;
  for (let attempt = 0; attempt < 5; attempt++) {
    const hash = revisionHash(data, collisionCount);
    const body: KubeObject = {
      apiVersion: 'apps/v1',
      kind: 'ControllerRevision',
      metadata: { name: `${owner.metadata.name ?? ''}-${hash}`, namespace: ns, labels: input.labels(hash), ownerReferences: [controllerRefTo(owner, input.ownerDef)] },
      data,
      revision: next,
    };
    try {
      const created = await registry.create(controllerrevisions, ns, body);
      return { update: created, revisions: [...revisions, created], collisionCount };
    } catch (e) {
      if (!(e instanceof StatusError && e.code === 409)) throw e;
      const existing = await registry.get(controllerrevisions, ns, body.metadata.name ?? '');
      if (controllerRefOf(existing)?.uid === owner.metadata.uid && sameJson(existing.data, data)) {
        return { update: existing, revisions: [...revisions.filter((r) => r.metadata.uid !== existing.metadata.uid), existing], collisionCount };
      }
      collisionCount++;
    }
  }
  throw new Error(`cannot find a free controller revision name for ${owner.metadata.name ?? ''}`);
}

/**
 * Give a revision a new number. Upstream updates it in place; should the API server
 * refuse the change as immutable, delete and recreate it under the same name instead.
 */
async function renumber(registry: Registry, r: KubeObject, revision: number): Promise<KubeObject> {
  const ns = r.metadata.namespace;
  const name = r.metadata.name ?? '';
  try {
    return await registry.updateWith(controllerrevisions, ns, name, (cur) => ({ ...cur, revision }));
  } catch (e) {
    if (!(e instanceof StatusError && e.code === 422)) throw e;
  }
  await registry.delete(controllerrevisions, ns, name, { preconditions: { uid: r.metadata.uid ?? '' } });
  const { uid: _u, resourceVersion: _rv, creationTimestamp: _c, ...meta } = r.metadata;
  return registry.create(controllerrevisions, ns, { ...r, metadata: meta, revision });
}

/** Delete the oldest revisions beyond `limit` that no live pod and neither current nor update uses. */
export async function truncateHistory(registry: Registry, revisions: readonly KubeObject[], inUse: ReadonlySet<string>, limit: number): Promise<void> {
  const removable = revisions.filter((r) => !inUse.has(r.metadata.name ?? ''));
  const excess = removable.length - limit;
  for (const r of removable.slice(0, Math.max(0, excess))) {
    try {
      await registry.delete(controllerrevisions, r.metadata.namespace, r.metadata.name ?? '', { preconditions: { uid: r.metadata.uid ?? '' } });
    } catch (e) {
      if (!isNotFound(e) && !(e instanceof StatusError && e.code === 409)) throw e;
    }
  }
}
