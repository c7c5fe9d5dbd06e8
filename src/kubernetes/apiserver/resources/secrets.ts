/**
 * Secrets: base64 data (checked when decoded, a 400 as in the real server), stringData
 * folded into data on write, type defaulting to Opaque and then immutable.
 */
import { forbiddenField, required, type FieldError } from '../field-errors.js';
import { isObject, stringAt, type KubeObject } from '../object.js';
import { defineResource } from '../resource.js';
import { badRequest } from '../status.js';
import { column, countKeys } from './columns.js';
import { validateDataMaps } from './configmaps.js';

const base64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

function checkBase64(obj: KubeObject): void {
  const data = obj.data;
  if (!isObject(data)) return;
  for (const [k, v] of Object.entries(data)) {
    if (typeof v === 'string' && !base64.test(v)) {
      throw badRequest(`Secret in version "v1" cannot be handled as a Secret: illegal base64 data in data[${JSON.stringify(k)}]`);
    }
  }
}

/** Required keys per well-known secret type. */
const requiredKeys: Record<string, string[]> = {
  'kubernetes.io/tls': ['tls.crt', 'tls.key'],
  'kubernetes.io/dockerconfigjson': ['.dockerconfigjson'],
  'kubernetes.io/dockercfg': ['.dockercfg'],
  'kubernetes.io/basic-auth': [],
  'kubernetes.io/ssh-auth': ['ssh-privatekey'],
};

export const secrets = defineResource({
  group: '',
  version: 'v1',
  kind: 'Secret',
  plural: 'secrets',
  singular: 'secret',
  namespaced: true,
  strategy: {
    defaults(obj) {
      if (obj.type === undefined || obj.type === null || obj.type === '') obj.type = 'Opaque';
      checkBase64(obj);
      // stringData is write-only: merged into data, never stored or returned.
      if (isObject(obj.stringData)) {
        const data: Record<string, unknown> = isObject(obj.data) ? { ...obj.data } : {};
        for (const [k, v] of Object.entries(obj.stringData)) {
          if (typeof v === 'string') data[k] = Buffer.from(v, 'utf8').toString('base64');
        }
        obj.data = data;
      }
      delete obj.stringData;
    },
    validate(obj) {
      const errs: FieldError[] = validateDataMaps(obj, [{ name: 'data', base64: true }]);
      const type = stringAt(obj, 'type') ?? '';
      const data = isObject(obj.data) ? obj.data : {};
      for (const key of requiredKeys[type] ?? []) if (!(key in data)) errs.push(required(`data[${key}]`));
      return errs;
    },
    validateUpdate(next, old) {
      const errs: FieldError[] = [];
      if (next.type !== old.type) errs.push({ type: 'Invalid', field: 'type', value: next.type, detail: 'field is immutable' });
      if (old.immutable === true && (JSON.stringify(next.data) !== JSON.stringify(old.data) || next.immutable !== true)) {
        errs.push(forbiddenField('data', 'field is immutable when `immutable` is set'));
      }
      return errs;
    },
  },
  tableColumns: [
    column('Type', 'string', 'The type of the secret', (o) => stringAt(o, 'type') ?? ''),
    column('Data', 'string', 'The number of entries in the secret', (o) => countKeys(o.data)),
  ],
});
