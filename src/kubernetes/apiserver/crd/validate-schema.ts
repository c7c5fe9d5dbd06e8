/**
 * Validation of a custom object against its version's schema, with the field paths and
 * wording of the real server's OpenAPI validator (`spec.replicas in body must be of type
 * integer: "string"`), as kubectl prints them under `is invalid:`.
 */
import { invalid, notSupported, required, type FieldError } from '../field-errors.js';
import { isObject } from '../object.js';
import type { Schema } from './schema.js';

const typeName = (v: unknown): string =>
  v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v === 'number' ? (Number.isInteger(v) ? 'integer' : 'number') : typeof v === 'object' ? 'object' : typeof v;

function typeMatches(type: string, v: unknown): boolean {
  switch (type) {
    case 'object':
      return isObject(v);
    case 'array':
      return Array.isArray(v);
    case 'string':
      return typeof v === 'string';
    case 'integer':
      return typeof v === 'number' && Number.isInteger(v);
    case 'number':
      return typeof v === 'number';
    case 'boolean':
      return typeof v === 'boolean';
    default:
      return true;
  }
}

/** Formats checked (the ones with an unambiguous rule); others pass as the real server lets unknown ones pass. */
const formats: Record<string, (s: string) => boolean> = {
  'date-time': (s) => /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/.test(s) && !Number.isNaN(Date.parse(s)),
  date: (s) => /^\d{4}-\d{2}-\d{2}$/.test(s) && !Number.isNaN(Date.parse(s)),
  uuid: (s) => /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i.test(s),
  ipv4: (s) => /^((25[0-5]|2[0-4]\d|1?\d?\d)\.){3}(25[0-5]|2[0-4]\d|1?\d?\d)$/.test(s),
  hostname: (s) => s.length <= 253 && /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/i.test(s),
  byte: (s) => /^[A-Za-z0-9+/]*={0,2}$/.test(s) && s.length % 4 === 0,
};

const render = (v: unknown): string => (typeof v === 'string' ? JSON.stringify(v) : JSON.stringify(v) ?? 'null');

/** Every violation of `schema` by `value`, `path` being where it sits (`spec.replicas`). */
export function validateAgainstSchema(schema: Schema, value: unknown, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const bodyPath = path || '<root>';
  if (value === null) {
    if (schema.nullable || schema.preserveUnknownFields || (!schema.type && !schema.intOrString)) return errs;
    errs.push(invalid(path, 'null', `${bodyPath} in body must be of type ${schema.intOrString ? 'integer or string' : schema.type ?? 'object'}: "null"`));
    return errs;
  }
  if (schema.intOrString) {
    if (!(typeof value === 'string' || (typeof value === 'number' && Number.isInteger(value)))) {
      errs.push(invalid(path, value, `${bodyPath} in body must be of type integer or string: ${render(typeName(value))}`));
      return errs;
    }
  } else if (schema.type && !typeMatches(schema.type, value)) {
    errs.push(invalid(path, value, `${bodyPath} in body must be of type ${schema.type}: ${render(typeName(value))}`));
    return errs;
  }
  if (schema.enum && !schema.enum.some((e) => JSON.stringify(e) === JSON.stringify(value))) {
    errs.push(notSupported(path, value, schema.enum.map((e) => (typeof e === 'string' ? e : JSON.stringify(e)))));
  }
  if (typeof value === 'number') checkNumber(schema, value, path, bodyPath, errs);
  if (typeof value === 'string') checkString(schema, value, path, bodyPath, errs);
  if (Array.isArray(value)) {
    if (schema.minItems !== undefined && value.length < schema.minItems) errs.push(invalid(path, value.length, `${bodyPath} in body should have at least ${schema.minItems} items`));
    if (schema.maxItems !== undefined && value.length > schema.maxItems) errs.push({ type: 'Invalid', field: path, value: value.length, detail: `must have at most ${schema.maxItems} items` });
    if (schema.items) value.forEach((item, i) => errs.push(...validateAgainstSchema(schema.items!, item, `${path}[${i}]`)));
  }
  if (isObject(value)) checkObject(schema, value, path, bodyPath, errs);
  return errs;
}

function checkNumber(schema: Schema, value: number, path: string, bodyPath: string, errs: FieldError[]): void {
  if (schema.minimum !== undefined) {
    const bad = schema.exclusiveMinimum ? value <= schema.minimum : value < schema.minimum;
    if (bad) errs.push(invalid(path, value, `${bodyPath} in body should be greater than ${schema.exclusiveMinimum ? '' : 'or equal to '}${schema.minimum}`));
  }
  if (schema.maximum !== undefined) {
    const bad = schema.exclusiveMaximum ? value >= schema.maximum : value > schema.maximum;
    if (bad) errs.push(invalid(path, value, `${bodyPath} in body should be less than ${schema.exclusiveMaximum ? '' : 'or equal to '}${schema.maximum}`));
  }
  if (schema.format === 'int32' && (value < -2147483648 || value > 2147483647)) errs.push(invalid(path, value, `${bodyPath} in body must be of type int32: "${value}"`));
}

function checkString(schema: Schema, value: string, path: string, bodyPath: string, errs: FieldError[]): void {
  if (schema.maxLength !== undefined && [...value].length > schema.maxLength) {
    errs.push({ type: 'TooLong', field: path, value, detail: `may not be more than ${schema.maxLength} bytes` });
  }
  if (schema.minLength !== undefined && [...value].length < schema.minLength) errs.push(invalid(path, value, `${bodyPath} in body should be at least ${schema.minLength} chars long`));
  if (schema.pattern !== undefined) {
    let re: RegExp | undefined;
    try {
      re = new RegExp(schema.pattern, 'u');
    } catch {
      re = undefined;
    }
    if (re && !re.test(value)) errs.push(invalid(path, value, `${bodyPath} in body should match '${schema.pattern}'`));
  }
  const check = schema.format ? formats[schema.format] : undefined;
  if (check && !check(value)) errs.push(invalid(path, value, `${bodyPath} in body must be of type ${schema.format}: ${render(value)}`));
}

function checkObject(schema: Schema, value: Record<string, unknown>, path: string, bodyPath: string, errs: FieldError[]): void {
  const child = (k: string): string => (path ? `${path}.${k}` : k);
  for (const r of schema.required ?? []) if (value[r] === undefined) errs.push(required(child(r)));
  const count = Object.keys(value).length;
  if (schema.minProperties !== undefined && count < schema.minProperties) errs.push(invalid(path, count, `${bodyPath} in body should have at least ${schema.minProperties} properties`));
  if (schema.maxProperties !== undefined && count > schema.maxProperties) errs.push(invalid(path, count, `${bodyPath} in body should have at most ${schema.maxProperties} properties`));
  for (const [k, v] of Object.entries(value)) {
    // The object's own metadata is the registry's to validate; the schema may not narrow it.
    if (path === '' && (k === 'metadata' || k === 'apiVersion' || k === 'kind')) continue;
    const prop = schema.properties?.[k];
    if (prop) errs.push(...validateAgainstSchema(prop, v, child(k)));
    else if (typeof schema.additionalProperties === 'object') errs.push(...validateAgainstSchema(schema.additionalProperties, v, child(k)));
  }
}
