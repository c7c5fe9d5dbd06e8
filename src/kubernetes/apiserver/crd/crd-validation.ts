/**
 * Validation and defaulting of CustomResourceDefinition objects, at the level kubectl
 * users meet: names (plural.group = metadata.name), scope, versions (one storage
 * version), a structural schema per version, subresources and printer columns.
 */
import { forbiddenField, invalid, notSupported, required, duplicate, type FieldError } from '../field-errors.js';
import { arrayAt, defaultTo, ensureObject, isObject, objectAt, stringAt, type JsonObject, type KubeObject } from '../object.js';
import { readSchema } from './schema.js';
import { validateAgainstSchema } from './validate-schema.js';

const dns1123Label = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const dns1123Subdomain = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const kindPattern = /^[A-Za-z][A-Za-z0-9]*$/;
const columnTypes = ['integer', 'number', 'string', 'boolean', 'date'];
const schemaTypes = ['object', 'array', 'string', 'integer', 'number', 'boolean'];

/** Fill what the real server defaults: singular, listKind, conversion None, list fields. */
export function defaultCrd(obj: KubeObject): void {
  const spec = ensureObject(obj, 'spec');
  if (!spec) return;
  const names = objectAt(spec, 'names');
  if (names) {
    const kind = stringAt(names, 'kind');
    if (kind) {
      if (!stringAt(names, 'singular')) names.singular = kind.toLowerCase();
      if (!stringAt(names, 'listKind')) names.listKind = `${kind}List`;
    }
  }
  defaultTo(spec, 'conversion', { strategy: 'None' });
}

export function validateCrd(obj: KubeObject): FieldError[] {
  const errs: FieldError[] = [];
  const spec = objectAt(obj, 'spec');
  if (!spec) return [required('spec')];
  const group = stringAt(spec, 'group') ?? '';
  if (!group) errs.push(required('spec.group'));
  else if (!dns1123Subdomain.test(group) || !group.includes('.')) errs.push(invalid('spec.group', group, 'should be a domain with at least one dot'));
  const scope = stringAt(spec, 'scope');
  if (!scope) errs.push(required('spec.scope'));
  else if (scope !== 'Namespaced' && scope !== 'Cluster') errs.push(notSupported('spec.scope', scope, ['Cluster', 'Namespaced']));
  errs.push(...validateNames(objectAt(spec, 'names'), 'spec.names'));
  const plural = stringAt(objectAt(spec, 'names') ?? {}, 'plural') ?? '';
  if (plural && group && obj.metadata.name !== `${plural}.${group}`) {
    errs.push(invalid('metadata.name', obj.metadata.name ?? '', `must be spec.names.plural+"."+spec.group`));
  }
  errs.push(...validateVersions(arrayAt(spec, 'versions')));
  const conversion = objectAt(spec, 'conversion');
  const strategy = conversion ? stringAt(conversion, 'strategy') : undefined;
  if (strategy !== undefined && strategy !== 'None' && strategy !== 'Webhook') errs.push(notSupported('spec.conversion.strategy', strategy, ['None', 'Webhook']));
  if (strategy === 'Webhook') errs.push(forbiddenField('spec.conversion.strategy', 'conversion webhooks are not supported by this server'));
  return errs;
}

/** Names may only be added to, never taken away, once established; kos checks form only. */
function validateNames(names: JsonObject | undefined, path: string): FieldError[] {
  if (!names) return [required(path)];
  const errs: FieldError[] = [];
  const plural = stringAt(names, 'plural') ?? '';
  if (!plural) errs.push(required(`${path}.plural`));
  else if (!dns1123Label.test(plural)) errs.push(invalid(`${path}.plural`, plural, 'a lowercase RFC 1123 label must consist of lower case alphanumeric characters or \'-\''));
  const singular = stringAt(names, 'singular') ?? '';
  if (singular && !dns1123Label.test(singular)) errs.push(invalid(`${path}.singular`, singular, 'a lowercase RFC 1123 label must consist of lower case alphanumeric characters or \'-\''));
  const kind = stringAt(names, 'kind') ?? '';
  if (!kind) errs.push(required(`${path}.kind`));
  else if (!kindPattern.test(kind)) errs.push(invalid(`${path}.kind`, kind, 'may have mixed case, but should otherwise match: [a-z]([-a-z0-9]*[a-z0-9])?'));
  const listKind = stringAt(names, 'listKind') ?? '';
  if (listKind && listKind === kind) errs.push(invalid(`${path}.listKind`, listKind, 'kind and listKind may not be the same'));
  (arrayAt(names, 'shortNames') ?? []).forEach((s, i) => {
    if (typeof s !== 'string' || !dns1123Label.test(s)) errs.push(invalid(`${path}.shortNames[${i}]`, s, 'a lowercase RFC 1123 label must consist of lower case alphanumeric characters or \'-\''));
  });
  (arrayAt(names, 'categories') ?? []).forEach((s, i) => {
    if (typeof s !== 'string' || !dns1123Label.test(s)) errs.push(invalid(`${path}.categories[${i}]`, s, 'a lowercase RFC 1123 label must consist of lower case alphanumeric characters or \'-\''));
  });
  return errs;
}

