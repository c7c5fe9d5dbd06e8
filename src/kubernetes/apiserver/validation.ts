/**
 * The validators every kind shares: object names, label and annotation syntax, config keys.
 * Messages mirror the real server's so users recognise them.
 */
import { invalid, required, type FieldError } from './field-errors.js';
import type { ObjectMeta } from './object.js';

export type NameRule = 'subdomain' | 'label' | 'label1035' | 'pathSegment';

const dns1123Label = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const dns1123Subdomain = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const dns1035Label = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const configKey = /^[-._a-zA-Z0-9]+$/;
const qualifiedNamePart = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const labelValue = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

/** Why `name` breaks `rule`, or undefined when it is fine. */
export function nameProblem(name: string, rule: NameRule): string | undefined {
  switch (rule) {
    case 'subdomain':
      if (name.length > 253) return 'must be no more than 253 characters';
      return dns1123Subdomain.test(name)
        ? undefined
        : "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
    case 'label':
      if (name.length > 63) return 'must be no more than 63 characters';
      return dns1123Label.test(name)
        ? undefined
        : "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
    case 'label1035':
      if (name.length > 63) return 'must be no more than 63 characters';
      return dns1035Label.test(name)
        ? undefined
        : "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')";
    case 'pathSegment':
      if (name === '.' || name === '..') return `may not be '${name}'`;
      return /[/%]/.test(name) ? "may not contain '/' or '%'" : undefined;
  }
}

/** Name (or generateName when no name is given) and namespace checks for metadata. */
export function validateObjectMeta(meta: ObjectMeta, rule: NameRule, namespaced: boolean): FieldError[] {
  const errs: FieldError[] = [];
  if (!meta.name) {
    errs.push(required('metadata.name', 'name or generateName is required'));
  } else {
    const problem = nameProblem(meta.name, rule);
    if (problem) errs.push(invalid('metadata.name', meta.name, problem));
  }
  if (namespaced && !meta.namespace) errs.push(required('metadata.namespace'));
  if (!namespaced && meta.namespace) errs.push({ type: 'Forbidden', field: 'metadata.namespace', detail: 'not allowed on this type' });
  errs.push(...validateLabels(meta.labels ?? {}, 'metadata.labels'));
  errs.push(...validateAnnotations(meta.annotations ?? {}));
  return errs;
}

/** A qualified name: an optional DNS subdomain prefix and `/`, then a name part of ≤ 63 chars. */
export function qualifiedNameProblem(key: string): string | undefined {
  const parts = key.split('/');
  if (parts.length > 2) return "a qualified name must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character, with an optional DNS subdomain prefix and '/'";
  const name = parts[parts.length - 1]!;
  if (parts.length === 2) {
    const prefix = parts[0]!;
    if (!prefix) return 'prefix part must be non-empty';
    const p = nameProblem(prefix, 'subdomain');
    if (p) return `prefix part ${p}`;
  }
  if (!name) return 'name part must be non-empty';
  if (name.length > 63) return 'name part must be no more than 63 characters';
  if (!qualifiedNamePart.test(name)) {
    return "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";
  }
  return undefined;
}

export function validateLabels(labels: Record<string, string>, field: string): FieldError[] {
  const errs: FieldError[] = [];
  for (const [k, v] of Object.entries(labels)) {
    const kp = qualifiedNameProblem(k);
    if (kp) errs.push(invalid(field, k, kp));
    if (v.length > 63) errs.push(invalid(`${field}`, v, 'must be no more than 63 characters'));
    else if (!labelValue.test(v)) {
      errs.push(
        invalid(
          field,
          v,
          "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')",
        ),
      );
    }
  }
  return errs;
}

const annotationsLimit = 256 * 1024;

export function validateAnnotations(annotations: Record<string, string>): FieldError[] {
  const errs: FieldError[] = [];
  let total = 0;
  for (const [k, v] of Object.entries(annotations)) {
    const kp = qualifiedNameProblem(k.toLowerCase());
    if (kp) errs.push(invalid('metadata.annotations', k, kp));
    total += k.length + v.length;
  }
  if (total > annotationsLimit) {
    errs.push({ type: 'TooLong', field: 'metadata.annotations', detail: `must have at most ${annotationsLimit} bytes` });
  }
  return errs;
}

/** Keys of ConfigMap and Secret data. */
export function configKeyProblem(key: string): string | undefined {
  if (key.length > 253) return 'must be no more than 253 characters';
  if (!configKey.test(key)) {
    return "a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')";
  }
  if (key === '.' || key === '..' || key.startsWith('..')) return "must not be '.' or '..' or start with '..'";
  return undefined;
}
