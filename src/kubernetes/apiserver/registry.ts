/**
 * The one generic registry: every kind's create, read, update, delete and list go through
 * here, over the store, with the kind's strategy supplying what is special. The system
 * fields (uid, resourceVersion = store modRevision, creationTimestamp, generation,
 * deletionTimestamp) are owned here and nowhere else.
 */
import { randomUUID } from 'node:crypto';
import type { Clock } from '../../core/clock.js';
import { isKosError } from '../../core/errors.js';
import type { KeyValue, Store } from '../../core/store/types.js';
import { invalidError, notSupported, invalid, type FieldError } from './field-errors.js';
import { KeyLayout } from './keys.js';
import { asKubeObject, clone, isObject, type JsonObject, type KubeObject } from './object.js';
import type { ResourceDefinition, StrategyContext } from './resource.js';
import {
  alreadyExists,
  badRequest,
  conflict,
  forbidden,
  modifiedConflict,
  notFound,
  type QualifiedResource,
} from './status.js';
import { rfc3339 } from './time.js';
import { validateObjectMeta } from './validation.js';
import { AdmissionChain } from './admission.js';
import { markShared } from './shared-objects.js';
import type { UserInfo } from './authn/user.js';

const utf8Encoder = new TextEncoder();
const utf8Decoder = new TextDecoder();
const sameBytes = (a: Uint8Array, b: Uint8Array): boolean =>
  a.byteLength === b.byteLength && Buffer.compare(Buffer.from(a.buffer, a.byteOffset, a.byteLength), Buffer.from(b.buffer, b.byteOffset, b.byteLength)) === 0;

export interface WriteOptions {
  /** dryRun=All: run every check, write nothing. */
  dryRun?: boolean;
  /**
   * The managedFields of the written object from the old one (absent on create) and the
   * one about to be written (see ./apply). Without it an update keeps the old entries:
   * writes from inside the server (controllers) are not recorded.
   */
  managedFields?: (old: KubeObject | undefined, next: KubeObject) => unknown[];
  /** The requester, handed to admission (absent for writes from inside the server). */
  user?: UserInfo;
}

export interface UpdateOptions extends WriteOptions {
  /**
   * `status`: write only the status of the object (the status subresource). `internal`:
   * a write computed by the server itself (pods/binding) that sets spec and status at once.
   */
  subresource?: 'status' | 'internal';
  /**
   * `desired` changes nothing it is given: it returns a new object that shares with the
   * given one the parts it leaves as they were (`{ ...cur, status }`). It is then given
   * the current object itself, not a deep copy of it, and what is written shares every
   * part it did not change with the version before: one pod in the caches costs its
   * changed parts, not a whole copy, per write.
   */
  copyOnWrite?: boolean;
}

export interface DeleteOptionsBody {
  propagationPolicy?: string;
  gracePeriodSeconds?: number;
  preconditions?: { uid?: string; resourceVersion?: string };
  dryRun?: boolean;
}

export interface DeleteResult {
  object: KubeObject;
  /** False when the object was only marked (finalizers pending). */
  deleted: boolean;
}

/** What an update is computed from: the current object in, the desired object out. */
export type Desired = (current: KubeObject) => unknown;

const conflictRetries = 10;
const generatedSuffixAlphabet = 'bcdfghjklmnpqrstvwxz2456789';

export const resourceOf = (def: ResourceDefinition): QualifiedResource => ({ group: def.group, resource: def.plural });

export interface RegistryOptions {
  store: Store;
  clock: Clock;
  cluster: string;
  /** The namespaces resource, consulted when a namespaced object is created. */
  namespaces: ResourceDefinition;
}

/** Decoded watch-event values by their bytes (see Registry.decodeShared). */
const sharedDecodes = new WeakMap<Uint8Array, KubeObject>();
/**
 * How many keys' latest shared decodes are also found by key and revision. A write reads
 * its object long after the informer decoded it when a controller lags (the scheduler
 * binds pods the ReplicaSet controller created tens of thousands of writes earlier), so
 * this is by key, not by the last N revisions.
 */
const recentDecodeLimit = 131_072;

/**
 * Keeps a map in insertion order within `limit` entries by dropping the oldest eighth at
 * once: finding the oldest walks past the holes earlier deletes left at the front of the
 * map, so once per eighth rather than once per insert.
 */
function trimOldest(map: Map<string, unknown>, limit: number): void {
  if (map.size <= limit) return;
  let drop = map.size - limit + (limit >> 3);
  for (const key of map.keys()) {
    map.delete(key);
    if (--drop <= 0) break;
  }
}