function validateVersions(versions: unknown[] | undefined): FieldError[] {
  if (!versions || versions.length === 0) return [required('spec.versions', 'must have exactly one version marked as storage version')];
  const errs: FieldError[] = [];
  const seen = new Set<string>();
  let storage = 0;
  let served = 0;
  versions.forEach((raw, i) => {
    const path = `spec.versions[${i}]`;
    if (!isObject(raw)) return void errs.push(invalid(path, raw, 'must be an object'));
    const name = stringAt(raw, 'name') ?? '';
    if (!name) errs.push(required(`${path}.name`));
    else if (!dns1123Label.test(name)) errs.push(invalid(`${path}.name`, name, 'a DNS-1035 label must consist of lower case alphanumeric characters or \'-\''));
    else if (seen.has(name)) errs.push(duplicate(`${path}.name`, name));
    seen.add(name);
    if (typeof raw.served !== 'boolean') errs.push(required(`${path}.served`));
    if (typeof raw.storage !== 'boolean') errs.push(required(`${path}.storage`));
    if (raw.storage === true) storage++;
    if (raw.served === true) served++;
    const schema = objectAt(raw, 'schema')?.openAPIV3Schema;
    if (!isObject(schema)) errs.push(required(`${path}.schema.openAPIV3Schema`, 'schemas are required'));
    else errs.push(...validateStructural(schema, `${path}.schema.openAPIV3Schema`, true));
    errs.push(...validateSubresources(objectAt(raw, 'subresources'), `${path}.subresources`));
    (arrayAt(raw, 'additionalPrinterColumns') ?? []).forEach((c, j) => errs.push(...validateColumn(c, `${path}.additionalPrinterColumns[${j}]`)));
  });
  if (storage !== 1) errs.push(invalid('spec.versions', versions.map((v) => (isObject(v) ? v.name : v)), 'must have exactly one version marked as storage version'));
  if (served === 0) errs.push(invalid('spec.versions', versions.map((v) => (isObject(v) ? v.name : v)), 'must have at least one version marked as served'));
  return errs;
}

/**
 * The structural-schema rules that matter for serving: every node has a type (unless it
 * is int-or-string or preserves unknown fields), the root is an object, properties and
 * additionalProperties exclude each other, and metadata may only narrow name/generateName.
 */
