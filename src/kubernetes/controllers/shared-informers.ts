/**
 * One informer per stored kind, shared by every controller of a cluster that reads it
 * (the scheduler, the ReplicaSet controller and the kubelets all watch pods through the
 * same cache, as a kube-controller-manager's SharedInformerFactory does). Objects are
 * cached decoded; treat them as read-only and clone before changing one.
 */
import type { Clock } from '../../core/clock.js';
import type { Logger } from '../../core/log.js';
import { Informer, type InformerSelection, type Manager } from '../../core/reconcile/index.js';
import { clone, type KubeObject } from '../apiserver/object.js';
import type { Registry } from '../apiserver/registry.js';
import type { ResourceDefinition } from '../apiserver/resource.js';

/** A selection of a kind's objects (InformerSelection), named so informers can share it. */
export interface NamedSelection extends InformerSelection<KubeObject> {
  name: string;
}

export class SharedInformers {
  /** By prefix, or prefix#selection. */
  private readonly byPrefix = new Map<string, Informer<KubeObject>>();
  /** Informers someone needs from the start; the manager runs them. */
  private readonly eager = new Set<Informer<KubeObject>>();
  /** Informers asked for on demand only that demand() has started. */
  private readonly demanded = new Set<Informer<KubeObject>>();
  /** Whether the manager runs: a demanded informer starts at once, or when it does. */
  private running = false;

  constructor(
    private readonly registry: Registry,
    private readonly clock: Clock,
    private readonly log: Logger,
  ) {}

  /**
   * The informer over every stored object of a kind, created on first ask; with a named
   * selection, the informer over the objects it selects (shared by that name).
   */
  forKind(def: ResourceDefinition, selection?: NamedSelection): Informer<KubeObject> {
    const informer = this.informerFor(def, selection);
    this.eager.add(informer);
    return informer;
  }

  /**
   * The same informer, for a reader that may never need it: it lists and watches only
   * once demand() is called for it (or someone asks for it with forKind). The API
   * server's quota admission reads every pod this way, and only in a namespace with a
   * ResourceQuota: without one, a thread that does not run the pods' controllers never
   * decodes them.
   */
  forKindOnDemand(def: ResourceDefinition): Informer<KubeObject> {
    return this.informerFor(def, undefined);
  }

  /** Start an informer asked for on demand (a no-op for one already running). */
  demand(informer: Informer<KubeObject>): void {
    if (this.eager.has(informer) || this.demanded.has(informer)) return;
    this.demanded.add(informer);
    if (this.running) informer.start();
  }

  /** Hand every informer asked for so far to the manager, which starts and stops them. */
  addTo(manager: Manager): void {
    for (const informer of this.eager) manager.addInformer(informer);
    manager.addInformer({
      start: () => {
        this.running = true;
        for (const informer of this.demanded) informer.start();
      },
      stop: async () => {
        this.running = false;
        await Promise.all([...this.demanded].map((i) => i.stop()));
      },
      waitForSync: () => Promise.resolve(),
    });
  }

  private informerFor(def: ResourceDefinition, selection: NamedSelection | undefined): Informer<KubeObject> {
    const prefix = this.registry.keys.prefix(def);
    const id = selection ? `${prefix}#${selection.name}` : prefix;
    let informer = this.byPrefix.get(id);
    if (!informer) {
      informer = new Informer<KubeObject>({
        store: this.registry.store,
        prefix,
        ...(selection ? { select: selection } : {}),
        // One parse per stored value, shared with the garbage collector's informer;
        // a version served by conversion gets its own copy to convert.
        decode: (_value, kv) => {
          const shared = this.registry.decodeShared(kv) as KubeObject;
          return def.conversion ? def.conversion.fromStorage(clone(shared)) : shared;
        },
        clock: this.clock,
        logger: this.log.child({ informer: `${def.group || 'core'}/${def.plural}` }),
      });
      this.byPrefix.set(id, informer);
    }
    return informer;
  }
}

/** The cache key of a namespaced object's informer entry is its store key; this is its namespace/name. */
export const namespacedName = (o: KubeObject): string => `${o.metadata.namespace ?? ''}/${o.metadata.name ?? ''}`;