/** `obj` as the decode of `kv`'s bytes from now on, at kv's revision: every holder of these bytes reads them at the same one. */
function handedOut(kv: KeyValue, obj: KubeObject): KubeObject {
  sharedDecodes.set(kv.value, obj);
  if (obj.metadata) obj.metadata.resourceVersion = String(kv.modRevision);
  return obj;
}

/** A shallow copy of `obj` with a copy of its metadata: all that a write's system fields change. */
const withOwnMetadata = (obj: KubeObject): KubeObject => ({ ...obj, metadata: { ...obj.metadata } });

/** A write this thread made, held until its watch event comes back (Registry.ownWrite). */
interface OwnWrite {
  /** The bytes sent, while the write is in flight: its event may come before its answer. */
  value: Uint8Array | undefined;
  bytes: number;
  /** The revision the write got, once it has committed. */
  revision?: number;
  /** What was written, as the writer built it. */
  obj: KubeObject;
}

export class Registry {
  readonly keys: KeyLayout;
  readonly store: Store;
  readonly clock: Clock;
  /** Plugins every create and update passes before the write (LimitRanger, ResourceQuota). */
  readonly admission = new AdmissionChain();
  private readonly namespaces: ResourceDefinition;
  /**
   * The latest shared decode of each key (decodeShared). Held weakly: the informers keep
   * the objects that are current, and a deleted key's object is not kept alive here.
   */
  private readonly recentDecodes = new Map<string, { revision: number; bytes: number; obj: WeakRef<KubeObject> }>();
  /**
   * This thread's writes whose events have not come back yet, by key. Held strongly: a
   * controller that lags reads its own write's event seconds later, by when the writer
   * has long dropped the object. Bounded as recentDecodes is, for kinds no informer of
   * this thread watches.
   */
  private readonly writing = new Map<string, OwnWrite>();
  /**
   * The namespaces as an informer of this thread holds them, where the thread's creates
   * may be checked against it (the controllers', as kube-controller-manager's clients are
   * checked by the NamespaceLifecycle admission against its lister): a create then costs
   * no store read. Unset, every create reads its namespace from the store.
   */
  namespaceLister: ((name: string) => Readonly<KubeObject> | undefined) | undefined;
  /** Whether a namespace is terminating, as of the store revision it was decoded at. */
  private readonly namespaceTerminating = new Map<string, { revision: number; value: boolean }>();

  constructor(opts: RegistryOptions) {
    this.store = opts.store;
    this.clock = opts.clock;
    this.keys = new KeyLayout(opts.cluster);
    this.namespaces = opts.namespaces;
  }

  /** A stored value as the object clients see, resourceVersion filled in. */
  decode(kv: KeyValue, resourceVersion = kv.modRevision): KubeObject {
    const obj = JSON.parse(utf8Decoder.decode(kv.value)) as KubeObject;
    obj.metadata.resourceVersion = String(resourceVersion);
    return obj;
  }

  /** The object this thread last decoded for `key`, its revision and size, if it is still held. */
  private latestDecoded(key: string): { obj: KubeObject; revision: number; bytes: number } | undefined {
    const recent = this.recentDecodes.get(key);
    const obj = recent?.obj.deref();
    return obj && recent ? { obj, revision: recent.revision, bytes: recent.bytes } : undefined;
  }

  private remember(key: string, revision: number, bytes: number, obj: KubeObject): void {
    // Deleted first, so the map's order is the order keys were last decoded in.
    this.recentDecodes.delete(key);
    this.recentDecodes.set(key, { revision, bytes, obj: new WeakRef(obj) });
    trimOldest(this.recentDecodes, recentDecodeLimit);
  }

  /**
   * Runs `write` of `obj` (encoded as `value`) and keeps `obj` as the decode of the event
   * the write will produce, so that this thread's informers take the object the writer
   * built instead of parsing the bytes back. From here on `obj` is shared: read-only to
   * the writer as much as to the informers.
   */
  private async written<T extends { modRevision: number }>(key: string, value: Uint8Array, obj: KubeObject, write: Promise<T>): Promise<T> {
    markShared(obj);
    const entry: OwnWrite = { value, bytes: value.byteLength, obj };
    this.writing.delete(key);
    this.writing.set(key, entry);
    trimOldest(this.writing, recentDecodeLimit);
    let kv: T;
    try {
      kv = await write;
    } catch (e) {
      if (this.writing.get(key) === entry) this.writing.delete(key);
      throw e;
    }
    this.remember(key, kv.modRevision, entry.bytes, obj);
    if (this.writing.get(key) === entry) {
      entry.revision = kv.modRevision;
      entry.value = undefined;
    }
    return kv;
  }

