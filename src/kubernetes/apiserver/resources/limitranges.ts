/**
 * LimitRanges (core/v1). For Container limits the real server's defaults apply: a default
 * limit from max, a default request from the default limit, then from min. Quantities
 * must be well formed and min ≤ defaultRequest ≤ default ≤ max.
 */
import { invalid, notSupported, type FieldError } from '../field-errors.js';
import { arrayAt, isObject, objectAt, type JsonObject, type KubeObject } from '../object.js';
import { defineResource } from '../resource.js';
import { parseQuantity } from './quantity.js';
import { validateResourceList } from './access-modes.js';
import { specOf } from './workload.js';

const limitTypes = ['Container', 'PersistentVolumeClaim', 'Pod'];
const quantityKeys = ['max', 'min', 'default', 'defaultRequest', 'maxLimitRequestRatio'] as const;

/** Fill `into` from `from` where `into` has no value, creating `into` only when something is copied. */
function fillFrom(item: JsonObject, into: string, from: string): void {
  const source = objectAt(item, from);
  if (!source || Object.keys(source).length === 0) return;
  const target = objectAt(item, into) ?? {};
  for (const [k, v] of Object.entries(source)) if (target[k] === undefined) target[k] = v;
  item[into] = target;
}

function validateItem(item: unknown, path: string): FieldError[] {
  if (!isObject(item)) return [invalid(path, item, 'must be an object')];
  const errs: FieldError[] = [];
  if (!limitTypes.includes(String(item.type))) errs.push(notSupported(`${path}.type`, item.type, limitTypes));
  for (const key of quantityKeys) errs.push(...validateResourceList(item[key], `${path}.${key}`));
  if (errs.length > 0) return errs;
  // Each bound must not exceed the next one up, per resource.
  const order = ['min', 'defaultRequest', 'default', 'max'] as const;
  const resources = new Set(order.flatMap((k) => Object.keys(objectAt(item, k) ?? {})));
  for (const r of resources) {
    const values = order.map((k) => [k, parseQuantity(objectAt(item, k)?.[r])] as const).filter((x): x is readonly [(typeof order)[number], number] => x[1] !== undefined);
    for (let i = 1; i < values.length; i++) {
      const [lowKey, low] = values[i - 1]!;
      const [highKey, high] = values[i]!;
      if (low > high) errs.push(invalid(`${path}.${lowKey}[${r}]`, objectAt(item, lowKey)?.[r], `${lowKey} value ${String(objectAt(item, lowKey)?.[r])} is greater than ${highKey} value ${String(objectAt(item, highKey)?.[r])}`));
    }
  }
  return errs;
}

export const limitranges = defineResource({
  group: '',
  version: 'v1',
  kind: 'LimitRange',
  plural: 'limitranges',
  singular: 'limitrange',
  namespaced: true,
  shortNames: ['limits'],
  strategy: {
    defaults(obj) {
      for (const item of (arrayAt(specOf(obj), 'limits') ?? []).filter(isObject)) {
        if (item.type !== 'Container') continue;
        fillFrom(item, 'default', 'max');
        fillFrom(item, 'defaultRequest', 'default');
        fillFrom(item, 'defaultRequest', 'min');
      }
    },
    validate: (obj: KubeObject) => (arrayAt(specOf(obj), 'limits') ?? []).flatMap((item, i) => validateItem(item, `spec.limits[${i}]`)),
  },
});
