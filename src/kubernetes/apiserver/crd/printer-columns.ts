/**
 * Table columns from a CRD version's additionalPrinterColumns: each cell is the first
 * value its jsonPath finds, typed as the column says; `date` columns print as an age, as
 * the real server's table convertor does. A version without columns shows Age.
 */
import type { TableColumn } from '../resource.js';
import { ageOf } from '../time.js';
import type { PrinterColumn } from './crd-model.js';
import { evaluateJsonPath } from './json-path.js';

const ageColumn: PrinterColumn = {
  name: 'Age',
  type: 'date',
  format: '',
  description: 'CreationTimestamp is a timestamp representing the server time when this object was created.',
  priority: 0,
  jsonPath: '.metadata.creationTimestamp',
};

function cellOf(column: PrinterColumn, value: unknown, now: number): string | number | boolean {
  if (value === undefined || value === null) return '<none>';
  switch (column.type) {
    case 'date':
      return typeof value === 'string' ? ageOf(value, now) : '<invalid>';
    case 'integer':
    case 'number':
      return typeof value === 'number' ? value : '<invalid>';
    case 'boolean':
      return typeof value === 'boolean' ? value : '<invalid>';
    default:
      return typeof value === 'string' ? value : JSON.stringify(value);
  }
}

export function printerColumns(columns: readonly PrinterColumn[]): TableColumn[] {
  const list = columns.length > 0 ? columns : [ageColumn];
  return list.map((c) => ({
    name: c.name,
    // A date cell is sent as its age, a string; the column keeps its declared type as upstream does.
    type: c.type === 'integer' || c.type === 'number' || c.type === 'boolean' || c.type === 'date' ? c.type : 'string',
    format: c.type === 'date' ? 'date' : '',
    description: c.description,
    priority: c.priority > 0 ? 1 : 0,
    cell: (obj, now) => cellOf(c, evaluateJsonPath(obj, c.jsonPath)[0], now),
  }));
}