  /** The object of this thread's write that produced `kv`, if it was one; taken once. */
  private ownWrite(kv: KeyValue): KubeObject | undefined {
    const own = this.writing.get(kv.key);
    if (!own) return undefined;
    const same = own.revision !== undefined ? own.revision === kv.modRevision && own.bytes === kv.value.byteLength : own.value !== undefined && sameBytes(own.value, kv.value);
    if (!same) return undefined;
    this.writing.delete(kv.key);
    return own.obj;
  }

  /**
   * The decoded object of a watch event's value, parsed once however many informers
   * receive that event (the kind's informer and the garbage collector's both do): the
   * store hands every watcher the same value bytes. The event of a write this thread
   * made is not parsed at all: it is the object that was written. The object is shared,
   * so it is read-only to everyone who gets it.
   */
  decodeShared(kv: KeyValue): Readonly<KubeObject> {
    const shared = this.sharedDecode(kv);
    if (shared) return shared;
    const obj = JSON.parse(utf8Decoder.decode(kv.value)) as KubeObject;
    const previous = this.latestDecoded(kv.key);
    if (previous) shareUnchanged(obj as unknown as JsonObject, previous.obj as unknown as JsonObject, 2);
    markShared(obj);
    this.remember(kv.key, kv.modRevision, kv.value.byteLength, obj);
    return handedOut(kv, obj);
  }

  /**
   * decodeShared's object when it needs no parse: this thread wrote it, or already
   * decoded these bytes or another copy of them. A reader that wants only part of the
   * object (the garbage collector, its metadata) parses that part itself otherwise.
   */
  sharedDecode(kv: KeyValue): Readonly<KubeObject> | undefined {
    let obj = sharedDecodes.get(kv.value);
    if (obj) return obj;
    // This thread's own write comes back as the object it wrote. The entry is taken
    // here, whichever way the object is found after: left, it would be held until evicted.
    obj = this.ownWrite(kv);
    if (obj) this.remember(kv.key, kv.modRevision, kv.value.byteLength, obj);
    else {
      // A store on another thread sends each watch its own copy of the bytes; the write
      // they came from (its key and revision) still names them.
      const recent = this.latestDecoded(kv.key);
      if (recent && recent.revision === kv.modRevision && recent.bytes === kv.value.byteLength) obj = recent.obj;
    }
    return obj && handedOut(kv, obj);
  }

  /** A stored value as `def` serves it: converted when `def` is a view of another version. */
  decodeAs(def: ResourceDefinition, kv: KeyValue, resourceVersion = kv.modRevision): KubeObject {
    const obj = this.decode(kv, resourceVersion);
    return def.conversion ? def.conversion.fromStorage(obj) : obj;
  }

  /** The stored form of an object. */
  encode(obj: KubeObject): Uint8Array {
    // resourceVersion is the store's revision, never stored inside the value.
    const { resourceVersion: _rv, ...metadata } = obj.metadata;
    return utf8Encoder.encode(JSON.stringify({ ...obj, metadata }));
  }

  private ctx(): StrategyContext {
    return { now: this.clock.now() };
  }

  async get(def: ResourceDefinition, namespace: string | undefined, name: string): Promise<KubeObject> {
    const conv = def.conversion;
    if (conv) return conv.fromStorage(await this.get(conv.storage, namespace, name));
    const kv = await this.store.get(this.keys.key(def, namespace, name));
    if (!kv) throw notFound(resourceOf(def), name);
    return this.decode(kv);
  }

  async create(def: ResourceDefinition, namespace: string | undefined, body: unknown, opts: WriteOptions = {}): Promise<KubeObject> {
    const obj = asKubeObject(body, def.apiVersion, def.kind);
    const conv = def.conversion;
    if (conv) {
      this.checkValid(def, obj, def.strategy.validate?.(obj));
      return conv.fromStorage(await this.create(conv.storage, namespace, conv.toStorage(obj, undefined), opts));
    }
    const meta = obj.metadata;
    if (def.namespaced) {
      if (meta.namespace && namespace && meta.namespace !== namespace) {
        throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
      }
      meta.namespace = namespace ?? meta.namespace;
    }
    if (meta.resourceVersion) throw badRequest('resourceVersion should not be set on objects to be created');
    const generated = !meta.name && !!meta.generateName;
    for (let attempt = 0; ; attempt++) {
      const candidate = clone(obj);
      if (generated) candidate.metadata.name = `${meta.generateName}${this.randomSuffix()}`;
      this.fillSystemFieldsForCreate(def, candidate);
      def.strategy.defaults?.(candidate);
      def.strategy.prepareForCreate?.(candidate, this.ctx());
      if (opts.managedFields) setManagedFields(candidate, opts.managedFields(undefined, candidate));
      this.checkValid(def, candidate, validateObjectMeta(candidate.metadata, def.nameRule, def.namespaced), def.strategy.validate?.(candidate));
      const name = candidate.metadata.name!;
      if (def.namespaced) await this.checkNamespaceAcceptsContent(def, candidate.metadata.namespace!, name);
      if (!this.admission.empty) {
        await this.admission.admit({ operation: 'CREATE', def, namespace: candidate.metadata.namespace, object: candidate, dryRun: !!opts.dryRun, ...(opts.user ? { user: opts.user } : {}) });
      }
      const key = this.keys.key(def, candidate.metadata.namespace, name);
      if (opts.dryRun) {
        if (await this.store.get(key)) throw alreadyExists(resourceOf(def), name);
        return candidate;
      }
      try {
        const value = this.encode(candidate);
        const kv = await this.written(key, value, candidate, this.store.create(key, value));
        // The candidate is what was stored: no need to parse it back.
        candidate.metadata.resourceVersion = String(kv.modRevision);
        return candidate;
      } catch (e) {
        if (isKosError(e) && e.kind === 'AlreadyExists') {
          if (generated && attempt < 5) continue;
          throw alreadyExists(resourceOf(def), name);
        }
        throw e;
      }
    }
  }

