/** ConfigMaps: string data and base64 binaryData under config keys, 1 MiB in all. */
import { duplicate, invalid, type FieldError } from '../field-errors.js';
import { isObject, type KubeObject } from '../object.js';
import { defineResource } from '../resource.js';
import { configKeyProblem } from '../validation.js';
import { column, countKeys } from './columns.js';

export const maxDataBytes = 1024 * 1024;

/** Keys are config keys, values of the expected type; the total stays under 1 MiB. */
export function validateDataMaps(obj: KubeObject, fields: { name: string; base64: boolean }[]): FieldError[] {
  const errs: FieldError[] = [];
  const seen = new Set<string>();
  let total = 0;
  for (const { name, base64 } of fields) {
    const map = obj[name];
    if (map === undefined || map === null) continue;
    if (!isObject(map)) {
      errs.push(invalid(name, map, 'must be a map'));
      continue;
    }
    for (const [k, v] of Object.entries(map)) {
      const p = configKeyProblem(k);
      if (p) errs.push(invalid(`${name}[${k}]`, k, p));
      if (seen.has(k)) errs.push(duplicate(`${name}[${k}]`, k));
      seen.add(k);
      if (typeof v !== 'string') errs.push(invalid(`${name}[${k}]`, v, 'must be a string'));
      else total += base64 ? Math.floor((v.length * 3) / 4) : Buffer.byteLength(v);
    }
  }
  if (total > maxDataBytes) errs.push({ type: 'TooLong', field: '', detail: `must have at most ${maxDataBytes} bytes` });
  return errs;
}

export const configmaps = defineResource({
  group: '',
  version: 'v1',
  kind: 'ConfigMap',
  plural: 'configmaps',
  singular: 'configmap',
  namespaced: true,
  shortNames: ['cm'],
  strategy: {
    validate: (obj) =>
      validateDataMaps(obj, [
        { name: 'data', base64: false },
        { name: 'binaryData', base64: true },
      ]),
    validateUpdate: (next, old) =>
      old.immutable === true && (JSON.stringify(next.data) !== JSON.stringify(old.data) || JSON.stringify(next.binaryData) !== JSON.stringify(old.binaryData) || next.immutable !== true)
        ? [{ type: 'Forbidden', field: 'data', detail: 'field is immutable when `immutable` is set' }]
        : [],
  },
  tableColumns: [column('Data', 'integer', 'Number of keys in the ConfigMap', (o) => countKeys(o.data) + countKeys(o.binaryData))],
});
