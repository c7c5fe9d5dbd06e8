/**
 * The message registry: every package table parsed once, every cross-reference checked
 * at construction (a table naming a message nobody describes fails at startup, not on
 * the first request that happens to reach it), and the kinds a body may carry indexed
 * by apiVersion and kind.
 */
import { parseMessage } from './descriptor.js';
import type { MessageDescriptor, PackageTable, ValueType } from './descriptor.js';
import { specialTypes } from './special-types.js';

export interface MessageRegistry {
  /** The descriptor of a qualified message name; undefined for special types and unknowns. */
  message(name: string): MessageDescriptor | undefined;
  /** The qualified message name of a top-level kind, or undefined when we have none. */
  kindMessage(apiVersion: string, kind: string): string | undefined;
  /** Every qualified message name described (not the special types). */
  readonly names: readonly string[];
}

/** Options bodies are registered in every group version, so any apiVersion is accepted. */
const GROUPLESS_KINDS: Readonly<Record<string, string>> = {
  DeleteOptions: 'meta.v1.DeleteOptions',
};

export function createRegistry(tables: readonly PackageTable[]): MessageRegistry {
  const messages = new Map<string, MessageDescriptor>();
  const kinds = new Map<string, string>();
  for (const table of tables) {
    for (const [name, spec] of Object.entries(table.messages)) {
      const descriptor = parseMessage(table.package, name, spec);
      if (messages.has(descriptor.name)) throw new Error(`message ${descriptor.name} described twice`);
      messages.set(descriptor.name, descriptor);
    }
    for (const kind of table.kinds) {
      const name = `${table.package}.${kind}`;
      if (!(kind in table.messages)) throw new Error(`kind ${table.groupVersion} ${kind} has no message`);
      kinds.set(`${table.groupVersion}|${kind}`, name);
    }
  }
  const known = (t: ValueType): boolean =>
    t.kind === 'scalar' || messages.has(t.message) || specialTypes.has(t.message);
  for (const d of messages.values()) {
    const refs = d.kind === 'slice' ? [d.element] : [...d.fields.values()].map((f) => f.value);
    for (const ref of refs) {
      if (!known(ref)) throw new Error(`${d.name} refers to undescribed message ${ref.kind === 'message' ? ref.message : ''}`);
    }
  }
  return {
    message: (name) => messages.get(name),
    kindMessage: (apiVersion, kind) => {
      const groupless = GROUPLESS_KINDS[kind];
      if (groupless !== undefined && messages.has(groupless)) return groupless;
      return kinds.get(`${apiVersion}|${kind}`);
    },
    names: [...messages.keys()],
  };
}
