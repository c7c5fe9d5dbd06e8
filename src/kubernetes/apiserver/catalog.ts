/** The served resources, indexed the ways requests find them. */
import type { ResourceDefinition } from './resource.js';

export interface GroupVersion {
  group: string;
  version: string;
}

export class ResourceCatalog {
  private readonly byPath = new Map<string, ResourceDefinition>();

  constructor(readonly resources: readonly ResourceDefinition[]) {
    for (const r of resources) this.byPath.set(`${r.group}/${r.version}/${r.plural}`, r);
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
