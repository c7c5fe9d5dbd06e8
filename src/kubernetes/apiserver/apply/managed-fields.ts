/**
 * managedFields: who owns which field of an object. An apply makes the applier own
 * exactly what it sent (fields it applied before and dropped are removed unless someone
 * else owns them), and refuses (409) to change a field another manager owns unless
 * forced; any other write gives the writer the fields it changed, taking them from
 * everyone else.
 */
import { isObject, type KubeObject } from '../object.js';
import { failure, type StatusError } from '../status.js';
import {
  addPath,
  describePath,
  difference,
  emptyFieldSet,
  fieldSetOf,
  fromFieldsV1,
  hasPath,
  removePath,
  toFieldsV1,
  union,
  valueAt,
  type FieldPath,
  type FieldSet,
  type FieldsV1,
} from './field-set.js';
import { mergeApplied } from './merge.js';
import type { Shape } from './shape.js';

export interface ManagedFieldsEntry {
  manager: string;
  operation: 'Apply' | 'Update';
  apiVersion: string;
  time: string;
  fieldsType: 'FieldsV1';
  fieldsV1: FieldsV1;
  subresource?: string;
}

/** Who writes, and how the write is recorded. */
export interface Writer {
  manager: string;
  apiVersion: string;
  /** RFC 3339 time of the write. */
  time: string;
  subresource?: string;
}

const systemMetadata = new Set(['name', 'namespace', 'uid', 'resourceVersion', 'generation', 'creationTimestamp', 'managedFields', 'selfLink', 'deletionTimestamp', 'deletionGracePeriodSeconds']);

/** Fields nobody owns: identity and system fields, and the half of the object the write cannot change. */
export function ignoredPath(subresource: string | undefined): (p: FieldPath) => boolean {
  return (p) => {
    if (p.length === 1 && (p[0] === 'f:apiVersion' || p[0] === 'f:kind')) return true;
    if (p.length === 2 && p[0] === 'f:metadata' && systemMetadata.has(p[1]!.slice(2))) return true;
    if (p.length === 1 && subresource === 'status') return p[0] !== 'f:status' && p[0] !== 'f:metadata';
    return p.length === 1 && p[0] === 'f:status' && subresource !== 'status';
  };
}

/** The entries of an object, narrowed from what is stored. */
export function entriesOf(obj: KubeObject | undefined): ManagedFieldsEntry[] {
  const raw = (obj?.metadata as { managedFields?: unknown } | undefined)?.managedFields;
  return Array.isArray(raw) ? raw.filter((e): e is ManagedFieldsEntry => isObject(e) && typeof e.manager === 'string') : [];
}

const sameOwner = (e: ManagedFieldsEntry, manager: string, operation: ManagedFieldsEntry['operation'], subresource: string | undefined): boolean =>
  e.manager === manager && e.operation === operation && (e.subresource ?? '') === (subresource ?? '');

const sameValue = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

/** Replace one owner's entry (or drop it when its set is empty), keeping the others' order. */
function withEntry(entries: ManagedFieldsEntry[], writer: Writer, operation: ManagedFieldsEntry['operation'], set: FieldSet): ManagedFieldsEntry[] {
  const entry: ManagedFieldsEntry = {
    manager: writer.manager,
    operation,
    apiVersion: writer.apiVersion,
    time: writer.time,
    fieldsType: 'FieldsV1',
    fieldsV1: toFieldsV1(set),
    ...(writer.subresource ? { subresource: writer.subresource } : {}),
  };
  const at = entries.findIndex((e) => sameOwner(e, writer.manager, operation, writer.subresource));
  const out = [...entries];
  if (set.size === 0) {
    if (at >= 0) out.splice(at, 1);
  } else if (at >= 0) out[at] = entry;
  else out.push(entry);
  return out;
}

/** Take `taken` away from every entry but the writer's own; entries left empty go. */
function strip(entries: ManagedFieldsEntry[], taken: FieldSet, keep: (e: ManagedFieldsEntry) => boolean): ManagedFieldsEntry[] {
  if (taken.size === 0) return entries;
  return entries.flatMap((e) => {
    if (keep(e)) return [e];
    const rest = difference(fromFieldsV1(e.fieldsV1), taken);
    return rest.size === 0 ? [] : [{ ...e, fieldsV1: toFieldsV1(rest) }];
  });
}

