/**
 * Merging an applied configuration into the live object, by the list semantics of the
 * kind: maps merge field by field, map lists item by item on their keys, sets by value,
 * atomic lists and scalars are replaced.
 */
import { clone, isObject, type JsonObject } from '../object.js';
import { itemElement } from './field-set.js';
import type { Shape } from './shape.js';

export function mergeApplied(live: unknown, applied: unknown, shape: Shape): unknown {
  if (isObject(applied)) {
    const out: JsonObject = isObject(live) ? { ...live } : {};
    for (const [k, v] of Object.entries(applied)) out[k] = mergeApplied(out[k], v, shape.field(k));
    return out;
  }
  if (Array.isArray(applied) && Array.isArray(live) && shape.list.type !== 'atomic') {
    const out = [...live];
    for (const item of applied) {
      const el = itemElement(shape, item);
      const at = el === undefined ? -1 : out.findIndex((it) => itemElement(shape, it) === el);
      if (at < 0) out.push(clone(item));
      else if (shape.list.type === 'map') out[at] = mergeApplied(out[at], item, shape.item());
    }
    return out;
  }
  return clone(applied);
}
