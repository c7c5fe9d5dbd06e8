/**
 * A CustomResourceDefinition read into the shape serving needs: names, scope and per
 * version its schema, subresources and printer columns. Reading is lenient (missing
 * fields become empty); crd-validation.ts is what refuses a bad definition.
 */
import { arrayAt, isObject, objectAt, stringAt, type JsonObject, type KubeObject } from '../object.js';

export interface CrdNames {
  plural: string;
  singular: string;
  kind: string;
  listKind: string;
  shortNames: string[];
  categories: string[];
}

export interface ScalePaths {
  specReplicasPath: string;
  statusReplicasPath: string;
  labelSelectorPath?: string;
}

export interface PrinterColumn {
  name: string;
  type: string;
  format: string;
  description: string;
  priority: number;
  jsonPath: string;
}

export interface CrdVersion {
  name: string;
  served: boolean;
  storage: boolean;
  /** openAPIV3Schema as written. */
  schema: unknown;
  status: boolean;
  scale?: ScalePaths;
  columns: PrinterColumn[];
}

export interface CrdModel {
  name: string;
  uid: string;
  group: string;
  namespaced: boolean;
  names: CrdNames;
  versions: CrdVersion[];
}

const strings = (o: JsonObject, key: string): string[] => (arrayAt(o, key) ?? []).filter((s): s is string => typeof s === 'string');

export function readNames(raw: JsonObject | undefined): CrdNames {
  const n = raw ?? {};
  const kind = stringAt(n, 'kind') ?? '';
  return {
    plural: stringAt(n, 'plural') ?? '',
    singular: stringAt(n, 'singular') || kind.toLowerCase(),
    kind,
    listKind: stringAt(n, 'listKind') || `${kind}List`,
    shortNames: strings(n, 'shortNames'),
    categories: strings(n, 'categories'),
  };
}

function readColumns(v: JsonObject): PrinterColumn[] {
  return (arrayAt(v, 'additionalPrinterColumns') ?? []).filter(isObject).map((c) => ({
    name: stringAt(c, 'name') ?? '',
    type: stringAt(c, 'type') ?? 'string',
    format: stringAt(c, 'format') ?? '',
    description: stringAt(c, 'description') ?? '',
    priority: typeof c.priority === 'number' ? c.priority : 0,
    jsonPath: stringAt(c, 'jsonPath') ?? '',
  }));
}

function readVersion(v: JsonObject): CrdVersion {
  const subs = objectAt(v, 'subresources');
  const scale = subs ? objectAt(subs, 'scale') : undefined;
  const out: CrdVersion = {
    name: stringAt(v, 'name') ?? '',
    served: v.served === true,
    storage: v.storage === true,
    schema: objectAt(v, 'schema')?.openAPIV3Schema,
    status: !!subs && isObject(subs.status),
    columns: readColumns(v),
  };
  if (scale) {
    out.scale = { specReplicasPath: stringAt(scale, 'specReplicasPath') ?? '', statusReplicasPath: stringAt(scale, 'statusReplicasPath') ?? '' };
    const selector = stringAt(scale, 'labelSelectorPath');
    if (selector) out.scale.labelSelectorPath = selector;
  }
  return out;
}

export function readCrd(obj: KubeObject): CrdModel {
  const spec = objectAt(obj, 'spec') ?? {};
  return {
    name: obj.metadata.name ?? '',
    uid: obj.metadata.uid ?? '',
    group: stringAt(spec, 'group') ?? '',
    namespaced: stringAt(spec, 'scope') !== 'Cluster',
    names: readNames(objectAt(spec, 'names')),
    versions: (arrayAt(spec, 'versions') ?? []).filter(isObject).map(readVersion),
  };
}