/**
 * The managedFields after an ordinary write (create, update, patch) from `old` to `next`:
 * the writer gains the fields whose value it changed. Nothing changed: the old entries.
 */
export function recordUpdate(old: KubeObject | undefined, next: KubeObject, shape: Shape, writer: Writer): ManagedFieldsEntry[] {
  const entries = entriesOf(old);
  const skip = ignoredPath(writer.subresource);
  const now = fieldSetOf(next, shape, skip);
  const changed = emptyFieldSet();
  for (const p of now.values()) if (!sameValue(valueAt(old, p, shape), valueAt(next, p, shape))) addPath(changed, p);
  // Fields the write removed are nobody's any more.
  const before = old ? fieldSetOf(old, shape, skip) : emptyFieldSet();
  const removed = difference(before, now);
  if (changed.size === 0 && removed.size === 0) return entries;
  const own = entries.find((e) => sameOwner(e, writer.manager, 'Update', writer.subresource));
  const mine = difference(union(own ? fromFieldsV1(own.fieldsV1) : emptyFieldSet(), changed), removed);
  const others = strip(entries, union(changed, removed), (e) => e === own);
  return withEntry(others, writer, 'Update', mine);
}

export interface ApplyResult {
  object: KubeObject;
  managedFields: ManagedFieldsEntry[];
}

/** 409 Conflict naming each contested field and its owner, as the real server does. */
export function applyConflict(conflicts: readonly { path: FieldPath; owner: ManagedFieldsEntry }[]): StatusError {
  const who = conflicts.map(({ owner }) => `conflict with "${owner.manager}"${owner.operation === 'Update' ? ` using ${owner.apiVersion}` : ''}`);
  const lines = conflicts.map(({ path }, i) => `${who[i]!}: ${describePath(path)}`);
  const n = conflicts.length;
  const message = n === 1 ? `Apply failed with 1 conflict: ${lines[0]!}` : `Apply failed with ${n} conflicts: ${lines.join('\n')}`;
  return failure(409, 'Conflict', message, {
    causes: conflicts.map(({ path }, i) => ({
      reason: 'FieldManagerConflict',
      message: who[i]!,
      field: describePath(path),
    })),
  });
}

/**
 * Server-side apply of `applied` by `writer` to `live` (absent: a create). Returns the
 * merged object (without managedFields) and its new managedFields, or throws 409.
 */
export function applyConfiguration(live: KubeObject | undefined, applied: KubeObject, shape: Shape, writer: Writer, force: boolean): ApplyResult {
  const entries = entriesOf(live);
  const skip = ignoredPath(writer.subresource);
  const appliedSet = fieldSetOf(applied, shape, skip);
  const own = entries.find((e) => sameOwner(e, writer.manager, 'Apply', writer.subresource));
  const conflicts: { path: FieldPath; owner: ManagedFieldsEntry }[] = [];
  const taken = emptyFieldSet();
  for (const p of appliedSet.values()) {
    if (sameValue(valueAt(live, p, shape), valueAt(applied, p, shape))) continue;
    for (const e of entries) {
      if (e === own || !hasPath(fromFieldsV1(e.fieldsV1), p)) continue;
      conflicts.push({ path: p, owner: e });
      addPath(taken, p);
    }
  }
  if (conflicts.length > 0 && !force) throw applyConflict(conflicts);
  const merged = mergeApplied(live ?? {}, applied, shape) as KubeObject;
  // Fields this manager applied before and no longer applies go, unless someone else holds them.
  const dropped = difference(own ? fromFieldsV1(own.fieldsV1) : emptyFieldSet(), appliedSet);
  const othersHold = entries.filter((e) => e !== own).reduce((acc, e) => union(acc, fromFieldsV1(e.fieldsV1)), emptyFieldSet());
  const removable = [...difference(dropped, othersHold).values()].sort((a, b) => b.length - a.length);
  for (const p of removable) removePath(merged, p, shape);
  const others = strip(entries, taken, (e) => e === own);
  return { object: merged, managedFields: withEntry(others, writer, 'Apply', appliedSet) };
}
