/**
 * A metav1.LabelSelector (matchLabels + matchExpressions) written as the selector string
 * clients parse, e.g. `app=web,tier in (a,b)`: the Scale subresource's status.selector
 * and the SELECTOR column carry it in this form.
 */
import { arrayAt, isObject, objectAt, stringAt, type JsonObject } from '../object.js';

export function labelSelectorText(selector: JsonObject | undefined): string {
  if (!selector) return '';
  const parts: string[] = [];
  for (const [k, v] of Object.entries(objectAt(selector, 'matchLabels') ?? {})) parts.push(`${k}=${String(v)}`);
  for (const e of (arrayAt(selector, 'matchExpressions') ?? []).filter(isObject)) {
    const key = stringAt(e, 'key') ?? '';
    const values = (arrayAt(e, 'values') ?? []).map(String).sort();
    switch (e.operator) {
      case 'In':
        parts.push(`${key} in (${values.join(',')})`);
        break;
      case 'NotIn':
        parts.push(`${key} notin (${values.join(',')})`);
        break;
      case 'Exists':
        parts.push(key);
        break;
      case 'DoesNotExist':
        parts.push(`!${key}`);
        break;
    }
  }
  return parts.sort().join(',');
}
