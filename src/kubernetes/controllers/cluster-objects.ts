/**
 * One informer over everything a cluster stores, shared by its controllers: each object
 * cached as the little the garbage collector and the namespace controller decide on,
 * indexed by uid and by the uids of its owners.
 */
import type { Clock } from '../../core/clock.js';
import type { Logger } from '../../core/log.js';
import { Informer } from '../../core/reconcile/index.js';
import type { OwnerReference } from '../apiserver/object.js';
import { isObject } from '../apiserver/object.js';
import { topLevelMember } from '../../core/json-member.js';
import type { Registry } from '../apiserver/registry.js';

export interface ObjectSummary {
  uid: string;
  namespace: string | undefined;
  ownerReferences: OwnerReference[];
  finalizers: string[];
  deleting: boolean;
}

/** Index: an object's own uid. */
export const byUid = 'uid';
/** Index: the uid of each of an object's owners (its dependents, looked up by owner). */
export const byOwnerUid = 'owner-uid';

const utf8 = new TextDecoder();

function isOwnerReference(x: unknown): x is OwnerReference {
  return isObject(x) && typeof x.uid === 'string' && typeof x.name === 'string' && typeof x.kind === 'string' && typeof x.apiVersion === 'string';
}

/**
 * The summary of a stored object, parsing only its metadata: the garbage collector's
 * informer meets most objects after their kind's informer has moved on to a newer
 * version, and would otherwise parse a whole pod to read a few fields of it.
 */
export function summarize(value: Uint8Array): ObjectSummary {
  const span = topLevelMember(value, 'metadata');
  if (!span) return summarizeParsed(JSON.parse(utf8.decode(value)));
  return summarizeParsed({ metadata: JSON.parse(utf8.decode(value.subarray(span[0], span[1]))) });
}

function summarizeParsed(parsed: unknown): ObjectSummary {
  const meta = isObject(parsed) && isObject(parsed.metadata) ? parsed.metadata : {};
  return {
    uid: typeof meta.uid === 'string' ? meta.uid : '',
    namespace: typeof meta.namespace === 'string' ? meta.namespace : undefined,
    ownerReferences: Array.isArray(meta.ownerReferences) ? meta.ownerReferences.filter(isOwnerReference) : [],
    finalizers: Array.isArray(meta.finalizers) ? meta.finalizers.filter((f): f is string => typeof f === 'string') : [],
    deleting: typeof meta.deletionTimestamp === 'string',
  };
}

/** Whether two summaries agree on everything the collector decides on. */
export function sameSummary(a: ObjectSummary, b: ObjectSummary): boolean {
  if (a.uid !== b.uid || a.deleting !== b.deleting || a.namespace !== b.namespace) return false;
  if (a.finalizers.length !== b.finalizers.length || a.finalizers.some((f, i) => f !== b.finalizers[i])) return false;
  if (a.ownerReferences.length !== b.ownerReferences.length) return false;
  return a.ownerReferences.every((r, i) => {
    const o = b.ownerReferences[i];
    return o !== undefined && r.uid === o.uid && r.name === o.name && r.kind === o.kind && r.apiVersion === o.apiVersion && r.controller === o.controller && r.blockOwnerDeletion === o.blockOwnerDeletion;
  });
}

export function clusterObjectsInformer(registry: Registry, clock: Clock, logger: Logger): Informer<ObjectSummary> {
  const informer = new Informer<ObjectSummary>({
    store: registry.store,
    prefix: registry.keys.clusterPrefix(),
    // The kind's informer's object when it has one (Registry.sharedDecode), else only the
    // metadata is parsed. Most writes (a status) leave the summary as it was: the cache
    // keeps the one it has.
    decode: (value, kv, previous) => {
      const shared = registry.sharedDecode(kv);
      const summary = shared ? summarizeParsed(shared) : summarize(value);
      return previous && sameSummary(previous, summary) ? previous : summary;
    },
    clock,
    logger,
  });
  informer.addIndex(byUid, (o) => (o.uid ? [o.uid] : []));
  informer.addIndex(byOwnerUid, (o) => o.ownerReferences.map((r) => r.uid));
  return informer;
}
