/**
 * A message's fields as JSON sees them: embedded (inline) structs flattened into their
 * parent, each field remembering the message that declares it, because that is where
 * its facts (patch strategy, list topology, optionality) are keyed.
 */
import type { FieldDescriptor, MessageRegistry } from '../../apimachinery/protobuf/index.js';

export interface JsonField {
  readonly field: FieldDescriptor;
  /** The qualified message declaring the field (an inline struct's own name for its fields). */
  readonly owner: string;
}

export function jsonFields(registry: MessageRegistry, message: string): Map<string, JsonField> {
  const out = new Map<string, JsonField>();
  const add = (name: string, depth: number): void => {
    const d = registry.message(name);
    if (d === undefined || d.kind !== 'struct') throw new Error(`no struct descriptor for ${name}`);
    if (depth > 8) throw new Error(`inline fields of ${message} nest too deep`);
    for (const field of d.fields.values()) {
      if (field.inline) {
        if (field.value.kind !== 'message') throw new Error(`${name}: inline field of scalar type`);
        add(field.value.message, depth + 1);
      } else {
        out.set(field.jsonName, { field, owner: name });
      }
    }
  };
  add(message, 0);
  return out;
}