  private fillSystemFieldsForCreate(def: ResourceDefinition, obj: KubeObject): void {
    const meta = obj.metadata;
    meta.uid = randomUUID();
    meta.creationTimestamp = rfc3339(this.clock.now());
    delete meta.resourceVersion;
    delete meta.deletionTimestamp;
    delete meta.deletionGracePeriodSeconds;
    // Field ownership (server-side apply) is a later piece; never store what a client sent.
    delete meta.managedFields;
    if (def.strategy.generationFields) meta.generation = 1;
    else delete meta.generation;
    if (!def.namespaced) delete meta.namespace;
  }

  private randomSuffix(): string {
    let s = '';
    for (let i = 0; i < 5; i++) s += generatedSuffixAlphabet[Math.floor(Math.random() * generatedSuffixAlphabet.length)];
    return s;
  }

  private async checkNamespaceAcceptsContent(def: ResourceDefinition, namespace: string, name: string): Promise<void> {
    const listed = this.namespaceLister?.(namespace);
    // Not listed (or no lister): the store says, as upstream looks up a namespace its
    // lister does not have yet (one just created).
    const terminating = listed ? Boolean(listed.metadata.deletionTimestamp) : await this.storedNamespaceTerminating(namespace);
    if (terminating) {
      throw forbidden(resourceOf(def), name, `unable to create new content in namespace ${namespace} because it is being terminated`);
    }
  }

  private async storedNamespaceTerminating(namespace: string): Promise<boolean> {
    const kv = await this.store.get(this.keys.key(this.namespaces, undefined, namespace));
    if (!kv) throw notFound(resourceOf(this.namespaces), namespace);
    // Every create asks this of the same few namespaces: decode each revision once.
    let terminating = this.namespaceTerminating.get(namespace);
    if (terminating?.revision !== kv.modRevision) {
      terminating = { revision: kv.modRevision, value: Boolean(this.decode(kv).metadata.deletionTimestamp) };
      if (this.namespaceTerminating.size >= 1024) this.namespaceTerminating.clear();
      this.namespaceTerminating.set(namespace, terminating);
    }
    return terminating.value;
  }


  private checkValid(def: ResourceDefinition, obj: KubeObject, ...lists: (FieldError[] | undefined)[]): void {
    const errors = lists.flatMap((l) => l ?? []);
    if (errors.length > 0) throw invalidError(def.group, def.kind, obj.metadata.name ?? obj.metadata.generateName ?? '', errors);
  }

  /** PUT: replace the object with the body (optionally only its status). */
  update(def: ResourceDefinition, namespace: string | undefined, name: string, body: unknown, opts: UpdateOptions = {}): Promise<KubeObject> {
    return this.updateWith(def, namespace, name, () => body, opts);
  }

