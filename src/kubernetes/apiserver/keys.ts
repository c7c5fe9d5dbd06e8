/**
 * Where objects live in the store: `/kubernetes/<cluster>/<group|core>/<plural>/<namespace>/<name>`
 * for namespaced kinds and `/kubernetes/<cluster>/<group|core>/<plural>/<name>` for
 * cluster-scoped ones. Every prefix ends in `/`, so the namespace `a` never lists `ab`.
 */
import type { ResourceDefinition } from './resource.js';

export class KeyLayout {
  constructor(readonly cluster: string) {}

  /** Everything of this cluster. */
  clusterPrefix(): string {
    return `/kubernetes/${this.cluster}/`;
  }

  /** Objects of one resource, in one namespace when given (namespaced kinds only). */
  prefix(def: ResourceDefinition, namespace?: string): string {
    // A version served by conversion lives where its storage version does.
    const stored = def.conversion?.storage ?? def;
    const base = `/kubernetes/${this.cluster}/${stored.group || 'core'}/${stored.plural}/`;
    return def.namespaced && namespace ? `${base}${namespace}/` : base;
  }

  key(def: ResourceDefinition, namespace: string | undefined, name: string): string {
    return `${this.prefix(def, def.namespaced ? namespace : undefined)}${name}`;
  }
}
