/**
 * The status the CRD controller reports: NamesAccepted and Established (both True at
 * once when the names are free, as a single-server cluster has nothing to wait for),
 * acceptedNames and storedVersions. A condition keeps its lastTransitionTime while its
 * status holds.
 */
import { arrayAt, isObject, objectAt, type JsonObject, type KubeObject } from '../object.js';
import type { CrdModel } from './crd-model.js';

export interface Condition {
  type: string;
  status: 'True' | 'False';
  lastTransitionTime: string;
  reason: string;
  message: string;
}

export const conditionOf = (obj: KubeObject, type: string): JsonObject | undefined =>
  (arrayAt(objectAt(obj, 'status') ?? {}, 'conditions') ?? []).filter(isObject).find((c) => c.type === type);

/** `conflict` is why the names cannot be served, or undefined when they can. */
export function desiredStatus(obj: KubeObject, crd: CrdModel, conflict: string | undefined, now: string): JsonObject {
  const keep = (c: Omit<Condition, 'lastTransitionTime'>): Condition => {
    const old = conditionOf(obj, c.type);
    const since = old && old.status === c.status && typeof old.lastTransitionTime === 'string' ? old.lastTransitionTime : now;
    return { type: c.type, status: c.status, lastTransitionTime: since, reason: c.reason, message: c.message };
  };
  const conditions = conflict
    ? [
        keep({ type: 'NamesAccepted', status: 'False', reason: 'NameConflict', message: conflict }),
        keep({ type: 'Established', status: 'False', reason: 'NotAccepted', message: 'not all names are accepted' }),
      ]
    : [
        keep({ type: 'NamesAccepted', status: 'True', reason: 'NoConflicts', message: 'no conflicts found' }),
        keep({ type: 'Established', status: 'True', reason: 'InitialNamesAccepted', message: 'the initial names have been accepted' }),
      ];
  const n = crd.names;
  const acceptedNames = conflict
    ? { plural: '', kind: '' }
    : {
        plural: n.plural,
        singular: n.singular,
        ...(n.shortNames.length ? { shortNames: n.shortNames } : {}),
        kind: n.kind,
        listKind: n.listKind,
        ...(n.categories.length ? { categories: n.categories } : {}),
      };
  const stored = (arrayAt(objectAt(obj, 'status') ?? {}, 'storedVersions') ?? []).filter((v): v is string => typeof v === 'string');
  const storage = crd.versions.find((v) => v.storage)?.name;
  const storedVersions = storage && !stored.includes(storage) && !conflict ? [...stored, storage] : stored;
  return { conditions, acceptedNames, storedVersions };
}