  /**
   * The update lifecycle for PUT, PATCH and subresources: read, compute the desired
   * object from the current one, keep the system fields, run the strategy, then
   * compare-and-swap. A desired object that names a resourceVersion is a precondition
   * (409 on mismatch); without one the loop retries lost races.
   */
  async updateWith(def: ResourceDefinition, namespace: string | undefined, name: string, desired: Desired, opts: UpdateOptions = {}): Promise<KubeObject> {
    const conv = def.conversion;
    if (conv) {
      const viaStorage: Desired = (stored) => {
        const next = asKubeObject(desired(conv.fromStorage(clone(stored))), def.apiVersion, def.kind);
        this.checkValid(def, next, def.strategy.validate?.(next));
        return conv.toStorage(next, stored);
      };
      return conv.fromStorage(await this.updateWith(conv.storage, namespace, name, viaStorage, opts));
    }
    const key = this.keys.key(def, namespace, name);
    // A subresource write first tries the object as this thread last decoded it, as
    // upstream's GuaranteedUpdate starts from the watch cache's copy: no read. If that copy
    // is stale the compare-and-swap says so, and the next turn reads the store. Whatever
    // a stale copy would decide alone (a failed precondition, nothing to change) is
    // decided again on a fresh read.
    const optimistic = opts.subresource !== undefined && !opts.dryRun;
    for (let attempt = 0; ; attempt++) {
      const cached = optimistic && attempt === 0 ? this.latestDecoded(key) : undefined;
      let shared: KubeObject;
      let revision: number;
      if (cached) {
        shared = cached.obj;
        revision = cached.revision;
      } else {
        const kv = await this.store.get(key);
        if (!kv) throw notFound(resourceOf(def), name);
        // The store hands back the bytes its watchers got, so the parse is usually done
        // already. A subresource write only reads the old object; a whole-object update
        // gets its own copy, since strategies carry parts of it (the status) into the new one.
        shared = this.decodeShared(kv) as KubeObject;
        revision = kv.modRevision;
      }
      let old: KubeObject;
      let merged: KubeObject;
      try {
        old = opts.subresource === undefined ? clone(shared) : shared;
        // Only the metadata is written into below (the system fields); the rest of a
        // copy-on-write draft is the current object's own.
        const draft = opts.copyOnWrite ? withOwnMetadata(old) : clone(old);
        const next = asKubeObject(desired(draft), def.apiVersion, def.kind);
        // An object the caller built (a request body, a copy of a cached object) may share
        // its metadata with what the caller keeps: the system fields below go on a copy.
        if (next !== draft) next.metadata = { ...next.metadata };
        const precondition = next.metadata.resourceVersion;
        if (next.metadata.name !== undefined && next.metadata.name !== name) {
          throw badRequest(`the name of the object (${next.metadata.name}) does not match the name on the URL (${name})`);
        }
        if (def.namespaced && next.metadata.namespace && next.metadata.namespace !== namespace) {
          throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
        }
        if (precondition && precondition !== String(revision)) throw modifiedConflict(resourceOf(def), name);
        merged = opts.subresource === 'status' ? this.statusOnly(old, next, opts.copyOnWrite === true) : next;
        this.keepSystemFields(def, merged, old, name, namespace);
        // What the server computes itself (pods/binding) from the stored object, which was
        // valid, is not defaulted and validated again, as upstream's binding is not.
        const internal = opts.subresource === 'internal';
        if (!internal) def.strategy.defaults?.(merged);
        if (opts.subresource === undefined) def.strategy.prepareForUpdate?.(merged, old);
        this.bumpGeneration(def, merged, old);
        setManagedFields(merged, opts.managedFields ? opts.managedFields(old, merged) : old.metadata.managedFields);
        if (!internal) {
          this.checkValid(
            def,
            merged,
            validateObjectMeta(merged.metadata, def.nameRule, def.namespaced),
            def.strategy.validate?.(merged),
            def.strategy.validateUpdate?.(merged, old),
          );
        }
        merged.metadata.resourceVersion = old.metadata.resourceVersion;
        if (sameJson(merged, old)) {
          if (cached) continue;
          return old === shared ? clone(old) : old;
        }
        if (!this.admission.empty) {
          await this.admission.admit({ operation: 'UPDATE', def, namespace, object: merged, old, dryRun: !!opts.dryRun, ...(opts.user ? { user: opts.user } : {}) });
        }
      } catch (e) {
        // What a stale copy led to (a failed precondition or patch test, a refusal) is
        // decided again on what the store holds.
        if (cached) continue;
        throw e;
      }
      if (opts.dryRun) return merged;
      try {
        if (merged.metadata.deletionTimestamp && (old.metadata.deletionGracePeriodSeconds ?? 0) === 0 && !this.hasPendingFinalizers(def, merged)) {
          // The last finalizer is gone from an object being deleted (and no grace period
          // runs): now it really goes.
          await this.store.delete(key, { expectedModRevision: revision });
          return merged;
        }
        const value = this.encode(merged);
        const written = await this.written(key, value, merged, this.store.update(key, value, revision));
        // What was stored, without parsing it back. Its metadata is ours; other parts
        // may be the caller's own (what `desired` returned), as with any object it built.
        merged.metadata.resourceVersion = String(written.modRevision);
        return merged;
      } catch (e) {
        if (!isKosError(e) || (e.kind !== 'Conflict' && e.kind !== 'NotFound')) throw e;
        if (e.kind === 'NotFound') throw notFound(resourceOf(def), name);
        // Lost a race: read again. A precondition from the client is checked against the
        // fresh object on the next turn, so a stale one still ends in 409.
        if (attempt >= conflictRetries) throw modifiedConflict(resourceOf(def), name);
      }
    }
  }

