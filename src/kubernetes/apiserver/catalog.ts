/** The served resources, indexed the ways requests find them. */
import type { ResourceDefinition } from './resource.js';

const pathOf = (r: ResourceDefinition): string => `${r.group}/${r.version}/${r.plural}`;

export interface GroupVersion {
  group: string;
  version: string;
}

export class ResourceCatalog {
  private readonly byPath = new Map<string, ResourceDefinition>();
  private served: readonly ResourceDefinition[];

  constructor(resources: readonly ResourceDefinition[]) {
    this.served = resources;
    for (const r of resources) this.byPath.set(`${r.group}/${r.version}/${r.plural}`, r);
  }

  /** What is served now; a new array after every add/remove (the OpenAPI cache keys on it). */
  get resources(): readonly ResourceDefinition[] {
    return this.served;
  }

  /** Serve more kinds at runtime (custom resources); a definition at the same path is replaced. */
  add(defs: readonly ResourceDefinition[]): void {
    const paths = new Set(defs.map(pathOf));
    this.served = [...this.served.filter((r) => !paths.has(pathOf(r))), ...defs];
    for (const r of defs) this.byPath.set(pathOf(r), r);
  }

  /** Stop serving these kinds. */
  remove(defs: readonly ResourceDefinition[]): void {
    const gone = new Set(defs);
    this.served = this.served.filter((r) => !gone.has(r));
    for (const r of defs) if (this.byPath.get(pathOf(r)) === r) this.byPath.delete(pathOf(r));
  }

  find(group: string, version: string, plural: string): ResourceDefinition | undefined {
    return this.byPath.get(`${group}/${version}/${plural}`);
  }

  /** Groups in the order the real server lists them: core first, then by registration. */
  groups(): { name: string; versions: string[] }[] {
    const out: { name: string; versions: string[] }[] = [];
    for (const r of this.resources) {
      let g = out.find((x) => x.name === r.group);
      if (!g) out.push((g = { name: r.group, versions: [] }));
      if (!g.versions.includes(r.version)) g.versions.push(r.version);
    }
    return out;
  }

  inGroupVersion(gv: GroupVersion): ResourceDefinition[] {
    return this.resources.filter((r) => r.group === gv.group && r.version === gv.version);
  }

  hasGroupVersion(gv: GroupVersion): boolean {
    return this.resources.some((r) => r.group === gv.group && r.version === gv.version);
  }
}
