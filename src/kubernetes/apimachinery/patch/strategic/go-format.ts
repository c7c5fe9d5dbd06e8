/**
 * Go's `%v` rendering of decoded JSON, which the server's strategic merge errors embed
 * (`map: map[image:nginx] does not contain declared merge key: name`).
 */
import { isJsonMap } from '../../json.js';

export function goFormat(value: unknown): string {
  if (value === null || value === undefined) return '<nil>';
  if (Array.isArray(value)) return `[${value.map(goFormat).join(' ')}]`;
  if (isJsonMap(value)) {
    // fmt prints map keys sorted.
    const entries = Object.keys(value)
      .sort()
      .map((k) => `${k}:${goFormat(value[k])}`);
    return `map[${entries.join(' ')}]`;
  }
  return String(value);
}

/** The Go type name a decoded JSON value has, for "expected a X, but received a Y" messages. */
export function goTypeName(value: unknown): string {
  if (value === null || value === undefined) return '<nil>';
  if (Array.isArray(value)) return '[]interface {}';
  if (isJsonMap(value)) return 'map[string]interface {}';
  if (typeof value === 'number') return 'float64';
  return typeof value === 'boolean' ? 'bool' : 'string';
}