  /**
   * Whether something still holds an object being deleted: its finalizers, and for a
   * namespace also spec.finalizers (the namespace controller's `kubernetes`).
   */
  private hasPendingFinalizers(def: ResourceDefinition, obj: KubeObject): boolean {
    if ((obj.metadata.finalizers ?? []).length > 0) return true;
    if (def !== this.namespaces || !isObject(obj.spec)) return false;
    return Array.isArray(obj.spec.finalizers) && obj.spec.finalizers.length > 0;
  }

  /**
   * The status subresource changes the status and nothing else. The rest is the old
   * object's: copied, or with `share` (copyOnWrite) taken as it is but for the metadata,
   * which the system fields are written into.
   */
  private statusOnly(old: KubeObject, next: KubeObject, share: boolean): KubeObject {
    // The old status is replaced, so only the rest of the old object is copied.
    const { status: _replaced, ...rest } = old;
    const merged = share ? withOwnMetadata(rest as KubeObject) : (clone(rest) as KubeObject);
    if (next.status !== undefined) merged.status = next.status;
    return merged;
  }

  private keepSystemFields(def: ResourceDefinition, next: KubeObject, old: KubeObject, name: string, namespace: string | undefined): void {
    const m = next.metadata;
    const o = old.metadata;
    m.name = name;
    if (def.namespaced) m.namespace = namespace;
    else delete m.namespace;
    m.uid = o.uid;
    m.creationTimestamp = o.creationTimestamp;
    for (const f of ['deletionTimestamp', 'deletionGracePeriodSeconds', 'generation'] as const) {
      if (o[f] === undefined) delete m[f];
      else (m as Record<string, unknown>)[f] = o[f];
    }
    delete m.managedFields;
    if (m.generateName === undefined && o.generateName !== undefined) m.generateName = o.generateName;
  }

  private bumpGeneration(def: ResourceDefinition, next: KubeObject, old: KubeObject): void {
    const fields = def.strategy.generationFields;
    if (!fields) return;
    const changed = fields.some((f) => !sameJson(next[f], old[f]));
    next.metadata.generation = (old.metadata.generation ?? 1) + (changed ? 1 : 0);
  }

  /**
   * DELETE. The propagation policy becomes a finalizer the garbage collector acts on
   * (`orphan`, `foregroundDeletion`; Background needs none). An object with finalizers is
   * marked (deletionTimestamp) and stays until they are cleared; otherwise it goes at
   * once. Deleting an object already being deleted may still switch its policy.
   * Kinds with a grace period (pods bound to a node) are marked with deletionTimestamp =
   * now + grace and left for the kubelet, which deletes them with 0 once stopped.
   */
  async delete(def: ResourceDefinition, namespace: string | undefined, name: string, options: DeleteOptionsBody = {}): Promise<DeleteResult> {
    const conv = def.conversion;
    if (conv) {
      const result = await this.delete(conv.storage, namespace, name, options);
      return { ...result, object: conv.fromStorage(result.object) };
    }
    checkDeleteOptions(options);
    const key = this.keys.key(def, namespace, name);
    for (let attempt = 0; ; attempt++) {
      const kv = await this.store.get(key);
      if (!kv) throw notFound(resourceOf(def), name);
      const current = this.decode(kv);
      this.checkPreconditions(def, current, options.preconditions);
      const existing = current.metadata.finalizers ?? [];
      const finalizers = withPropagationFinalizers(existing, options.propagationPolicy);
      try {
        const changed = !sameJson(finalizers, existing);
        const grace = def.strategy.gracePeriod?.(current, options.gracePeriodSeconds) ?? 0;
        const marked = clone(current);
        marked.metadata.finalizers = finalizers;
        if (finalizers.length === 0) delete marked.metadata.finalizers;
        if (grace > 0) {
          if (!this.startsOrShortensGrace(marked, grace) && !changed) return { object: current, deleted: false };
          if (options.dryRun) return { object: marked, deleted: false };
          return { object: this.decode(await this.store.update(key, this.encode(marked), kv.modRevision)), deleted: false };
        }
        if (this.hasPendingFinalizers(def, marked)) {
          if (current.metadata.deletionTimestamp && !changed && (current.metadata.deletionGracePeriodSeconds ?? 0) === 0) {
            return { object: current, deleted: false };
          }
          if (!marked.metadata.deletionTimestamp || (marked.metadata.deletionGracePeriodSeconds ?? 0) > 0) {
            marked.metadata.deletionTimestamp = rfc3339(this.clock.now());
          }
          marked.metadata.deletionGracePeriodSeconds = 0;
          if (options.dryRun) return { object: marked, deleted: false };
          return { object: this.decode(await this.store.update(key, this.encode(marked), kv.modRevision)), deleted: false };
        }
        if (options.dryRun) return { object: current, deleted: true };
        await this.store.delete(key, { expectedModRevision: kv.modRevision });
        return { object: current, deleted: true };
      } catch (e) {
        if (!isKosError(e) || (e.kind !== 'Conflict' && e.kind !== 'NotFound')) throw e;
        if (e.kind === 'NotFound' || attempt >= conflictRetries) {
          throw e.kind === 'NotFound' ? notFound(resourceOf(def), name) : modifiedConflict(resourceOf(def), name);
        }
      }
    }
  }

