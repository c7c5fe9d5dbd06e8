/**
 * What a strategic merge patch needs to know about a kind: for each field whose merge
 * differs from a plain JSON merge, its strategy and merge key, and the metadata of what
 * it holds. These are the `patchStrategy` / `patchMergeKey` struct tags of k8s.io/api.
 * Fields without metadata behave as in a JSON merge patch: maps merge, lists are replaced.
 */

export interface FieldPatchMeta {
  /**
   * `merge`: a list merged item by item (by `mergeKey` for lists of maps, by value for
   * lists of scalars). `replace`: a map replaced whole instead of merged.
   */
  readonly strategy?: 'merge' | 'replace';
  /** The item member that identifies list items (`name` for containers). */
  readonly mergeKey?: string;
  /** The tag also says `retainKeys`: clients send `$retainKeys` for it (volumes, deployment strategy). */
  readonly retainKeys?: boolean;
  /** Metadata of the value: the map's own fields, or each list item's fields. */
  readonly schema?: PatchSchema;
}

export interface PatchSchema {
  /** A name for error messages (the Go type the server would name). */
  readonly name: string;
  readonly fields: Readonly<Record<string, FieldPatchMeta>>;
}

/** The metadata of one field; a field without any merges like a JSON merge patch would. */
export function fieldMeta(schema: PatchSchema, field: string): FieldPatchMeta {
  return Object.hasOwn(schema.fields, field) ? (schema.fields[field] ?? {}) : {};
}

/** The metadata of what a field holds, or an empty schema. */
export function childSchema(schema: PatchSchema, field: string): PatchSchema {
  return fieldMeta(schema, field).schema ?? { name: `${schema.name}.${field}`, fields: {} };
}

export const emptySchema = (name: string): PatchSchema => ({ name, fields: {} });

export interface PatchMetaAtPath {
  readonly strategy: 'merge' | 'replace' | undefined;
  readonly mergeKey: string | undefined;
  readonly retainKeys: boolean;
}

/**
 * The schema flattened to dotted JSON paths (list items are transparent:
 * `spec.template.spec.containers.ports`), listing only fields that carry a strategy.
 */
export function patchMetaByPath(schema: PatchSchema): Record<string, PatchMetaAtPath> {
  const out: Record<string, PatchMetaAtPath> = {};
  const walk = (s: PatchSchema, prefix: string, depth: number): void => {
    // The tables are acyclic, but a bound keeps a malformed table from looping forever.
    if (depth > 16) return;
    for (const [field, meta] of Object.entries(s.fields)) {
      const path = prefix ? `${prefix}.${field}` : field;
      if (meta.strategy || meta.retainKeys) {
        out[path] = { strategy: meta.strategy, mergeKey: meta.mergeKey, retainKeys: meta.retainKeys === true };
      }
      if (meta.schema) walk(meta.schema, path, depth + 1);
    }
  };
  walk(schema, '', 0);
  return out;
}
