/**
 * Which served kinds are stored, and which one a store key or an ownerReference names.
 * Asked afresh from the catalog each time it changes, so custom resources added later
 * are found too.
 */
import type { ResourceCatalog } from '../apiserver/catalog.js';
import type { KeyLayout } from '../apiserver/keys.js';
import type { ResourceDefinition } from '../apiserver/resource.js';

export class StoredKinds {
  private seen: readonly ResourceDefinition[] | undefined;
  private storedDefs: ResourceDefinition[] = [];

  constructor(
    private readonly catalog: ResourceCatalog,
    private readonly keys: KeyLayout,
  ) {}

  /** One definition per stored resource: views by conversion, computed and sourced kinds left out. */
  all(): readonly ResourceDefinition[] {
    const served = this.catalog.resources;
    if (served !== this.seen) {
      this.seen = served;
      const byPrefix = new Map<string, ResourceDefinition>();
      for (const def of served) {
        if (def.conversion || def.source || def.compute) continue;
        const prefix = this.keys.prefix(def);
        if (!byPrefix.has(prefix)) byPrefix.set(prefix, def);
      }
      this.storedDefs = [...byPrefix.values()];
    }
    return this.storedDefs;
  }

  namespaced(): ResourceDefinition[] {
    return this.all().filter((d) => d.namespaced);
  }

  /** The kind stored under a key, with the object's namespace and name. */
  forKey(key: string): { def: ResourceDefinition; namespace: string | undefined; name: string } | undefined {
    for (const def of this.all()) {
      const prefix = this.keys.prefix(def);
      if (!key.startsWith(prefix)) continue;
      const rest = key.slice(prefix.length).split('/');
      if (def.namespaced && rest.length === 2) return { def, namespace: rest[0], name: rest[1]! };
      if (!def.namespaced && rest.length === 1) return { def, namespace: undefined, name: rest[0]! };
    }
    return undefined;
  }

  /** The stored kind an ownerReference's apiVersion and kind name (any served version of its group). */
  forOwner(ref: { apiVersion: string; kind: string }): ResourceDefinition | undefined {
    const slash = ref.apiVersion.indexOf('/');
    const group = slash < 0 ? '' : ref.apiVersion.slice(0, slash);
    const served = this.catalog.resources.find((d) => d.group === group && d.kind === ref.kind);
    if (!served) return undefined;
    return served.conversion?.storage ?? served;
  }
}