  /**
   * Mark an object for graceful deletion `grace` seconds from now, unless it is already
   * terminating with a period no longer than that (a second DELETE may only shorten it).
   */
  private startsOrShortensGrace(obj: KubeObject, grace: number): boolean {
    const meta = obj.metadata;
    const now = this.clock.now();
    if (meta.deletionTimestamp && meta.deletionGracePeriodSeconds !== undefined && meta.deletionGracePeriodSeconds <= grace) return false;
    const deadline = now + grace * 1000;
    const current = meta.deletionTimestamp ? Date.parse(meta.deletionTimestamp) : Infinity;
    meta.deletionTimestamp = rfc3339(Math.min(deadline, current));
    meta.deletionGracePeriodSeconds = grace;
    return true;
  }

  /** A DELETE's preconditions (uid, resourceVersion) against the current object: 409 on mismatch. */
  checkPreconditions(def: ResourceDefinition, current: KubeObject, pre: DeleteOptionsBody['preconditions']): void {
    if (!pre) return;
    const name = current.metadata.name ?? '';
    if (pre.uid && pre.uid !== current.metadata.uid) {
      throw conflict(resourceOf(def), name, `Precondition failed: UID in precondition: ${pre.uid}, UID in object meta: ${current.metadata.uid ?? ''}`);
    }
    if (pre.resourceVersion && pre.resourceVersion !== current.metadata.resourceVersion) {
      throw conflict(
        resourceOf(def),
        name,
        `Precondition failed: ResourceVersion in precondition: ${pre.resourceVersion}, ResourceVersion in object meta: ${current.metadata.resourceVersion ?? ''}`,
      );
    }
  }
}

const propagationPolicies = ['Orphan', 'Background', 'Foreground'];

/** The finalizer the garbage collector clears after orphaning an owner's dependents. */
export const orphanFinalizer = 'orphan';
/** The finalizer the garbage collector clears once an owner's blocking dependents are gone. */
export const foregroundDeletionFinalizer = 'foregroundDeletion';

/**
 * An object's finalizers once a delete with this policy is asked for, as the real server
 * decides: an explicit policy sets (or, for Background, clears) the garbage collector's
 * finalizer; without one, a finalizer from an earlier delete stays; the default for every
 * served kind is Background.
 */
export function withPropagationFinalizers(existing: readonly string[], policy: string | undefined): string[] {
  const orphan = policy === undefined ? existing.includes(orphanFinalizer) : policy === 'Orphan';
  const foreground = policy === undefined ? !orphan && existing.includes(foregroundDeletionFinalizer) : policy === 'Foreground';
  // Keep the existing order, so a repeated delete with the same policy changes nothing.
  const out = existing.filter((f) => (f === orphanFinalizer ? orphan : f === foregroundDeletionFinalizer ? foreground : true));
  if (orphan && !out.includes(orphanFinalizer)) out.push(orphanFinalizer);
  if (foreground && !out.includes(foregroundDeletionFinalizer)) out.push(foregroundDeletionFinalizer);
  return out;
}

/** Narrow a DELETE body (DeleteOptions) from untrusted JSON. */
export function parseDeleteOptions(body: unknown): DeleteOptionsBody {
  if (body === undefined || body === null) return {};
  if (!isObject(body)) throw badRequest('the body of a DELETE must be a DeleteOptions object');
  const out: DeleteOptionsBody = {};
  if (body.propagationPolicy !== undefined && body.propagationPolicy !== null) {
    if (typeof body.propagationPolicy !== 'string') throw badRequest('propagationPolicy must be a string');
    out.propagationPolicy = body.propagationPolicy;
  }
  if (typeof body.orphanDependents === 'boolean') {
    // The legacy field: true is Orphan, false lets the kind's default (Background) apply.
    if (out.propagationPolicy !== undefined) {
      throw invalidError('', 'DeleteOptions', '', [invalid('propagationPolicy', out.propagationPolicy, 'orphanDependents and deletionPropagation cannot be both set')]);
    }
    out.propagationPolicy = body.orphanDependents ? 'Orphan' : 'Background';
  }
  if (body.gracePeriodSeconds !== undefined && body.gracePeriodSeconds !== null) {
    if (typeof body.gracePeriodSeconds !== 'number') throw badRequest('gracePeriodSeconds must be a number');
    out.gracePeriodSeconds = body.gracePeriodSeconds;
  }
  if (isObject(body.preconditions)) {
    const p = body.preconditions;
    out.preconditions = {
      ...(typeof p.uid === 'string' ? { uid: p.uid } : {}),
      ...(typeof p.resourceVersion === 'string' ? { resourceVersion: p.resourceVersion } : {}),
    };
  }
  if (Array.isArray(body.dryRun)) out.dryRun = body.dryRun.includes('All');
  return out;
}

