/**
 * PersistentVolume access modes and storage quantities, shared by PersistentVolumes and
 * PersistentVolumeClaims (and the volumeClaimTemplates of StatefulSets).
 */
import { invalid, notSupported, required, type FieldError } from '../field-errors.js';
import { arrayAt, objectAt, type JsonObject } from '../object.js';
import { parseQuantity, quantityProblem } from './quantity.js';

export const accessModes = ['ReadWriteOnce', 'ReadOnlyMany', 'ReadWriteMany', 'ReadWriteOncePod'];
const abbreviations: Record<string, string> = { ReadWriteOnce: 'RWO', ReadOnlyMany: 'ROX', ReadWriteMany: 'RWX', ReadWriteOncePod: 'RWOP' };

/** `RWO,RWX` as kubectl prints modes, in the server's fixed order. */
export function accessModesText(modes: unknown[] | undefined): string {
  const given = (modes ?? []).map(String);
  return accessModes.filter((m) => given.includes(m)).map((m) => abbreviations[m]).join(',');
}

export function validateAccessModes(modes: unknown, path: string): FieldError[] {
  if (!Array.isArray(modes) || modes.length === 0) return [required(path, 'at least 1 access mode is required')];
  const errs: FieldError[] = [];
  for (const m of modes) if (!accessModes.includes(String(m))) errs.push(notSupported(path, m, accessModes));
  if (modes.includes('ReadWriteOncePod') && modes.length > 1) {
    errs.push({ type: 'Forbidden', field: path, detail: 'may not use ReadWriteOncePod with other access modes' });
  }
  return errs;
}

/** A ResourceList's `storage` entry: present, a quantity, and above zero. */
export function validateStorageQuantity(list: JsonObject | undefined, path: string): FieldError[] {
  const q = list?.storage;
  if (q === undefined) return [required(`${path}[storage]`)];
  const n = parseQuantity(q);
  if (n === undefined) return [invalid(`${path}[storage]`, q, quantityProblem)];
  if (n <= 0) return [invalid(`${path}[storage]`, q, 'must be greater than zero')];
  return [];
}

/** Every value of a ResourceList is a non-negative quantity. */
export function validateResourceList(list: unknown, path: string): FieldError[] {
  if (list === undefined || list === null) return [];
  const obj = objectAt({ list }, 'list');
  if (!obj) return [invalid(path, list, 'must be a map of resource names to quantities')];
  const errs: FieldError[] = [];
  for (const [k, v] of Object.entries(obj)) {
    const n = parseQuantity(v);
    if (n === undefined) errs.push(invalid(`${path}[${k}]`, v, quantityProblem));
    else if (n < 0) errs.push(invalid(`${path}[${k}]`, v, 'must be greater than or equal to 0'));
  }
  return errs;
}

export const storageOf = (list: JsonObject | undefined): string => (list && list.storage !== undefined ? String(list.storage) : '');
export const modesOf = (o: JsonObject): unknown[] | undefined => arrayAt(o, 'accessModes');
