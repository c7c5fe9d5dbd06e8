/**
 * The CRD controller of one cluster: it watches CustomResourceDefinitions and keeps the
 * catalog serving what they define. An accepted definition's versions are added to the
 * catalog before its status says Established (so `kubectl wait --for condition=established`
 * is followed by working requests); a deleted one is removed and its objects deleted.
 * Level-triggered: after a lost watch it lists again and converges.
 */
import type { Logger } from '../../../core/log.js';
import type { ResourceCatalog } from '../catalog.js';
import type { KubeObject } from '../object.js';
import type { Registry } from '../registry.js';
import type { ResourceDefinition } from '../resource.js';
import { StatusError } from '../status.js';
import { rfc3339 } from '../time.js';
import { readCrd, type CrdModel } from './crd-model.js';
import { desiredStatus } from './crd-status.js';
import { customResourceDefinitions, type CustomResourceSet } from './custom-resource.js';

export interface CrdControllerOptions {
  registry: Registry;
  catalog: ResourceCatalog;
  log: Logger;
  /**
   * Only keep the catalog in step with the stored definitions: no status writes, no
   * deletion of a removed definition's objects. For a second catalog of the same cluster
   * (its controllers on another thread); the API server's controller does the writing.
   */
  catalogOnly?: boolean;
}

export interface CrdController {
  /** Resolves once the definitions stored at start are served. */
  readonly ready: Promise<void>;
  stop(): Promise<void>;
}

interface Served {
  uid: string;
  /** The spec the set was built from, to skip rebuilding on status-only changes. */
  spec: string;
  set: CustomResourceSet;
}

export function startCrdController(opts: CrdControllerOptions): CrdController {
  const crds = opts.catalog.find('apiextensions.k8s.io', 'v1', 'customresourcedefinitions');
  if (!crds) return { ready: Promise.resolve(), stop: async () => undefined };
  const controller = new Controller(opts, crds);
  const done = controller.run();
  return {
    ready: controller.ready,
    async stop() {
      controller.stop();
      await done;
    },
  };
}

class Controller {
  private readonly served = new Map<string, Served>();
  private readonly prefix: string;
  private stopped = false;
  private closeWatch: (() => void) | undefined;
  private markReady!: () => void;
  readonly ready = new Promise<void>((resolve) => (this.markReady = resolve));

  constructor(
    private readonly opts: CrdControllerOptions,
    private readonly crds: ResourceDefinition,
  ) {
    this.prefix = opts.registry.keys.prefix(crds);
  }

  stop(): void {
    this.stopped = true;
    this.closeWatch?.();
  }

  async run(): Promise<void> {
    const store = this.opts.registry.store;
    while (!this.stopped) {
      try {
        let revision = await this.resync();
        this.markReady();
        if (this.stopped) break;
        const watch = store.watch(this.prefix, { afterRevision: revision });
        this.closeWatch = () => watch.close();
        for await (const batch of watch) {
          for (const ev of batch) {
            revision = ev.revision;
            const name = ev.kv.key.slice(this.prefix.length);
            if (ev.type === 'delete') await this.teardown(name, true);
            else await this.reconcile(this.opts.registry.decode(ev.kv));
          }
        }
      } catch (e) {
        if (this.stopped) break;
        // Compacted or too slow: list again and converge from there.
        this.opts.log.warn({ err: e }, 'crd controller watch ended; resyncing');
      }
    }
    this.markReady();
  }

  /** Serve what is stored now and drop what is gone; returns the revision read at. */
  private async resync(): Promise<number> {
    const result = await this.opts.registry.store.range(this.prefix);
    const present = new Set<string>();
    for (const kv of result.kvs) {
      const obj = this.opts.registry.decode(kv);
      present.add(obj.metadata.name ?? '');
      await this.reconcile(obj);
    }
    for (const name of [...this.served.keys()]) if (!present.has(name)) await this.teardown(name, true);
    return result.revision;
  }

  private async reconcile(obj: KubeObject): Promise<void> {
    const crd = readCrd(obj);
    const current = this.served.get(crd.name);
    if (current && current.uid !== crd.uid) await this.teardown(crd.name, true);
    const conflict = this.namesConflict(crd);
    if (conflict) await this.teardown(crd.name, false);
    else this.serve(crd, JSON.stringify(obj.spec));
    if (!this.opts.catalogOnly) await this.writeStatus(obj, crd, conflict);
  }

  private serve(crd: CrdModel, spec: string): void {
    const current = this.served.get(crd.name);
    if (current && current.spec === spec) return;
    const set = customResourceDefinitions(crd);
    if (current) this.opts.catalog.remove(current.set.served);
    if (!set) return void this.served.delete(crd.name);
    this.opts.catalog.add(set.served);
    this.served.set(crd.name, { uid: crd.uid, spec, set });
  }

  /** Why the names cannot be served: a kind or plural another definition already serves in the group. */
  private namesConflict(crd: CrdModel): string | undefined {
    const mine = new Set(this.served.get(crd.name)?.set.served ?? []);
    for (const def of this.opts.catalog.resources) {
      if (def.group !== crd.group || mine.has(def)) continue;
      if (def.plural === crd.names.plural) return `"${crd.names.plural}" is already in use`;
      if (def.kind === crd.names.kind) return `"${crd.names.kind}" is already in use`;
    }
    return undefined;
  }

  private async writeStatus(obj: KubeObject, crd: CrdModel, conflict: string | undefined): Promise<void> {
    const status = desiredStatus(obj, crd, conflict, rfc3339(this.opts.registry.clock.now()));
    if (JSON.stringify(status) === JSON.stringify(obj.status)) return;
    try {
      await this.opts.registry.updateWith(this.crds, undefined, crd.name, (cur) => ({ ...cur, status }), { subresource: 'status' });
    } catch (e) {
      // Deleted or changed meanwhile: the watch brings the next state.
      if (e instanceof StatusError && (e.status.code === 404 || e.status.code === 409)) return;
      throw e;
    }
  }

  /** Stop serving a definition's resources; on deletion, delete their objects as well. */
  private async teardown(name: string, deleteObjects: boolean): Promise<void> {
    const current = this.served.get(name);
    if (!current) return;
    this.served.delete(name);
    this.opts.catalog.remove(current.set.served);
    if (!deleteObjects || this.opts.catalogOnly) return;
    const store = this.opts.registry.store;
    const { kvs } = await store.range(this.opts.registry.keys.prefix(current.set.storage));
    for (const kv of kvs) {
      await store.delete(kv.key, { expectedModRevision: kv.modRevision }).catch(() => undefined);
    }
  }
}