/** 422 for a propagationPolicy or gracePeriodSeconds the real server refuses. */
export function checkDeleteOptions(options: DeleteOptionsBody): void {
  const errs: FieldError[] = [];
  if (options.propagationPolicy !== undefined && !propagationPolicies.includes(options.propagationPolicy)) {
    errs.push(notSupported('propagationPolicy', options.propagationPolicy, propagationPolicies));
  }
  if (options.gracePeriodSeconds !== undefined && (options.gracePeriodSeconds < 0 || !Number.isInteger(options.gracePeriodSeconds))) {
    errs.push(invalid('gracePeriodSeconds', options.gracePeriodSeconds, 'must be a non-negative integer'));
  }
  if (errs.length > 0) throw invalidError('', 'DeleteOptions', '', errs);
}

function setManagedFields(obj: KubeObject, entries: unknown[] | undefined): void {
  if (entries && entries.length > 0) obj.metadata.managedFields = entries;
  else delete obj.metadata.managedFields;
}

/**
 * Points the members of a freshly parsed version that equal the previous version's at the
 * previous version's own, `depth` levels down: the parsed copy of an unchanged part (a
 * pod's spec when its kubelet writes its status) then dies young instead of being kept
 * twice, and whoever compares the two versions meets the same object. Both are shared,
 * so neither is ever written to. `metadata.resourceVersion` is each version's own.
 */
function shareUnchanged(next: JsonObject, previous: JsonObject, depth: number, top = true): void {
  for (const k in next) {
    const v = next[k];
    const p = previous[k];
    if (v === p || typeof v !== 'object' || v === null || typeof p !== 'object' || p === null) continue;
    if (!(top && k === 'metadata') && sameJsonAt(v, p, false)) next[k] = p;
    else if (depth > 1 && isObject(v) && isObject(p)) shareUnchanged(v, p, depth - 1, false);
  }
}

/**
 * Whether two values serialise to the same JSON whatever their key order: what comparing
 * the JSON of key-sorted copies says, without building the copies (this runs on every
 * update). As in JSON, an undefined member is absent, and undefined in an array or a
 * non-finite number reads as null.
 */
export function sameJson(a: unknown, b: unknown): boolean {
  return sameJsonAt(a, b, true);
}

function sameJsonAt(a: unknown, b: unknown, top: boolean): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!sameJsonAt(inArray(a[i]), inArray(b[i]), false)) return false;
    return true;
  }
  if (isObject(a)) {
    if (!isObject(b)) return false;
    let defined = 0;
    if (top) {
      // Last key first: what an update changes is mostly at the end (status, then spec),
      // so a difference is found before the unchanged metadata is walked.
      const keys = Object.keys(a);
      for (let i = keys.length - 1; i >= 0; i--) {
        const m = sameMember(a, b, keys[i]!);
        if (m < 0) return false;
        defined += m;
      }
    } else {
      // Below the top, for-in: Object.keys would allocate an array for every object.
      for (const k in a) {
        const m = sameMember(a, b, k);
        if (m < 0) return false;
        defined += m;
      }
    }
    for (const k in b) if (b[k] !== undefined) defined--;
    return defined === 0;
  }
  return asNull(a) === null && asNull(b) === null && a !== undefined && b !== undefined;
}

/** Member `k` of `a` against `b`: 0 if undefined (JSON leaves it out), 1 if `b` has it alike, -1 if not. */
function sameMember(a: JsonObject, b: JsonObject, k: string): number {
  const v = a[k];
  if (v === undefined) return 0;
  return Object.hasOwn(b, k) && sameJsonAt(v, b[k], false) ? 1 : -1;
}

/** How JSON writes an array element: undefined becomes null. */
const inArray = (x: unknown): unknown => (x === undefined ? null : x);
/** How JSON writes a number that has no JSON form. */
const asNull = (x: unknown): unknown => (typeof x === 'number' && !Number.isFinite(x) ? null : x);
