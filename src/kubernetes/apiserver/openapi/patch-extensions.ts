/**
 * `x-kubernetes-patch-strategy` / `x-kubernetes-patch-merge-key` per message field, read
 * from the strategic-merge metadata the patch engine itself uses (patchMetaFor): walking
 * each served kind's patch schema alongside its descriptors pins every strategy on the
 * message that declares the field. Components are shared between kinds, so two kinds
 * disagreeing about one field is an error.
 */
import { patchMetaFor } from '../../apimachinery/index.js';
import type { GroupVersionKind, PatchSchema } from '../../apimachinery/index.js';
import type { MessageRegistry } from '../../apimachinery/protobuf/index.js';
import { jsonFields } from './message-fields.js';

export interface FieldPatchExtensions {
  readonly strategy?: string;
  readonly mergeKey?: string;
}

/** message → JSON field name → extensions. */
export type PatchExtensionTable = ReadonlyMap<string, ReadonlyMap<string, FieldPatchExtensions>>;

export interface KindMessage {
  readonly gvk: GroupVersionKind;
  readonly message: string;
}

export function collectPatchExtensions(registry: MessageRegistry, kinds: readonly KindMessage[]): PatchExtensionTable {
  const table = new Map<string, Map<string, FieldPatchExtensions>>();
  const record = (owner: string, field: string, ext: FieldPatchExtensions): void => {
    const fields = table.get(owner) ?? new Map<string, FieldPatchExtensions>();
    table.set(owner, fields);
    const known = fields.get(field);
    if (known && (known.strategy !== ext.strategy || known.mergeKey !== ext.mergeKey)) {
      throw new Error(`conflicting patch metadata for ${owner}.${field}`);
    }
    fields.set(field, ext);
  };
  const walk = (schema: PatchSchema, message: string, depth: number): void => {
    if (depth > 16) return;
    const fields = jsonFields(registry, message);
    for (const [name, meta] of Object.entries(schema.fields)) {
      const f = fields.get(name);
      // The tables are per group/kind and some versions lack a field (autoscaling/v1's
      // HorizontalPodAutoscalerStatus has no conditions): nothing to annotate there.
      if (f === undefined) continue;
      const strategies = [meta.strategy, meta.retainKeys ? 'retainKeys' : undefined].filter((s) => s !== undefined);
      if (strategies.length > 0 || meta.mergeKey !== undefined) {
        record(f.owner, name, {
          ...(strategies.length > 0 ? { strategy: strategies.join(',') } : {}),
          ...(meta.mergeKey !== undefined ? { mergeKey: meta.mergeKey } : {}),
        });
      }
      if (meta.schema && f.field.value.kind === 'message' && registry.message(f.field.value.message)?.kind === 'struct') {
        walk(meta.schema, f.field.value.message, depth + 1);
      }
    }
  };
  for (const k of kinds) walk(patchMetaFor(k.gvk), k.message, 0);
  return table;
}