export function validateStructural(schema: JsonObject, path: string, root = false): FieldError[] {
  const errs: FieldError[] = [];
  const type = schema.type;
  const intOrString = schema['x-kubernetes-int-or-string'] === true;
  const preserve = schema['x-kubernetes-preserve-unknown-fields'] === true;
  if (type === undefined || type === '') {
    if (root) errs.push(required(`${path}.type`, 'must not be empty at the root'));
    else if (!intOrString && !preserve) errs.push(required(`${path}.type`, 'must not be empty for specified object fields'));
  } else if (typeof type !== 'string' || !schemaTypes.includes(type)) {
    errs.push(notSupported(`${path}.type`, type, schemaTypes));
  } else if (root && type !== 'object') {
    errs.push(invalid(`${path}.type`, type, 'must be object at the root'));
  }
  if (schema.properties !== undefined && schema.additionalProperties !== undefined && schema.additionalProperties !== false) {
    errs.push(forbiddenField(`${path}.additionalProperties`, 'additionalProperties and properties are mutual exclusive'));
  }
  if (type === 'array' && !isObject(schema.items)) errs.push(required(`${path}.items`, 'must be specified'));
  if (schema.pattern !== undefined) {
    try {
      new RegExp(String(schema.pattern), 'u');
    } catch {
      errs.push(invalid(`${path}.pattern`, schema.pattern, 'must be a valid regular expression'));
    }
  }
  if (Object.hasOwn(schema, 'default') && !root) {
    // A default must itself be valid, or every object that omits the field would be refused.
    for (const e of validateAgainstSchema(readSchema(schema), schema.default, '')) {
      errs.push({ ...e, field: e.field ? `${path}.default.${e.field}` : `${path}.default` });
    }
  }
  if (isObject(schema.properties)) {
    for (const [k, v] of Object.entries(schema.properties)) {
      if (!isObject(v)) errs.push(invalid(`${path}.properties[${k}]`, v, 'must be a schema object'));
      else if (root && k === 'metadata') errs.push(...validateMetadataSchema(v, `${path}.properties[metadata]`));
      else errs.push(...validateStructural(v, `${path}.properties[${k}]`));
    }
  }
  if (isObject(schema.items)) errs.push(...validateStructural(schema.items, `${path}.items`));
  if (isObject(schema.additionalProperties)) errs.push(...validateStructural(schema.additionalProperties, `${path}.additionalProperties`));
  return errs;
}

function validateMetadataSchema(schema: JsonObject, path: string): FieldError[] {
  const allowed = ['name', 'generateName'];
  const errs: FieldError[] = [];
  if (schema.type !== undefined && schema.type !== 'object') errs.push(invalid(`${path}.type`, schema.type, 'must be object'));
  if (isObject(schema.properties)) {
    for (const k of Object.keys(schema.properties)) {
      if (!allowed.includes(k)) errs.push(forbiddenField(`${path}.properties`, 'must not specify anything other than name and generateName, but metadata is implicitly specified'));
    }
  }
  return errs;
}

function validateSubresources(subs: JsonObject | undefined, path: string): FieldError[] {
  if (!subs) return [];
  const errs: FieldError[] = [];
  const scale = objectAt(subs, 'scale');
  if (scale) {
    const spec = stringAt(scale, 'specReplicasPath') ?? '';
    const status = stringAt(scale, 'statusReplicasPath') ?? '';
    if (!spec) errs.push(required(`${path}.scale.specReplicasPath`));
    else if (!spec.startsWith('.spec.')) errs.push(invalid(`${path}.scale.specReplicasPath`, spec, 'should be a json path under .spec'));
    if (!status) errs.push(required(`${path}.scale.statusReplicasPath`));
    else if (!status.startsWith('.status.')) errs.push(invalid(`${path}.scale.statusReplicasPath`, status, 'should be a json path under .status'));
    const selector = stringAt(scale, 'labelSelectorPath');
    if (selector && !selector.startsWith('.spec.') && !selector.startsWith('.status.')) {
      errs.push(invalid(`${path}.scale.labelSelectorPath`, selector, 'should be a json path under either .spec or .status'));
    }
  }
  return errs;
}

function validateColumn(c: unknown, path: string): FieldError[] {
  if (!isObject(c)) return [invalid(path, c, 'must be an object')];
  const errs: FieldError[] = [];
  if (!stringAt(c, 'name')) errs.push(required(`${path}.name`));
  const type = stringAt(c, 'type');
  if (!type) errs.push(required(`${path}.type`));
  else if (!columnTypes.includes(type)) errs.push(notSupported(`${path}.type`, type, columnTypes));
  const format = stringAt(c, 'format');
  if (format && !['int32', 'int64', 'float', 'double', 'byte', 'date', 'date-time', 'password'].includes(format)) {
    errs.push(notSupported(`${path}.format`, format, ['int32', 'int64', 'float', 'double', 'byte', 'date', 'date-time', 'password']));
  }
  if (!stringAt(c, 'jsonPath')) errs.push(required(`${path}.jsonPath`));
  if (typeof c.priority === 'number' && c.priority < 0) errs.push(invalid(`${path}.priority`, c.priority, 'must be a non-negative integer'));
  return errs;
}
