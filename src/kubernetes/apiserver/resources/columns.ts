/** A short way to declare a Table column beside its resource. */
import type { KubeObject } from '../object.js';
import type { TableColumn } from '../resource.js';

export function column(
  name: string,
  type: TableColumn['type'],
  description: string,
  cell: (obj: KubeObject, now: number) => string | number | boolean,
  priority: 0 | 1 = 0,
): TableColumn {
  return { name, type, format: '', description, priority, cell };
}

/** Number of keys in an object-valued field, 0 when absent or malformed. */
export const countKeys = (v: unknown): number => (typeof v === 'object' && v !== null && !Array.isArray(v) ? Object.keys(v).length : 0);
