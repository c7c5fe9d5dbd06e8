/**
 * Table output (`Accept: application/json;as=Table;v=v1;g=meta.k8s.io`): what kubectl get
 * prints. Every kind gets NAME first and AGE unless its columns place AGE themselves;
 * each row carries the object as the client asked (includeObject=None|Metadata|Object).
 */
import type { KubeObject } from './object.js';
import type { ResourceDefinition, TableColumn } from './resource.js';
import { badRequest } from './status.js';
import { ageOf } from './time.js';

export type IncludeObject = 'None' | 'Metadata' | 'Object';

export interface TableColumnDefinition {
  name: string;
  type: string;
  format: string;
  description: string;
  priority: number;
}

export interface TableRow {
  cells: (string | number | boolean)[];
  object?: unknown;
}

export interface Table {
  kind: 'Table';
  apiVersion: string;
  metadata: { resourceVersion?: string; continue?: string; remainingItemCount?: number };
  columnDefinitions: TableColumnDefinition[];
  rows: TableRow[];
}

export const nameColumn: TableColumn = {
  name: 'Name',
  type: 'string',
  format: 'name',
  description: 'Name must be unique within a namespace. It is required when creating resources, although some resources may allow a client to request the generation of an appropriate name automatically.',
  priority: 0,
  cell: (o) => o.metadata.name ?? '',
};

export const ageColumn: TableColumn = {
  name: 'Age',
  type: 'string',
  format: '',
  description: 'CreationTimestamp is a timestamp representing the server time when this object was created. Represented in RFC3339 form and is in UTC.',
  priority: 0,
  cell: (o, now) => ageOf(o.metadata.creationTimestamp, now),
};

export function columnsOf(def: ResourceDefinition): TableColumn[] {
  const own = [...def.tableColumns];
  const placesName = own.some((c) => c.format === 'name');
  // A kind showing its creation as a date (roles: CREATED AT) has no AGE besides.
  const placesAge = own.some((c) => c.name === 'Age' || c.format === 'date');
  return [...(placesName ? [] : [nameColumn]), ...own, ...(placesAge ? [] : [ageColumn])];
}

export function parseIncludeObject(value: string | undefined): IncludeObject {
  if (value === undefined || value === '') return 'Metadata';
  if (value === 'None' || value === 'Metadata' || value === 'Object') return value;
  throw badRequest(`includeObject: Unsupported value: "${value}": supported values: "Metadata", "None", "Object"`);
}

function rowObject(def: ResourceDefinition, obj: KubeObject, include: IncludeObject): unknown {
  if (include === 'None') return undefined;
  if (include === 'Object') return { ...obj, apiVersion: def.apiVersion, kind: def.kind };
  return { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: obj.metadata };
}

export function toTable(
  def: ResourceDefinition,
  objects: KubeObject[],
  meta: Table['metadata'],
  include: IncludeObject,
  now: number,
  tableApiVersion = 'meta.k8s.io/v1',
): Table {
  const columns = columnsOf(def);
  return {
    kind: 'Table',
    apiVersion: tableApiVersion,
    metadata: meta,
    columnDefinitions: columns.map((c) => ({ name: c.name, type: c.type, format: c.format ?? '', description: c.description, priority: c.priority })),
    rows: objects.map((o) => {
      const row: TableRow = { cells: columns.map((c) => safeCell(c, o, now)) };
      const object = rowObject(def, o, include);
      if (object !== undefined) row.object = object;
      return row;
    }),
  };
}

/** A column over malformed stored data prints `<unknown>` rather than failing the request. */
function safeCell(c: TableColumn, o: KubeObject, now: number): string | number | boolean {
  try {
    return c.cell(o, now);
  } catch {
    return '<unknown>';
  }
}
